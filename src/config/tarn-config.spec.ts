import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, DEFAULT_ROOT_ALIAS_DEPRECATION, HelpRequested, loadConfig } from './tarn-config.js';
import { parseByteSize, parseDurationMs } from './units.js';

/** Runs `fn`, expects it to throw, and returns what it threw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

function configError(argv: string[], env: Record<string, string | undefined>): ConfigError {
  const error = thrown(() => loadConfig(argv, env));
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

const GOOD_SECRET = 'x'.repeat(32);

describe('loadConfig', () => {
  describe('defaults (no flags, no variables)', () => {
    const config = loadConfig([], {});

    it('listens on 0.0.0.0:8000', () => {
      expect(config.http.listen).toBe('0.0.0.0');
      expect(config.http.port).toBe(8000);
    });

    it('allows four sessions per CPU thread', () => {
      expect(config.sessions.maxSessions).toBe(availableParallelism() * 4);
    });

    it('gives a logging endpoint 3000 ms', () => {
      expect(config.logging.endpointTimeoutMs).toBe(3000);
    });

    it('issues tokens for 6 hours, signed with HS256', () => {
      expect(config.auth.tokenLifetimeMs).toBe(21_600_000);
      expect(config.auth.jwtAlgorithm).toBe('HS256');
      expect(config.auth.jwtSecret).toBeUndefined();
    });

    it('accepts request bodies up to 50 MiB', () => {
      expect(config.http.bodyLimitBytes).toBe(50 * 1024 * 1024);
    });

    it('uses the public schema and an absolute data folder named "data"', () => {
      expect(config.database.schema).toBe('public');
      expect(config.database.url).toBeUndefined();
      expect(isAbsolute(config.database.dataDir)).toBe(true);
      expect(config.database.dataDir).toBe(resolve('data'));
      expect(config.database.dataDir.endsWith('data')).toBe(true);
    });

    it('gives the embedded database 16 MiB of shared buffers', () => {
      expect(config.database.pgliteSharedBuffersBytes).toBe(16 * 1024 * 1024);
    });

    it('runs in development, with sunset switch unset and the default root-alias deprecation date', () => {
      expect(config.env).toBe('development');
      expect(config.api.sunsetActive).toBeUndefined();
      expect(config.api.deprecationHeaderFormat).toBe('imf-fixdate');
      expect(config.api.policies).toEqual([]);
      expect(config.api.rootAlias.deprecation).toEqual(new Date(DEFAULT_ROOT_ALIAS_DEPRECATION));
      expect(config.api.rootAlias.sunset).toBeUndefined();
    });

    it('leaves the optional log files unset', () => {
      expect(config.logging.shopLogFile).toBeUndefined();
      expect(config.solver.logFile).toBeUndefined();
      expect(config.solver.minimalInfeasibleProblemFile).toBeUndefined();
    });
  });

  describe('data folder', () => {
    it('resolves a relative TARN_DATA_DIR to an absolute path', () => {
      expect(loadConfig([], { TARN_DATA_DIR: 'some/dir' }).database.dataDir).toBe(resolve('some/dir'));
    });

    it('keeps memory:// as it is', () => {
      expect(loadConfig([], { TARN_DATA_DIR: 'memory://' }).database.dataDir).toBe('memory://');
    });
  });

  describe('SHOP Server flags', () => {
    it('-p and --port set the port', () => {
      expect(loadConfig(['-p', '9000'], {}).http.port).toBe(9000);
      expect(loadConfig(['--port', '9000'], {}).http.port).toBe(9000);
    });

    it('-l sets the listen address', () => {
      expect(loadConfig(['-l', '127.0.0.1'], {}).http.listen).toBe('127.0.0.1');
    });

    it('-m sets the session limit', () => {
      expect(loadConfig(['-m', '5'], {}).sessions.maxSessions).toBe(5);
    });

    it('-t takes seconds and stores milliseconds', () => {
      expect(loadConfig(['-t', '10'], {}).logging.endpointTimeoutMs).toBe(10_000);
    });

    it('the file flags set the log and problem files', () => {
      const config = loadConfig(
        ['--shop-log-file', 'x', '--solver-log-file', 'y', '--minimal-infeasible-problem-file', 'z'],
        {},
      );
      expect(config.logging.shopLogFile).toBe('x');
      expect(config.solver.logFile).toBe('y');
      expect(config.solver.minimalInfeasibleProblemFile).toBe('z');
    });

    it('a flag wins over its environment variable', () => {
      expect(loadConfig(['--port', '9000'], { TARN_PORT: '7000' }).http.port).toBe(9000);
      expect(loadConfig([], { TARN_PORT: '7000' }).http.port).toBe(7000);
    });

    it('a flag wins even over a bad environment variable', () => {
      expect(loadConfig(['-p', '9000'], { TARN_PORT: 'not-a-port' }).http.port).toBe(9000);
    });

    it('an unknown flag throws ConfigError', () => {
      const error = configError(['--bogus'], {});
      expect(error.problems).toHaveLength(1);
      expect(error.message).toContain('--bogus');
    });

    it('a stray argument throws ConfigError', () => {
      expect(configError(['extra'], {}).problems).toHaveLength(1);
    });

    it('a flag without its value throws ConfigError naming the flag', () => {
      expect(configError(['-p'], {}).message).toContain('--port');
    });
  });

  describe('--help', () => {
    it('throws HelpRequested with a help text listing every SHOP Server flag', () => {
      const error = thrown(() => loadConfig(['--help'], {}));
      expect(error).toBeInstanceOf(HelpRequested);
      const { text } = error as HelpRequested;
      for (const flag of [
        '--port',
        '--listen',
        '--max-sessions',
        '--logging-endpoint-timeout',
        '--shop-log-file',
        '--solver-log-file',
        '--minimal-infeasible-problem-file',
      ]) {
        expect(text).toContain(flag);
      }
    });

    it('-h is the short form', () => {
      expect(thrown(() => loadConfig(['-h'], {}))).toBeInstanceOf(HelpRequested);
    });
  });

  describe('environment variables', () => {
    it('TARN_TOKEN_LIFETIME=2s gives 2000 ms', () => {
      expect(loadConfig([], { TARN_TOKEN_LIFETIME: '2s' }).auth.tokenLifetimeMs).toBe(2000);
    });

    it.each([
      ['true', true],
      ['false', false],
      ['1', true],
      ['off', false],
    ])('TARN_API_SUNSET_ACTIVE=%s gives %s', (value, expected) => {
      expect(loadConfig([], { TARN_API_SUNSET_ACTIVE: value }).api.sunsetActive).toBe(expected);
    });

    it('an empty variable counts as unset', () => {
      const config = loadConfig([], { TARN_PORT: '', TARN_API_SUNSET_ACTIVE: '' });
      expect(config.http.port).toBe(8000);
      expect(config.api.sunsetActive).toBeUndefined();
    });

    it('variables that are not Tarn’s are ignored', () => {
      expect(() => loadConfig([], { PORT: 'nonsense', HOME: '/root' })).not.toThrow();
    });

    it('takes a valid secret, algorithm, database URL and lower-cases the admin email', () => {
      const config = loadConfig([], {
        TARN_JWT_SECRET: GOOD_SECRET,
        TARN_JWT_ALGORITHM: 'HS512',
        DATABASE_URL: 'postgres://u:p@localhost/tarn',
        TARN_ADMIN_EMAIL: 'Admin@Example.COM',
        TARN_BODY_LIMIT: '512kb',
        TARN_PGLITE_SHARED_BUFFERS: '64mb',
      });
      expect(config.auth.jwtSecret).toBe(GOOD_SECRET);
      expect(config.auth.jwtAlgorithm).toBe('HS512');
      expect(config.database.url).toBe('postgres://u:p@localhost/tarn');
      expect(config.auth.adminEmail).toBe('admin@example.com');
      expect(config.http.bodyLimitBytes).toBe(512 * 1024);
      expect(config.database.pgliteSharedBuffersBytes).toBe(64 * 1024 * 1024);
    });

    it('splits TARN_LOGGING_ENDPOINT_ALLOW on commas, dropping blanks', () => {
      expect(loadConfig([], { TARN_LOGGING_ENDPOINT_ALLOW: ' a.example , ,b.example' }).logging.endpointAllow).toEqual([
        'a.example',
        'b.example',
      ]);
    });
  });

  describe('bad values', () => {
    it('TARN_PORT=70000 names the variable and its flag', () => {
      const error = configError([], { TARN_PORT: '70000' });
      expect(error.problems).toHaveLength(1);
      expect(error.message).toContain('TARN_PORT');
      expect(error.message).toContain('--port');
      expect(error.message).toContain('70000');
    });

    it('a bad --port flag is reported under TARN_PORT (--port) too', () => {
      const error = configError(['--port', 'abc'], {});
      expect(error.problems[0]).toContain('TARN_PORT (--port)');
    });

    it('a bad -t value names TARN_LOGGING_ENDPOINT_TIMEOUT and --logging-endpoint-timeout', () => {
      const error = configError(['-t', 'soon'], {});
      expect(error.message).toContain('TARN_LOGGING_ENDPOINT_TIMEOUT');
      expect(error.message).toContain('--logging-endpoint-timeout');
    });

    it.each([
      ['TARN_JWT_SECRET', 'too-short'],
      ['TARN_JWT_ALGORITHM', 'none'],
      ['DATABASE_URL', 'mysql://x'],
      ['TARN_TOKEN_LIFETIME', 'forever'],
      ['TARN_API_SUNSET_ACTIVE', 'maybe'],
      ['TARN_BODY_LIMIT', 'huge'],
      ['TARN_PGLITE_SHARED_BUFFERS', 'plenty'],
      ['NODE_ENV', 'staging'],
      ['TARN_DATABASE_SCHEMA', 'Bad-Schema'],
    ])('%s=%s throws ConfigError naming the variable', (name, value) => {
      const error = configError([], { [name]: value });
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]).toContain(name);
      expect(error.message).toContain(name);
    });

    it('reports every bad value in one ConfigError', () => {
      const error = configError([], {
        TARN_PORT: '70000',
        TARN_JWT_SECRET: 'short',
        TARN_JWT_ALGORITHM: 'none',
        DATABASE_URL: 'mysql://x',
      });
      expect(error.problems).toHaveLength(4);
      for (const name of ['TARN_PORT', 'TARN_JWT_SECRET', 'TARN_JWT_ALGORITHM', 'DATABASE_URL']) {
        expect(error.problems.some((problem) => problem.includes(name))).toBe(true);
      }
      expect(error.name).toBe('ConfigError');
    });
  });

  describe('TARN_API_POLICIES', () => {
    it('parses valid JSON into policy rules, normalizing targets', () => {
      const config = loadConfig([], {
        TARN_API_POLICIES: JSON.stringify([
          { target: 'v1', deprecation: '2027-01-01', sunset: '2027-06-01' },
          {
            target: 'GET /api/v1/users/{id}/',
            deprecation: '2027-01-01',
            links: { 'successor-version': '/api/v2/users/:id' },
          },
        ]),
      });
      expect(config.api.policies).toEqual([
        {
          target: 'v1',
          deprecation: new Date('2027-01-01'),
          sunset: new Date('2027-06-01'),
          links: {},
        },
        {
          target: 'GET /api/v1/users/:id',
          deprecation: new Date('2027-01-01'),
          sunset: undefined,
          links: { 'successor-version': '/api/v2/users/:id' },
        },
      ]);
    });

    it.each([
      ['invalid JSON', '[{'],
      ['a bad target', JSON.stringify([{ target: 'bad target', deprecation: '2027-01-01' }])],
      [
        'a sunset before the deprecation',
        JSON.stringify([{ target: 'v1', deprecation: '2027-01-01', sunset: '2026-01-01' }]),
      ],
    ])('%s throws ConfigError naming TARN_API_POLICIES', (_what, value) => {
      const error = configError([], { TARN_API_POLICIES: value });
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]).toContain('TARN_API_POLICIES');
    });

    it('is reported together with other bad values', () => {
      const error = configError([], { TARN_API_POLICIES: '[{', TARN_PORT: '-1' });
      expect(error.problems).toHaveLength(2);
    });
  });

  describe('root-alias dates', () => {
    it('TARN_ROOT_ALIAS_SUNSET is parsed to a Date', () => {
      const config = loadConfig([], { TARN_ROOT_ALIAS_SUNSET: '2027-01-31' });
      expect(config.api.rootAlias.sunset).toBeInstanceOf(Date);
      expect(config.api.rootAlias.sunset?.toISOString()).toBe('2027-01-31T00:00:00.000Z');
    });

    it('TARN_ROOT_ALIAS_DEPRECATION replaces the default deprecation date', () => {
      const config = loadConfig([], { TARN_ROOT_ALIAS_DEPRECATION: '2026-01-01' });
      expect(config.api.rootAlias.deprecation.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    });

    it('a sunset before the (default) deprecation date is rejected', () => {
      const error = configError([], { TARN_ROOT_ALIAS_SUNSET: '2026-01-01' });
      expect(error.problems).toEqual(['TARN_ROOT_ALIAS_SUNSET must not be before TARN_ROOT_ALIAS_DEPRECATION']);
    });

    it('a sunset that is not a date is rejected', () => {
      const error = configError([], { TARN_ROOT_ALIAS_SUNSET: 'someday' });
      expect(error.problems[0]).toContain('TARN_ROOT_ALIAS_SUNSET must be a date');
    });

    it('the deprecation link must be an http(s) URL or an absolute path', () => {
      expect(
        loadConfig([], { TARN_ROOT_ALIAS_DEPRECATION_LINK: '/docs/root-aliases' }).api.rootAlias.deprecationLink,
      ).toBe('/docs/root-aliases');
      expect(configError([], { TARN_ROOT_ALIAS_DEPRECATION_LINK: 'docs' }).problems[0]).toContain(
        'TARN_ROOT_ALIAS_DEPRECATION_LINK',
      );
    });
  });
});

describe('metrics settings', () => {
  it('default to no metrics port (GET /metrics on the API port) and 127.0.0.1', () => {
    expect(loadConfig([], {}).metrics).toEqual({ port: undefined, host: '127.0.0.1' });
  });

  it('take TARN_METRICS_PORT and TARN_METRICS_HOST', () => {
    expect(loadConfig([], { TARN_METRICS_PORT: '9464', TARN_METRICS_HOST: '0.0.0.0' }).metrics).toEqual({
      port: 9464,
      host: '0.0.0.0',
    });
    expect(loadConfig([], { TARN_METRICS_PORT: '0' }).metrics.port).toBe(0);
  });

  it.each(['70000', '-1', 'metrics'])('TARN_METRICS_PORT=%s throws ConfigError naming the variable', (value) => {
    const error = configError([], { TARN_METRICS_PORT: value });
    expect(error.problems.length).toBeGreaterThan(0);
    expect(error.problems.every((problem) => problem.startsWith('TARN_METRICS_PORT must'))).toBe(true);
  });

  it('TARN_METRICS_HOST without TARN_METRICS_PORT is a mistake', () => {
    expect(configError([], { TARN_METRICS_HOST: '0.0.0.0' }).problems).toEqual([
      'TARN_METRICS_HOST needs TARN_METRICS_PORT (the metrics port it binds)',
    ]);
  });

  it('the metrics port must not be the API port, given by variable or flag', () => {
    expect(configError([], { TARN_METRICS_PORT: '8000' }).problems[0]).toContain('must differ from the API port');
    expect(configError(['--port', '9100'], { TARN_METRICS_PORT: '9100' }).problems[0]).toContain('(got 9100)');
    expect(loadConfig(['--port', '9100'], { TARN_METRICS_PORT: '8000' }).metrics.port).toBe(8000);
  });
});

describe('queue settings', () => {
  const PG = 'postgres://postgres@127.0.0.1:5432/tarn';

  it('default to no queue (solves in this process), prefix tarn, one retry, a 30 s lock', () => {
    const config = loadConfig([], {});
    expect(config.redisUrl).toBeUndefined();
    expect(config.queue).toEqual({
      prefix: 'tarn',
      workerConcurrency: availableParallelism(),
      lockTimeoutMs: 30_000,
      retries: 1,
    });
  });

  it('take REDIS_URL with DATABASE_URL and the worker settings', () => {
    const config = loadConfig([], {
      DATABASE_URL: PG,
      REDIS_URL: 'redis://cache:6380/2',
      TARN_QUEUE_PREFIX: 'tarn-prod',
      TARN_WORKER_CONCURRENCY: '3',
      TARN_WORKER_LOCK_TIMEOUT: '5s',
      TARN_WORKER_RETRIES: '0',
    });
    expect(config.redisUrl).toBe('redis://cache:6380/2');
    expect(config.queue).toEqual({ prefix: 'tarn-prod', workerConcurrency: 3, lockTimeoutMs: 5000, retries: 0 });
  });

  it('refuse REDIS_URL without DATABASE_URL: workers cannot share the embedded database', () => {
    const [problem] = configError([], { REDIS_URL: 'redis://127.0.0.1:6379' }).problems;
    expect(problem).toMatch(/^REDIS_URL needs DATABASE_URL: .*embedded database/);
  });

  it.each([
    ['TARN_WORKER_CONCURRENCY', '0'],
    ['TARN_WORKER_LOCK_TIMEOUT', 'soon'],
    ['TARN_WORKER_RETRIES', '-1'],
    ['TARN_QUEUE_PREFIX', 'a b'],
  ])('%s=%s throws ConfigError naming the variable', (name, value) => {
    const error = configError([], { DATABASE_URL: PG, REDIS_URL: 'redis://127.0.0.1:6379', [name]: value });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0].startsWith(`${name} must`)).toBe(true);
  });
});

describe('run heartbeat settings', () => {
  it('default to a beat every 10 s and a 30 s window', () => {
    expect(loadConfig([], {}).runs).toMatchObject({ heartbeatIntervalMs: 10_000, heartbeatTimeoutMs: 30_000 });
  });

  it('take TARN_RUN_HEARTBEAT_INTERVAL and TARN_RUN_HEARTBEAT_TIMEOUT', () => {
    const config = loadConfig([], { TARN_RUN_HEARTBEAT_INTERVAL: '2s', TARN_RUN_HEARTBEAT_TIMEOUT: '4500ms' });
    expect(config.runs).toMatchObject({ heartbeatIntervalMs: 2000, heartbeatTimeoutMs: 4500 });
  });

  it.each([
    [{ TARN_RUN_HEARTBEAT_INTERVAL: 'often' }, /^TARN_RUN_HEARTBEAT_INTERVAL must be a duration such as 10s/],
    [{ TARN_RUN_HEARTBEAT_TIMEOUT: 'late' }, /^TARN_RUN_HEARTBEAT_TIMEOUT must be a duration such as 30s/],
    [{ TARN_RUN_HEARTBEAT_INTERVAL: '500ms' }, /^TARN_RUN_HEARTBEAT_INTERVAL must be at least 1s \(got "500ms"\)/],
    // The default 30 s window is shorter than twice a 20 s interval: a live run could be failed.
    [
      { TARN_RUN_HEARTBEAT_INTERVAL: '20s' },
      /^TARN_RUN_HEARTBEAT_TIMEOUT must be at least twice TARN_RUN_HEARTBEAT_INTERVAL \(20s\) \(got "30s"\)/,
    ],
    [{ TARN_RUN_HEARTBEAT_TIMEOUT: '15s' }, /must be at least twice TARN_RUN_HEARTBEAT_INTERVAL \(10s\)/],
  ])('%j is a configuration error naming the variable', (env, message) => {
    const { problems } = configError([], env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });
});

describe('the limit of runs per account', () => {
  it('defaults to the solver pool size, as given or the CPU threads', () => {
    expect(loadConfig([], { TARN_SOLVER_POOL_SIZE: '3' }).runs.maxPerAccount).toBe(3);
    expect(loadConfig([], {}).runs.maxPerAccount).toBe(availableParallelism());
  });

  it('takes TARN_MAX_RUNS_PER_ACCOUNT, also above the pool size', () => {
    expect(loadConfig([], { TARN_MAX_RUNS_PER_ACCOUNT: '1', TARN_SOLVER_POOL_SIZE: '4' }).runs.maxPerAccount).toBe(1);
    expect(loadConfig([], { TARN_MAX_RUNS_PER_ACCOUNT: '8', TARN_SOLVER_POOL_SIZE: '4' }).runs.maxPerAccount).toBe(8);
  });

  it.each(['0', '-1', '1.5', 'many'])('TARN_MAX_RUNS_PER_ACCOUNT=%s is a configuration error naming it', (value) => {
    const { problems } = configError([], { TARN_MAX_RUNS_PER_ACCOUNT: value });
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem).toMatch(/^TARN_MAX_RUNS_PER_ACCOUNT must .*\(got "/);
  });
});

describe('the solver problem export', () => {
  it('is off unless TARN_SOLVER_EXPORT_DIR names a folder (empty is unset)', () => {
    expect(loadConfig([], {}).solver.exportDir).toBeUndefined();
    expect(loadConfig([], { TARN_SOLVER_EXPORT_DIR: '' }).solver.exportDir).toBeUndefined();
    expect(loadConfig([], { TARN_SOLVER_EXPORT_DIR: '/tmp/tarn-problems' }).solver.exportDir).toBe(
      '/tmp/tarn-problems',
    );
  });
});

describe('SHOP Server compatibility mode settings', () => {
  it('default to off, loopback networks and a 24 h idle time', () => {
    expect(loadConfig([], {}).shopCompat).toEqual({
      user: undefined,
      networks: ['127.0.0.1/32', '::1/128'],
      sessionIdleMs: 24 * 3_600_000,
    });
  });

  it('take the user (lower-cased), IPv4 and IPv6 networks (a bare address is one host) and the idle time', () => {
    const config = loadConfig([], {
      TARN_SHOP_COMPAT_USER: 'PyShop@Example.com',
      TARN_SHOP_COMPAT_NETWORKS: ' 10.0.0.0/8, fd00::/8 ,192.168.1.7,, ::1',
      TARN_SHOP_COMPAT_SESSION_IDLE: '90m',
    });
    expect(config.shopCompat).toEqual({
      user: 'pyshop@example.com',
      networks: ['10.0.0.0/8', 'fd00::/8', '192.168.1.7/32', '::1/128'],
      sessionIdleMs: 90 * 60_000,
    });
  });

  it.each([
    ['10.0.0/8', /"10\.0\.0\/8": not an IPv4 or IPv6 address/],
    ['10.0.0.0/33', /"10\.0\.0\.0\/33": the prefix must be 0 to 32/],
    ['::1/129', /the prefix must be 0 to 128/],
    ['127.0.0.1/8/8', /not an IPv4 or IPv6 address/],
    ['127.0.0.1/x', /the prefix must be 0 to 32/],
    ['localhost', /"localhost": not an IPv4 or IPv6 address/],
    [',', /no network given/],
  ])('TARN_SHOP_COMPAT_NETWORKS=%j is a configuration error naming the variable', (value, reason) => {
    const { problems } = configError([], { TARN_SHOP_COMPAT_NETWORKS: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^TARN_SHOP_COMPAT_NETWORKS must be comma-separated CIDRs/);
    expect(problems[0]).toMatch(reason);
  });

  it('names every entry that does not parse', () => {
    const [problem] = configError([], { TARN_SHOP_COMPAT_NETWORKS: '127.0.0.1/32,nope,::1/200' }).problems;
    expect(problem).toContain('"nope"');
    expect(problem).toContain('"::1/200"');
  });

  it.each([
    ['TARN_SHOP_COMPAT_USER', 'not-an-email', /^TARN_SHOP_COMPAT_USER must be an email/],
    ['TARN_SHOP_COMPAT_SESSION_IDLE', 'a day', /^TARN_SHOP_COMPAT_SESSION_IDLE must be a duration/],
    ['TARN_SHOP_COMPAT_SESSION_IDLE', '0', /^TARN_SHOP_COMPAT_SESSION_IDLE must be at least 1s/],
  ])('%s=%j is a configuration error', (name, value, message) => {
    const { problems } = configError([], { [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });
});

describe('loadConfig error messages', () => {
  it.each([
    ['TARN_JWT_SECRET', 'short-secret-value'],
    ['TARN_ADMIN_PASSWORD', 'pw1'],
    ['DATABASE_URL', 'mysql://user:hunter2@db/tarn'],
    ['REDIS_URL', 'http://:hunter2@cache'],
  ])('name %s but never show its value', (name, value) => {
    const error = configError([], { [name]: value });
    expect(error.message).toContain(name);
    expect(error.message).not.toContain(value);
    expect(error.message).not.toContain('hunter2');
  });

  it('still show the value of an ordinary variable', () => {
    expect(configError([], { TARN_LOG_LEVEL: 'loud' }).message).toContain('"loud"');
  });

  it('name TARN_API_POLICY_FILE when the file cannot be read, and still report a bad TARN_API_POLICIES', () => {
    const error = configError([], { TARN_API_POLICY_FILE: '/nonexistent/policies.json', TARN_API_POLICIES: 'nope' });
    expect(error.problems).toHaveLength(2);
    expect(error.problems[0]).toMatch(/^TARN_API_POLICY_FILE \(\/nonexistent\/policies.json\) cannot be read: ENOENT/);
    expect(error.problems[1]).toMatch(/^TARN_API_POLICIES is not valid JSON/);
  });
});

describe('parseDurationMs', () => {
  it.each([
    ['500ms', 500],
    ['3s', 3000],
    ['3', 3000],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['6h', 21_600_000],
    ['1d', 86_400_000],
    [' 10 s ', 10_000],
  ])('%j is %d ms', (text, expected) => {
    expect(parseDurationMs(text)).toBe(expected);
  });

  it.each(['', 'abc', '5w', '-1s', '1.s'])('rejects %j', (text) => {
    expect(() => parseDurationMs(text)).toThrow(`not a duration: ${text}`);
  });
});

describe('parseByteSize', () => {
  it.each([
    ['100', 100],
    ['100b', 100],
    ['512kb', 512 * 1024],
    ['50mb', 50 * 1024 ** 2],
    ['50MB', 50 * 1024 ** 2],
    ['1gb', 1024 ** 3],
    ['1.5kb', 1536],
  ])('%j is %d bytes', (text, expected) => {
    expect(parseByteSize(text)).toBe(expected);
  });

  it.each(['', 'lots', '5tb', '-1mb'])('rejects %j', (text) => {
    expect(() => parseByteSize(text)).toThrow(`not a size: ${text}`);
  });
});
