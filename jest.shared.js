/**
 * What every Jest project shares: how TypeScript and the workspace packages are loaded, and that
 * every test asserts something.
 */
module.exports = {
  testEnvironment: 'node',
  // Every test must assert something: see the file.
  setupFilesAfterEnv: ['<rootDir>/test/support/every-test-asserts.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
  },
  moduleNameMapper: {
    '^@telenexus/(ingress|dispatcher)$': '<rootDir>/services/$1/src',
    '^@telenexus/([a-z-]+)$': '<rootDir>/packages/$1/src',
  },
};
