import pino, { type Logger } from 'pino';

/**
 * One structured logger per process part. `LOG_LEVEL` sets the level; tests default to `warn` so that
 * their output stays readable.
 */
export function createLogger(name: string): Logger {
  const level = process.env['LOG_LEVEL'] ?? (process.env['NODE_ENV'] === 'test' ? 'warn' : 'info');
  return pino({ name, level, base: { service: name } });
}

export type { Logger };
