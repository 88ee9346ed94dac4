import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  // Integration suites share MariaDB, PostgreSQL and 2 cores: run files one at a time.
  maxWorkers: 1,
  testTimeout: 60_000,
  reporters: ['default', ['<rootDir>/test/support/count-reporter.cjs', {}]],
};

export default config;
