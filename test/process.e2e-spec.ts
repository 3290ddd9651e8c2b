import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { MAIN, WORKER, freePort, killServers, startServer, waitForHealth, waitForOutput } from './support/processes.js';
import { dropSchema, newSchemaName } from './support/test-app.js';

describe('the server process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tarn-process-'));
  const schema = newSchemaName();
  const databaseEnv: Record<string, string> = process.env.DATABASE_URL
    ? { DATABASE_URL: process.env.DATABASE_URL, TARN_DATABASE_SCHEMA: schema }
    : {};
  afterAll(async () => {
    await killServers();
    rmSync(dataDir, { recursive: true, force: true });
    if (process.env.DATABASE_URL) await dropSchema(process.env.DATABASE_URL, schema);
  });

  it('--help lists the SHOP Server flags and exits 0', () => {
    const result = spawnSync(process.execPath, [MAIN, '--help'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    for (const flag of [
      '--listen',
      '--port',
      '--max-sessions',
      '--logging-endpoint-timeout',
      '--shop-log-file',
      '--solver-log-file',
      '--minimal-infeasible-problem-file',
    ]) {
      expect(result.stdout).toContain(flag);
    }
  });

  it.each([
    [
      'the API with REDIS_URL but no DATABASE_URL',
      MAIN,
      { REDIS_URL: 'redis://127.0.0.1:6379' },
      /REDIS_URL needs DATABASE_URL/,
    ],
    ['a worker without REDIS_URL', WORKER, {}, /REDIS_URL must be set for a worker/],
    [
      'the API with a SHOP compatibility network that is not a CIDR',
      MAIN,
      { TARN_SHOP_COMPAT_NETWORKS: '127.0.0.1/33' },
      /TARN_SHOP_COMPAT_NETWORKS must be comma-separated CIDRs .*"127\.0\.0\.1\/33": the prefix must be 0 to 32/,
    ],
  ])('%s stops at once with a message (exit 2)', (_what, entry, env, message) => {
    const result = spawnSync(process.execPath, [entry], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a bad setting stops the start with a message naming the variable and flag', () => {
    const result = spawnSync(process.execPath, [MAIN, '-p', '70000'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', TARN_TOKEN_LIFETIME: 'soon' },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('TARN_PORT (--port)');
    expect(result.stderr).toContain('TARN_TOKEN_LIFETIME');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses to start when TARN_SHOP_COMPAT_USER names no user: a message, exit 2', async () => {
    // Its own in-memory database: the admin it generates must not be the one the next test expects.
    const server = startServer(['-p', String(await freePort()), '-l', '127.0.0.1'], {
      TARN_DATA_DIR: 'memory://',
      TARN_SHOP_COMPAT_USER: 'nobody@tarn.test',
    });
    expect(await server.exited).toBe(2);
    expect(server.output()).toMatch(
      /TARN_SHOP_COMPAT_USER \(nobody@tarn\.test\) must name an existing, active user: no user has that email/,
    );
    expect(server.output()).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('prints a generated first admin once, finishes a request in flight on SIGTERM and exits 0; the next start keeps it all', async () => {
    const port = await freePort();
    const env = { TARN_DATA_DIR: dataDir, ...databaseEnv };
    // At info, to see it begin its shutdown.
    const first = startServer(['-p', String(port), '-l', '127.0.0.1'], { ...env, TARN_LOG_LEVEL: 'info' });
    await waitForHealth(port, first);
    const match = /email:\s+(\S+)\s+password:\s+(\S+)/.exec(first.output());
    expect(match).not.toBeNull();
    const [, email, password] = match!;

    // A second server on the same embedded data folder is refused.
    if (!process.env.DATABASE_URL) {
      const intruder = spawnSync(process.execPath, [MAIN, '-p', String(await freePort())], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', ...env },
      });
      expect(intruder.status).toBe(1);
      expect(intruder.stderr).toContain('in use by process');
    }

    // Start a token request, send part of its body, SIGTERM, and once the server is stopping
    // send the rest: the request must still be answered.
    const body = JSON.stringify({ email, password });
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/requestAuthToken',
          headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10), () => {
        first.child.kill('SIGTERM');
        waitForOutput(first, /SIGTERM received/).then(() => req.end(body.slice(10)), reject);
      });
    });
    const { status, body: tokenBody } = await answer;
    expect(status).toBe(200);
    expect(await first.exited).toBe(0);
    const token = JSON.parse(tokenBody).auth_token as string;

    const second = startServer(['--port', String(port)], env);
    try {
      await waitForHealth(port, second);
      expect(second.output()).not.toContain('password:');
      const me = await fetch(`http://127.0.0.1:${port}/api/v1/users/me`, { headers: { Authorization: token } });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { email: string }).email).toBe(email);
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  }, 120_000); // two starts of the built server, each up to tens of seconds on a loaded machine
});
