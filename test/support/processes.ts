import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import { eventually, GiveUp } from './eventually.js';

/** The built entry points as an operator runs them (`node dist/main.js ...`); `npm test` builds first. */
export const MAIN = join(process.cwd(), 'dist', 'main.js');
export const WORKER = join(process.cwd(), 'dist', 'worker.js');

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

export interface Server {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `node <entry> ...args` with only PATH and the given environment; collects its output. */
export function startServer(args: string[], env: Record<string, string>, entry = MAIN): Server {
  const child = spawn(process.execPath, [entry, ...args], {
    env: { PATH: process.env.PATH ?? '', TARN_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const server = { child, output: () => output, exited };
  running.add(server);
  void exited.then(() => running.delete(server));
  return server;
}

const running = new Set<Server>();

/** Kills (SIGKILL) the processes this test file started that still run, e.g. after a failed test. */
export async function killServers(): Promise<void> {
  for (const server of running) server.child.kill('SIGKILL');
  await Promise.all([...running].map((server) => server.exited));
}

/** Resolves once the server answers `GET /` with 200. */
export async function waitForHealth(port: number, server: Server, timeoutMs = 45_000): Promise<void> {
  await eventually(
    async () => {
      if (server.child.exitCode !== null) throw new GiveUp(`server exited early:\n${server.output()}`);
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
    },
    { timeoutMs, intervalMs: 100, what: `an answer on port ${port}` },
  ).catch(withOutput(server));
}

/** Resolves once the process has printed text matching `pattern`. */
export async function waitForOutput(server: Server, pattern: RegExp, timeoutMs = 20_000): Promise<void> {
  await eventually(
    () => {
      if (pattern.test(server.output())) return true;
      if (server.child.exitCode !== null) throw new GiveUp(`process exited early:\n${server.output()}`);
      return false;
    },
    { timeoutMs, what: `output matching ${pattern}` },
  ).catch(withOutput(server));
}

const withOutput = (server: Server) => (error: Error) => {
  throw error instanceof GiveUp ? error : new Error(`${error.message}\n${server.output()}`);
};
