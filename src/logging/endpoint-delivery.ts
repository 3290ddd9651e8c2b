import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';

export interface LogMessage {
  message: string;
  level: string;
  callerid: string;
}

/**
 * POSTs log messages to a logging endpoint, safely: http/https only, no redirects, a timeout,
 * the response read no further than its status, and private, loopback, link-local and
 * metadata addresses refused on the address actually connected to (so DNS rebinding cannot
 * slip through) unless the host allows them (TARN_LOGGING_ENDPOINT_ALLOW: host names, IPs, CIDRs).
 */
export class EndpointDelivery {
  private readonly strict: { http: RequestFilteringHttpAgent; https: RequestFilteringHttpsAgent };
  private readonly lenient: { http: RequestFilteringHttpAgent; https: RequestFilteringHttpsAgent };
  private readonly allowedHosts: Set<string>;

  constructor(
    allow: string[],
    private readonly timeoutMs: number,
  ) {
    const addresses = allow.filter((entry) => isIP(entry.split('/')[0]) !== 0);
    this.allowedHosts = new Set(allow.filter((entry) => !addresses.includes(entry)).map((h) => h.toLowerCase()));
    const strict = { allowIPAddressList: addresses, keepAlive: true };
    const lenient = { allowPrivateIPAddress: true, keepAlive: true };
    this.strict = { http: new RequestFilteringHttpAgent(strict), https: new RequestFilteringHttpsAgent(strict) };
    this.lenient = { http: new RequestFilteringHttpAgent(lenient), https: new RequestFilteringHttpsAgent(lenient) };
  }

  /** Resolves with the status code; rejects on refusal, timeout, redirect or a non-2xx answer. */
  send(endpoint: string, body: LogMessage): Promise<number> {
    const url = new URL(endpoint);
    const https = url.protocol === 'https:';
    const agents = this.allowedHosts.has(url.hostname.toLowerCase()) ? this.lenient : this.strict;
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = (https ? httpsRequest : httpRequest)(
        url,
        {
          method: 'POST',
          agent: https ? agents.https : agents.http,
          headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
          timeout: this.timeoutMs,
        },
        (res) => {
          res.resume();
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(status);
          else {
            reject(
              new Error(`answered ${status}${status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}`),
            );
          }
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    for (const agent of [this.strict.http, this.strict.https, this.lenient.http, this.lenient.https]) agent.destroy();
  }
}
