// Three Jest projects in ESM mode: unit tests (src/, *.spec.ts), service-level tests on the test
// database (test/medium/, *.medium-spec.ts) and end-to-end tests (test/, *.e2e-spec.ts).
// `npm test -- --selectProjects unit` runs one of them.
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  setupFiles: ['reflect-metadata'],
};

export default {
  testTimeout: 30000,
  // One test file per core (Jest's default leaves one core to itself: a single worker on 2 cores).
  // The files keep apart: a database schema or in-memory database, ports and queue prefix each.
  maxWorkers: '100%',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/web/src/**/*.spec.ts'],
      // Once per run: the solver pool's worker, bundled from the sources.
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    { ...common, displayName: 'medium', testMatch: ['<rootDir>/test/**/*.medium-spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      // Once per run: the solver's worker bundle, and the migrated in-memory database every test app starts from.
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
