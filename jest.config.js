/** One Jest run over every workspace; workspace imports resolve to their TypeScript sources. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/services', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The fault drills run on their own (npm run test:faults): see jest.faults.config.js.
  testPathIgnorePatterns: ['/node_modules/', '\\.faults\\.test\\.ts$'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
  },
  moduleNameMapper: {
    '^@telenexus/(ingress|dispatcher)$': '<rootDir>/services/$1/src',
    '^@telenexus/([a-z-]+)$': '<rootDir>/packages/$1/src',
  },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 30000,
};
