import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

/**
 * One structured logger per process part. Where and how it writes:
 *
 * - `ACCORD_LOG_FILE=<path>`: JSON lines appended to that file. The test suite sets it (test/setup/logs.ts),
 *   so `npm test` prints test results only; the logs stay readable in artifacts/test-logs/.
 * - otherwise `ACCORD_LOG_FORMAT=pretty`, or a terminal on standard output: one readable line per entry
 *   ("09:41:02 INFO audit log sqlite:… as kr"). `npm start` sets the format for its services, whose output
 *   reaches the terminal through the supervisor.
 * - otherwise (`ACCORD_LOG_FORMAT=json`, or output to a pipe or a file): one JSON object per line, for log
 *   collectors.
 *
 * `LOG_LEVEL` sets the level (pino's names: trace, debug, info, warn, error, fatal, silent); tests default
 * to `warn`.
 */
export function createLogger(name: string): Logger {
  const level = process.env['LOG_LEVEL'] ?? (process.env['NODE_ENV'] === 'test' ? 'warn' : 'info');
  return pino({ name, level, base: { service: name } }, destination(process.env));
}

export type LogFormat = 'pretty' | 'json';

/** The format a process logs in when no log file is set: the variable if it names one, else by its output. */
export function logFormatFor(env: NodeJS.ProcessEnv, outputIsTerminal: boolean): LogFormat {
  const named = env['ACCORD_LOG_FORMAT'];
  if (named === 'pretty' || named === 'json') return named;
  return outputIsTerminal ? 'pretty' : 'json';
}

function destination(env: NodeJS.ProcessEnv): DestinationStream | undefined {
  const file = env['ACCORD_LOG_FILE'];
  if (file !== undefined && file !== '')
    return pino.destination({ dest: file, append: true, mkdir: true, sync: true });
  if (logFormatFor(env, process.stdout.isTTY === true) === 'json') return undefined;
  // Synchronous, so that the last lines before an exit are not lost; the service name is left out because
  // the supervisor already prefixes each line with it.
  return pretty({
    sync: true,
    colorize: process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,service,name',
  });
}

export type { Logger };
