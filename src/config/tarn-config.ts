import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Command, CommanderError } from 'commander';
import {
  type DeprecationHeaderFormat,
  type PolicyRule,
  type RootAliasDefaults,
  parsePolicyRules,
} from './deprecation-policy.js';
import { EnvironmentVariables, FLAG_TO_VARIABLE } from './environment-variables.js';
import { parseNetworks } from './networks.js';
import { parseByteSize, parseDurationMs } from './units.js';

export type JwtAlgorithm = 'HS256' | 'HS384' | 'HS512';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Tarn's settings, typed and validated. Inject it where a setting is needed. */
export class TarnConfig {
  readonly env!: 'development' | 'production' | 'test';
  readonly http!: {
    listen: string;
    port: number;
    bodyLimitBytes: number;
    /** GET /model answers kept per API process, by session, filters and model revision (0: none). */
    modelCacheBytes: number;
    trustProxyHops: number;
    shutdownTimeoutMs: number;
  };
  readonly database!: {
    /** PostgreSQL URL; unset means the embedded PGlite database in `dataDir`. */
    url?: string;
    schema: string;
    dataDir: string;
    /** The embedded database's page cache (PostgreSQL's shared_buffers), in its WebAssembly memory. */
    pgliteSharedBuffersBytes: number;
  };
  readonly auth!: {
    /** Unset means a generated secret kept in the data folder. */
    jwtSecret?: string;
    jwtAlgorithm: JwtAlgorithm;
    tokenLifetimeMs: number;
    adminEmail?: string;
    adminPassword?: string;
    adminAccount: string;
    throttleLimit: number;
    throttleTtlMs: number;
  };
  readonly api!: {
    sunsetActive?: boolean;
    deprecationHeaderFormat: DeprecationHeaderFormat;
    policies: PolicyRule[];
    rootAlias: RootAliasDefaults;
  };
  readonly logging!: {
    level: LogLevel;
    pretty: boolean;
    endpointTimeoutMs: number;
    endpointAllow: string[];
    shopLogFile?: string;
  };
  readonly sessions!: { maxSessions: number };
  /** SHOP Server compatibility mode, for unmodified pyshop (README, "pyshop: the compatibility mode and Basic credentials"). */
  readonly shopCompat!: {
    /** Set: a request without credentials to a SHOP Server root path, from `networks`, acts as this user. */
    user?: string;
    /** Normalised CIDRs (`addr/prefix`) the client address (`req.ip`) must lie in. */
    networks: string[];
    /** Sessions created that way are deleted after this long without a request. */
    sessionIdleMs: number;
  };
  readonly solver!: {
    logFile?: string;
    minimalInfeasibleProblemFile?: string;
    timeLimitMs: number;
    /** The optimization provider: HiGHS (WebAssembly, built in) or CBC (the cbc command). */
    provider: 'highs' | 'cbc';
    /** Solver worker threads (SolverPool): sessions optimize in parallel up to this many. */
    poolSize: number;
    /** Each worker runs a small representative optimization before it takes runs. */
    warmUp: boolean;
    /** Set: every solve's problem is written there as MPS, with a JSON line of its figures (problem-export.ts). */
    exportDir?: string;
  };
  readonly metrics!: {
    /** Unset: `GET /metrics` on the main port, admins only. Set: only on this port, no token (0: any free port). */
    port?: number;
    /** Where that port is bound. */
    host: string;
  };
  /**
   * With a shared PostgreSQL, each process marks its unfinished runs alive every `heartbeatIntervalMs`;
   * a run without a mark for `heartbeatTimeoutMs` is taken as its server's that stopped, and failed.
   * (The embedded database has one process: it fails every unfinished run at its start instead.)
   * `maxPerAccount`: runs of one account (of its sessions' users) running at once, in every
   * process sharing the database together; later ones wait in turn (`queued`).
   */
  readonly runs!: { heartbeatIntervalMs: number; heartbeatTimeoutMs: number; maxPerAccount: number };
  /** Set: solves go to a BullMQ queue on this Redis, taken by `npm run worker` processes. */
  readonly redisUrl?: string;
  readonly queue!: {
    /** Redis key prefix: deployments (or tests) sharing one Redis keep apart by it. */
    prefix: string;
    /** Jobs one worker process solves at once. */
    workerConcurrency: number;
    /** A worker that has not renewed its job's lock for this long is taken as dead: the job is stalled. */
    lockTimeoutMs: number;
    /** How many times a stalled job (its worker died) is started again before its run fails. */
    retries: number;
  };

  constructor(values: TarnConfig) {
    Object.assign(this, values);
  }
}

/** A configuration mistake: the message names the variable (and flag) to fix. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** The help text and its early exit, so that main can print it and stop. */
export class HelpRequested extends Error {
  constructor(readonly text: string) {
    super('help requested');
  }
}

export const DEFAULT_ROOT_ALIAS_DEPRECATION = '2026-11-01T00:00:00Z';

export function buildCommand(): Command {
  return new Command('tarn')
    .description('Tarn: a SHOP Server compatible hydropower scheduling server')
    .option('-l, --listen <address>', 'address to listen on (default 0.0.0.0, env TARN_LISTEN)')
    .option('-p, --port <port>', 'port to listen on (default 8000, env TARN_PORT)')
    .option(
      '-m, --max-sessions <count>',
      'most sessions the server holds (default CPU threads x 4, env TARN_MAX_SESSIONS)',
    )
    .option(
      '-t, --logging-endpoint-timeout <seconds>',
      'timeout for delivering to a logging endpoint (default 3 s, env TARN_LOGGING_ENDPOINT_TIMEOUT)',
    )
    .option('--shop-log-file <path>', 'file that receives every session log message (env TARN_SHOP_LOG_FILE)')
    .option('--solver-log-file <path>', 'file that receives the solver output (env TARN_SOLVER_LOG_FILE)')
    .option(
      '--minimal-infeasible-problem-file <path>',
      'where to write the minimal infeasible problem of an infeasible solve (env TARN_MINIMAL_INFEASIBLE_PROBLEM_FILE)',
    )
    .helpOption('-h, --help', 'show this help')
    .addHelpText('after', '\nEvery other setting is an environment variable; see README.md ("Configuration").')
    .allowExcessArguments(false);
}

function parseFlags(argv: string[]): Record<string, string> {
  const command = buildCommand();
  let helpText = '';
  command.exitOverride().configureOutput({
    writeOut: (text) => (helpText += text),
    writeErr: () => undefined,
  });
  try {
    command.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help') {
        throw new HelpRequested(helpText);
      }
      throw new ConfigError([error.message.replace(/^error: /, '')]);
    }
    throw error;
  }
  return command.opts<Record<string, string>>();
}

/** Their values never appear in error messages (a URL may carry a password). */
const SECRET_VARIABLES = new Set(['TARN_JWT_SECRET', 'TARN_ADMIN_PASSWORD', 'DATABASE_URL', 'REDIS_URL']);

const FLAG_NAMES: Partial<Record<keyof EnvironmentVariables, string>> = Object.fromEntries(
  Object.entries(FLAG_TO_VARIABLE).map(([flag, variable]) => [
    variable,
    `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
  ]),
);

/**
 * Builds the configuration from command-line arguments (without `node` and the script)
 * and environment variables. A flag wins over its variable. Throws ConfigError listing
 * every bad value, or HelpRequested for `--help`.
 */
export function loadConfig(argv: string[], env: Record<string, string | undefined>): TarnConfig {
  const flags = parseFlags(argv);
  const raw: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const ours = name.startsWith('TARN_') || ['NODE_ENV', 'DATABASE_URL', 'REDIS_URL'].includes(name);
    if (ours && value !== undefined && value !== '') {
      raw[name] = value;
    }
  }
  for (const [flag, value] of Object.entries(flags)) {
    if (value !== undefined) raw[FLAG_TO_VARIABLE[flag]] = value;
  }

  const vars = plainToInstance(EnvironmentVariables, raw);
  const errors = validateSync(vars, { whitelist: true, forbidUnknownValues: false });
  const problems = errors.flatMap((error) => {
    const flag = FLAG_NAMES[error.property as keyof EnvironmentVariables];
    const label = flag ? `${error.property} (${flag})` : error.property;
    const shown = SECRET_VARIABLES.has(error.property) ? '' : ` (got ${JSON.stringify(raw[error.property])})`;
    return Object.values(error.constraints ?? {}).map((message) => `${message.replace(error.property, label)}${shown}`);
  });

  checkMetrics(vars, problems);
  if (vars.REDIS_URL && !vars.DATABASE_URL) {
    problems.push(
      'REDIS_URL needs DATABASE_URL: queue workers run in other processes, which cannot share the embedded ' +
        'database (set DATABASE_URL to a PostgreSQL database, or unset REDIS_URL to solve in this process)',
    );
  }
  const policies = loadPolicies(vars, problems);
  const rootAlias = loadRootAlias(vars, problems);
  const shopCompat = loadShopCompat(vars, problems);
  const runs = loadRuns(vars, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  const dataDir = vars.TARN_DATA_DIR === 'memory://' ? 'memory://' : resolve(vars.TARN_DATA_DIR ?? 'data');
  return new TarnConfig({
    env: (vars.NODE_ENV as TarnConfig['env']) ?? 'development',
    http: {
      listen: vars.TARN_LISTEN ?? '0.0.0.0',
      port: vars.TARN_PORT ?? 8000,
      bodyLimitBytes: parseByteSize(vars.TARN_BODY_LIMIT ?? '50mb'),
      modelCacheBytes: parseByteSize(vars.TARN_MODEL_CACHE_SIZE ?? '64mb'),
      trustProxyHops: vars.TARN_TRUST_PROXY_HOPS ?? 0,
      shutdownTimeoutMs: parseDurationMs(vars.TARN_SHUTDOWN_TIMEOUT ?? '30s'),
    },
    database: {
      url: vars.DATABASE_URL,
      schema: vars.TARN_DATABASE_SCHEMA ?? 'public',
      dataDir,
      pgliteSharedBuffersBytes: parseByteSize(vars.TARN_PGLITE_SHARED_BUFFERS ?? '16mb'),
    },
    auth: {
      jwtSecret: vars.TARN_JWT_SECRET,
      jwtAlgorithm: (vars.TARN_JWT_ALGORITHM as JwtAlgorithm) ?? 'HS256',
      tokenLifetimeMs: parseDurationMs(vars.TARN_TOKEN_LIFETIME ?? '6h'),
      adminEmail: vars.TARN_ADMIN_EMAIL?.toLowerCase(),
      adminPassword: vars.TARN_ADMIN_PASSWORD,
      adminAccount: vars.TARN_ADMIN_ACCOUNT ?? 'Tarn',
      throttleLimit: vars.TARN_AUTH_THROTTLE_LIMIT ?? 10,
      throttleTtlMs: parseDurationMs(vars.TARN_AUTH_THROTTLE_TTL ?? '60s'),
    },
    api: {
      sunsetActive: vars.TARN_API_SUNSET_ACTIVE,
      deprecationHeaderFormat: (vars.TARN_DEPRECATION_HEADER_FORMAT as DeprecationHeaderFormat) ?? 'imf-fixdate',
      policies,
      rootAlias,
    },
    logging: {
      level: (vars.TARN_LOG_LEVEL as LogLevel) ?? 'info',
      pretty: vars.TARN_LOG_PRETTY ?? false,
      endpointTimeoutMs: parseDurationMs(vars.TARN_LOGGING_ENDPOINT_TIMEOUT ?? '3s'),
      endpointAllow: (vars.TARN_LOGGING_ENDPOINT_ALLOW ?? '')
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
      shopLogFile: vars.TARN_SHOP_LOG_FILE,
    },
    sessions: { maxSessions: vars.TARN_MAX_SESSIONS ?? availableParallelism() * 4 },
    shopCompat,
    solver: {
      logFile: vars.TARN_SOLVER_LOG_FILE,
      minimalInfeasibleProblemFile: vars.TARN_MINIMAL_INFEASIBLE_PROBLEM_FILE,
      timeLimitMs: parseDurationMs(vars.TARN_SOLVE_TIME_LIMIT ?? '300s'),
      provider: (vars.TARN_SOLVER as 'highs' | 'cbc' | undefined) ?? 'highs',
      poolSize: solverPoolSize(vars),
      warmUp: vars.TARN_SOLVER_WARM_UP ?? true,
      exportDir: vars.TARN_SOLVER_EXPORT_DIR,
    },
    metrics: { port: vars.TARN_METRICS_PORT, host: vars.TARN_METRICS_HOST ?? '127.0.0.1' },
    runs,
    redisUrl: vars.REDIS_URL,
    queue: {
      prefix: vars.TARN_QUEUE_PREFIX ?? 'tarn',
      workerConcurrency: vars.TARN_WORKER_CONCURRENCY ?? availableParallelism(),
      lockTimeoutMs: parseDurationMs(vars.TARN_WORKER_LOCK_TIMEOUT ?? '30s'),
      retries: vars.TARN_WORKER_RETRIES ?? 1,
    },
  });
}

function checkMetrics(vars: EnvironmentVariables, problems: string[]): void {
  const port = vars.TARN_METRICS_PORT;
  if (vars.TARN_METRICS_HOST !== undefined && port === undefined) {
    problems.push('TARN_METRICS_HOST needs TARN_METRICS_PORT (the metrics port it binds)');
  }
  if (typeof port === 'number' && port !== 0 && port === (vars.TARN_PORT ?? 8000)) {
    problems.push(`TARN_METRICS_PORT must differ from the API port (TARN_PORT, --port) (got ${port})`);
  }
}

const solverPoolSize = (vars: EnvironmentVariables) => vars.TARN_SOLVER_POOL_SIZE ?? availableParallelism();

/**
 * The runs' settings: the heartbeat, and the runs per account (default: the solver pool size).
 * The heartbeat's timeout must leave room for a late beat: at least twice the interval, or a busy
 * process's live runs would be failed by another.
 */
function loadRuns(vars: EnvironmentVariables, problems: string[]): TarnConfig['runs'] {
  const interval = vars.TARN_RUN_HEARTBEAT_INTERVAL ?? '10s';
  const timeout = vars.TARN_RUN_HEARTBEAT_TIMEOUT ?? '30s';
  const maxPerAccount = vars.TARN_MAX_RUNS_PER_ACCOUNT ?? solverPoolSize(vars);
  let runs: TarnConfig['runs'];
  try {
    runs = {
      heartbeatIntervalMs: parseDurationMs(interval),
      heartbeatTimeoutMs: parseDurationMs(timeout),
      maxPerAccount,
    };
  } catch {
    // Not a duration: the validation has reported it.
    return { heartbeatIntervalMs: 0, heartbeatTimeoutMs: 0, maxPerAccount };
  }
  if (runs.heartbeatIntervalMs < 1000) {
    problems.push(`TARN_RUN_HEARTBEAT_INTERVAL must be at least 1s (got ${JSON.stringify(interval)})`);
  } else if (runs.heartbeatTimeoutMs < 2 * runs.heartbeatIntervalMs) {
    problems.push(
      `TARN_RUN_HEARTBEAT_TIMEOUT must be at least twice TARN_RUN_HEARTBEAT_INTERVAL (${interval}) ` +
        `(got ${JSON.stringify(timeout)})`,
    );
  }
  return runs;
}

export const DEFAULT_SHOP_COMPAT_NETWORKS = '127.0.0.1/32,::1/128';

function loadShopCompat(vars: EnvironmentVariables, problems: string[]): TarnConfig['shopCompat'] {
  let networks: string[] = [];
  try {
    networks = parseNetworks(vars.TARN_SHOP_COMPAT_NETWORKS ?? DEFAULT_SHOP_COMPAT_NETWORKS);
  } catch (error) {
    problems.push(
      `TARN_SHOP_COMPAT_NETWORKS must be comma-separated CIDRs such as 127.0.0.1/32 or ::1/128 ` +
        `(${(error as Error).message})`,
    );
  }
  const idle = vars.TARN_SHOP_COMPAT_SESSION_IDLE ?? '24h';
  let sessionIdleMs = 0;
  try {
    sessionIdleMs = parseDurationMs(idle);
    if (sessionIdleMs < 1000) {
      problems.push(`TARN_SHOP_COMPAT_SESSION_IDLE must be at least 1s (got ${JSON.stringify(idle)})`);
    }
  } catch {
    // Not a duration: the validation has reported it.
  }
  return { user: vars.TARN_SHOP_COMPAT_USER?.toLowerCase(), networks, sessionIdleMs };
}

function loadPolicies(vars: EnvironmentVariables, problems: string[]): PolicyRule[] {
  const rules: PolicyRule[] = [];
  const file = vars.TARN_API_POLICY_FILE;
  if (file) {
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      problems.push(`TARN_API_POLICY_FILE (${file}) cannot be read: ${(error as NodeJS.ErrnoException).code ?? error}`);
    }
    if (text !== undefined) collect(() => parsePolicyRules(text, `TARN_API_POLICY_FILE (${file})`), rules, problems);
  }
  if (vars.TARN_API_POLICIES) {
    collect(() => parsePolicyRules(vars.TARN_API_POLICIES!, 'TARN_API_POLICIES'), rules, problems);
  }
  return rules;
}

function collect(parse: () => PolicyRule[], rules: PolicyRule[], problems: string[]): void {
  try {
    rules.push(...parse());
  } catch (error) {
    problems.push((error as Error).message);
  }
}

function loadRootAlias(vars: EnvironmentVariables, problems: string[]): RootAliasDefaults {
  const parse = (name: 'TARN_ROOT_ALIAS_DEPRECATION' | 'TARN_ROOT_ALIAS_SUNSET', fallback?: string) => {
    const text = vars[name] ?? fallback;
    if (text === undefined) return undefined;
    const date = new Date(text);
    if (Number.isNaN(date.getTime())) {
      problems.push(`${name} must be a date (ISO 8601, e.g. 2027-01-31) (got ${JSON.stringify(text)})`);
      return undefined;
    }
    return date;
  };
  const deprecation = parse('TARN_ROOT_ALIAS_DEPRECATION', DEFAULT_ROOT_ALIAS_DEPRECATION) ?? new Date(0);
  const sunset = parse('TARN_ROOT_ALIAS_SUNSET');
  if (sunset && sunset < deprecation) {
    problems.push('TARN_ROOT_ALIAS_SUNSET must not be before TARN_ROOT_ALIAS_DEPRECATION');
  }
  const link = vars.TARN_ROOT_ALIAS_DEPRECATION_LINK;
  if (link !== undefined && !/^(https?:\/\/|\/)\S*$/.test(link)) {
    problems.push('TARN_ROOT_ALIAS_DEPRECATION_LINK must be an http(s) URL or an absolute path');
  }
  return { deprecation, sunset, deprecationLink: link };
}
