import { type Server, type Socket, connect, createServer } from 'node:net';

/** How the proxy answers a connection while it is down. */
export type Refusal = 'reset' | 'postgres-starting-up';

export interface TcpProxy {
  /** The port the proxy listens on (127.0.0.1). */
  readonly port: number;
  /** The connections it carries now. */
  connections(): number;
  /**
   * A restart of the server behind it, as its clients see one: drops every connection now and
   * refuses new ones (as `refusal` says) until `resume()`.
   */
  cut(): void;
  /** Takes connections again: the server is back. */
  resume(): void;
  /**
   * Cuts (see `cut`) when a client sends bytes that match `pattern`, before they reach the
   * server (`when: 'before'`) or once they have reached it (`'after'`); resolves then.
   */
  cutWhen(pattern: RegExp, when: 'before' | 'after'): Promise<void>;
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 in front of a server (PostgreSQL, Redis) that a test can "restart"
 * without touching the real one, which other tests and sessions share: the proxy's clients see
 * their connections dropped and new ones refused for as long as the test says.
 */
export async function startTcpProxy(target: { host: string; port: number }, refusal: Refusal = 'reset') {
  const pairs = new Set<{ client: Socket; server: Socket }>();
  let down = false;
  let trigger: { pattern: RegExp; when: 'before' | 'after'; fire: () => void } | undefined;

  const cut = () => {
    down = true;
    for (const { client, server } of pairs) {
      client.destroy();
      server.destroy();
    }
    pairs.clear();
  };

  const listener: Server = createServer((client) => {
    client.on('error', () => undefined);
    if (down) {
      refuse(client, refusal);
      return;
    }
    const server = connect(target.port, target.host);
    server.on('error', () => client.destroy());
    const pair = { client, server };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      server.destroy();
    };
    client.on('close', drop);
    server.on('close', drop);
    client.on('data', (chunk: Buffer) => {
      const armed = trigger;
      if (armed && armed.pattern.test(chunk.toString('latin1'))) {
        trigger = undefined;
        if (armed.when === 'before') {
          cut();
        } else {
          // The server gets the bytes (end() sends them before closing); its answer never comes back.
          pairs.delete(pair);
          client.destroy();
          server.end(chunk);
          cut();
        }
        armed.fire();
        return;
      }
      server.write(chunk);
    });
    server.on('data', (chunk: Buffer) => client.write(chunk));
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = listener.address() as { port: number };

  const proxy: TcpProxy = {
    port,
    connections: () => pairs.size,
    cut,
    resume: () => {
      down = false;
    },
    cutWhen: (pattern, when) =>
      new Promise<void>((resolve) => {
        trigger = { pattern, when, fire: resolve };
      }),
    close: async () => {
      cut();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
  return proxy;
}

/**
 * What a client connecting while the server is down gets: a reset connection, or what
 * PostgreSQL answers while it starts (FATAL 57P03 "the database system is starting up").
 */
function refuse(client: Socket, refusal: Refusal): void {
  if (refusal === 'reset') {
    client.destroy();
    return;
  }
  // PostgreSQL answers once it has the startup message.
  client.once('data', () => {
    const fields = ['SFATAL', 'VFATAL', 'C57P03', 'Mthe database system is starting up'];
    const body = Buffer.concat([...fields.map((field) => Buffer.from(`${field}\0`, 'utf8')), Buffer.from([0])]);
    const header = Buffer.alloc(5);
    header.write('E', 0, 'latin1');
    header.writeInt32BE(body.length + 4, 1);
    client.end(Buffer.concat([header, body]));
  });
}
