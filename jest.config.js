/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Every end-to-end answer's error codes must be of the closed set (test/support/errorCodeWatch.ts).
  setupFilesAfterEnv: ['<rootDir>/test/support/errorCodeWatch.ts'],
  // Services' logs go to artifacts/test-logs/, not into the test output (test/setup/logs.ts).
  setupFiles: ['<rootDir>/test/setup/logs.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
  },
  // jose ships ES modules only; let swc turn them into CommonJS for jest's module system.
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  // Two cores: more workers than that only contend.
  maxWorkers: 2,
  testTimeout: 30000,
};
