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
  // Suites start servers in-process (s3rver, the protocol test servers, Fastify): a handle one of
  // them leaves open must not keep the run waiting after its summary is written.
  forceExit: true,
  reporters: ['default', ['<rootDir>/test/support/count-reporter.cjs', {}]],
};

export default config;
