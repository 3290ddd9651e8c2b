import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { TarnConfig } from '../config/tarn-config.js';
import { MetricsService } from './metrics.service.js';

/**
 * With TARN_METRICS_PORT set: a small HTTP server of its own on TARN_METRICS_HOST (default
 * 127.0.0.1) that answers `GET /metrics` without a token, for a Prometheus that reaches Tarn on
 * a network the API's clients do not. Anything else there is 404 (405 for other methods).
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server?: Server;

  constructor(
    private readonly metrics: MetricsService,
    private readonly config: TarnConfig,
  ) {}

  /** Where it listens (port 0 in the settings: the port it got); undefined before start and after close. */
  address(): AddressInfo | undefined {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address : undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { port, host } = this.config.metrics;
    if (port === undefined || this.server) return;
    const server = createServer((request, response) => void this.answer(request, response));
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error) =>
        reject(new Error(`TARN_METRICS_PORT: cannot listen on ${host}:${port}: ${error.message}`, { cause: error }));
      server.once('error', fail);
      server.listen(port, host, () => {
        server.off('error', fail);
        resolve();
      });
    });
    this.server = server;
    const bound = this.address()!;
    const shown = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
    this.logger.log(`Metrics at http://${shown}:${bound.port}/metrics`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Prometheus keeps its connection open between scrapes.
      server.closeAllConnections();
    });
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics') return plain(response, 404, 'Not Found: metrics are at /metrics\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return plain(response, 405, 'Method Not Allowed\n');
    }
    try {
      const text = await this.metrics.metrics();
      response.writeHead(200, { 'Content-Type': this.metrics.contentType });
      response.end(text);
    } catch (error) {
      this.logger.error({ err: error }, 'Metrics could not be collected');
      plain(response, 500, 'Metrics could not be collected\n');
    }
  }
}

function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
}
