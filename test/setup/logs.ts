/**
 * Jest setup (jest.config.js `setupFiles`): every logger of the services a test starts, in this process or in
 * a child process that inherits the environment, writes to one file instead of the terminal, so that
 * `npm test` prints only test results. Read the logs of a run in artifacts/test-logs/jest.ndjson (one JSON
 * object per line; each names its `service`). A developer who wants them on screen sets ACCORD_LOG_FILE=''.
 */
import { join } from 'node:path';

process.env['ACCORD_LOG_FILE'] ??= join(__dirname, '..', '..', 'artifacts', 'test-logs', 'jest.ndjson');
