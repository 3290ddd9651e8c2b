import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../config/tarn-config.js';
import { MetricsServer } from './metrics-server.js';
import { MetricsService } from './metrics.service.js';

describe(MetricsServer.name, () => {
  it('does nothing without TARN_METRICS_PORT', async () => {
    const server = new MetricsServer(new MetricsService(), loadConfig([], {}));
    await server.onApplicationBootstrap();
    expect(server.address()).toBeUndefined();
    await server.beforeApplicationShutdown();
  });

  it('fails the start, naming TARN_METRICS_PORT, when its port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const server = new MetricsServer(new MetricsService(), loadConfig([], { TARN_METRICS_PORT: String(port) }));
      await expect(server.onApplicationBootstrap()).rejects.toThrow(
        `TARN_METRICS_PORT: cannot listen on 127.0.0.1:${port}: listen EADDRINUSE`,
      );
      expect(server.address()).toBeUndefined();
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
