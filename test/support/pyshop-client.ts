import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';

export interface WireAnswer {
  status: number;
  /** The body decoded as JSON, as pyshop's `response.json()` does (text when it is not JSON). */
  body: unknown;
}

/**
 * A client that speaks pyshop's REST protocol exactly (pyshop-compat.md §1): `POST /session`
 * and `GET /internal` with only `Content-Type` (plus whatever headers a test adds, e.g. a token),
 * then every SHOP API call as `POST /internal/<Name>` with a `session-id` header and a body
 * `{"args": [...], "kwargs": {...}}` written as Python's json.dumps writes it (NaN, Infinity), each
 * on a new TCP connection.
 */
export class PyshopWireClient {
  /** Every call's function and status, in order. */
  readonly calls: Array<{ name: string; status: number }> = [];
  sessionId = 0;

  constructor(
    private readonly port: number,
    private readonly headers: Record<string, string> = {},
  ) {}

  static async listening(app: NestExpressApplication, headers?: Record<string, string>): Promise<PyshopWireClient> {
    const server = app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new PyshopWireClient((server.address() as AddressInfo).port, headers);
  }

  /** `ShopSession(host=..., name=...)`: the session, then the function list. */
  async open(name = 'unnamed'): Promise<WireAnswer> {
    const created = await this.send('POST', '/session', JSON.stringify({ session_name: name, log_file: '' }));
    if (created.status < 400) this.sessionId = (created.body as { session_id: number }).session_id;
    return created;
  }

  /** `shop.shop_api.<name>(*args)`: the decoded answer, whatever the status (pyshop never looks). */
  async call(name: string, ...args: unknown[]): Promise<unknown> {
    return (await this.callRaw(name, { args, kwargs: {} })).body;
  }

  async callRaw(name: string, body: unknown, text = pythonJson(body)): Promise<WireAnswer> {
    const answer = await this.send('POST', `/internal/${name}`, text);
    this.calls.push({ name, status: answer.status });
    return answer;
  }

  send(method: string, path: string, body?: string): Promise<WireAnswer> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path,
          // A new connection per call, as requests.post at module level makes.
          agent: false,
          headers: {
            'Content-Type': 'application/json',
            // pyshop sends session-id on every request after POST /session.
            ...(this.sessionId && path !== '/session' && { 'session-id': String(this.sessionId) }),
            ...this.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let decoded: unknown = text;
            try {
              decoded = JSON.parse(text);
            } catch {
              // pyshop would raise here; the test sees the text.
            }
            resolve({ status: res.statusCode ?? 0, body: decoded });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}

/** JSON as Python's json.dumps writes it: NaN and the infinities as bare tokens. */
export function pythonJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) {
      return Number.isNaN(v) ? '\u0000NaN\u0000' : v > 0 ? '\u0000Infinity\u0000' : '\u0000-Infinity\u0000';
    }
    return v;
  }).replace(/"\\u0000(-?Infinity|NaN)\\u0000"/g, '$1');
}
