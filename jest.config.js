// Tests run against the sources: package names map to src/, so no build is needed.
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
    module: { type: 'commonjs' },
  },
];

const moduleNameMapper = {
  '^@cqrs/(core|protobuf|kafka|rabbitmq|postgres)$': '<rootDir>/packages/$1/src/index.ts',
  '^@cqrs/(core|kafka|rabbitmq)/transport$': '<rootDir>/packages/$1/src/transport/index.ts',
  '^@cqrs/example-protos$': '<rootDir>/proto/src/index.ts',
  '^@cqrs/test-fixtures$': '<rootDir>/tests/fixtures/src/index.ts',
  '^(\\.{1,2}/.*)\\.js$': '$1',
};

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  // SQL files load as strings, as tsup's text loader inlines them in the build.
  transform: { '^.+\\.(t|j|mj)s$': swc, '^.+\\.sql$': '<rootDir>/scripts/jest-text-transform.js' },
  // ESM-only dependencies are transformed to CJS for jest.
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/)?(@bufbuild|uuid))'],
  moduleNameMapper,
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
  // tsyringe needs the Reflect metadata polyfill before any decorated class loads.
  setupFiles: ['reflect-metadata'],
};

/** @type {import('jest').Config} */
module.exports = {
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
  // Integration tests wait on real servers; a per-project testTimeout is not honoured.
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{packages,examples,bench,tests}/**/*.test.ts'],
      // Integration, fault and packaging tests have their own projects; `pnpm test` runs none of them.
      testPathIgnorePatterns: ['/node_modules/', '\\.int\\.test\\.ts$', '\\.pkg\\.test\\.ts$', '/dist/'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{packages,examples,bench,tests}/**/*.int.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/tests/faults/'],
      testTimeout: 60000,
    },
    {
      // Kills, freezes and restarts isolated servers (scripts/services --isolated): run alone.
      ...common,
      displayName: 'faults',
      testMatch: ['<rootDir>/tests/faults/**/*.int.test.ts'],
      globalTeardown: '<rootDir>/tests/faults/global-teardown.cjs',
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    },
    {
      // Packs every package and installs the tarballs into apps outside the workspace: run after
      // `turbo run build`, with the npm registry reachable (scripts/test-all, CI).
      ...common,
      displayName: 'packaging',
      testMatch: ['<rootDir>/tests/packaging/**/*.pkg.test.ts'],
      testPathIgnorePatterns: ['/node_modules/'],
      moduleNameMapper: {},
      testTimeout: 120000,
    },
  ],
};
