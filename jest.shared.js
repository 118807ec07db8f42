/** What every Jest project shares: how TypeScript and the workspace packages are loaded. */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
  },
  moduleNameMapper: {
    '^@telenexus/(ingress|dispatcher)$': '<rootDir>/services/$1/src',
    '^@telenexus/([a-z-]+)$': '<rootDir>/packages/$1/src',
  },
};
