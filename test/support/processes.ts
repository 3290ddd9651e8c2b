import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

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
  return { child, output: () => output, exited };
}

export async function waitForHealth(port: number, server: Server): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (server.child.exitCode !== null) throw new Error(`server exited early:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server did not answer on ${port}:\n${server.output()}`);
}

/** Resolves once the process has printed text matching `pattern`. */
export async function waitForOutput(server: Server, pattern: RegExp, timeoutMs = 20_000): Promise<void> {
  for (const started = Date.now(); Date.now() - started < timeoutMs;) {
    if (pattern.test(server.output())) return;
    if (server.child.exitCode !== null) throw new Error(`process exited early:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no output matching ${pattern}:\n${server.output()}`);
}
