/**
 * Every workspace's tests in three projects; workspace imports resolve to their TypeScript sources.
 *
 * - `unit`: pure code beside its source, and the static checks of the deployment files. No global
 *   setup, no database, no Redis: `npm run test:unit` runs in seconds with both stopped.
 * - `component`: one package or service against the real Postgres and Redis of this machine.
 * - `system`: the whole path as a billing system, a browser or a PHP client sees it.
 *
 * `npm test` runs all three; every test file belongs to exactly one of them (test/jest-projects
 * checks it). The fault drills run on their own (npm run test:faults): see jest.faults.config.js.
 */
const shared = require('./jest.shared');

/** A database for the run and the programs the suites need (chromium, php), once per run. */
const withServices = {
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 30000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/packages/*/src/**/*.test.ts',
        '<rootDir>/services/*/src/**/*.test.ts',
        '<rootDir>/packages/{config,observability}/test/**/*.test.ts',
        '<rootDir>/test/console/{api-error,webhook-test-outcome}.test.ts',
        '<rootDir>/test/deploy/**/*.test.ts',
        '<rootDir>/test/support/*.test.ts',
        '<rootDir>/test/*.test.ts',
      ],
      // It reads the queue figure from a real Redis.
      testPathIgnorePatterns: ['/node_modules/', '/test/deploy/k8s-scaling-figure\\.test\\.ts$'],
    },
    {
      ...shared,
      ...withServices,
      displayName: 'component',
      testMatch: [
        '<rootDir>/packages/{cli,db,evolution,evolution-sandbox,provisioning,queue}/test/**/*.test.ts',
        '<rootDir>/services/*/test/**/*.test.ts',
        '<rootDir>/test/security/**/*.test.ts',
        '<rootDir>/test/deploy/k8s-scaling-figure.test.ts',
      ],
    },
    {
      ...shared,
      ...withServices,
      displayName: 'system',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts', '<rootDir>/test/console/**/*.browser.test.ts'],
    },
  ],
};
