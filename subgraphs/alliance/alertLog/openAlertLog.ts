/**
 * Opens the hub's alert log as its environment says (docs/operations.md has the table):
 *
 * - `ACCORD_ALERTS_URL`: a `postgres://` URL, for several hub processes sharing one log; unset: SQLite,
 *   `<data>/alliance-alerts.sqlite`, for one hub process;
 * - the owners' notice keys: `ACCORD_NOTICE_KEYS`, or the folder members publish them to (./noticeKeys.ts).
 *
 * A bad value stops the hub at start-up with a message that names the variable (docs/style.md, rule 8).
 */
import { join } from 'node:path';
import type { Env } from '../../../lib/env';
import type { AlertLog } from './AlertLog';
import { noticeKeysFromEnv } from './noticeKeys';
import { openPostgresAlertLog } from './postgresAlertLog';
import { openSqliteAlertLog } from './sqliteAlertLog';

export const ALERTS_URL_VARIABLE = 'ACCORD_ALERTS_URL';

export function alertLogFile(dataDir: string): string {
  return join(dataDir, 'alliance-alerts.sqlite');
}

export interface AlertLogFromEnvOptions {
  readonly env: Env;
  readonly dataDir: string;
  /** The member codes whose notices the hub takes (the registry's). */
  readonly members: readonly string[];
  readonly onError?: (error: Error) => void;
}

export async function openAlertLogFromEnv(options: AlertLogFromEnvOptions): Promise<AlertLog> {
  const keys = noticeKeysFromEnv(options.env, options.dataDir, options.members);
  const url = options.env[ALERTS_URL_VARIABLE]?.trim();
  if (url === undefined || url === '')
    return openSqliteAlertLog({ file: alertLogFile(options.dataDir), keys });
  if (!/^postgres(ql)?:\/\/./.test(url))
    throw new Error(
      `${ALERTS_URL_VARIABLE} must be a PostgreSQL URL (postgres://user@host:port/db); unset it for the SQLite log in the data folder.`,
    );
  return openPostgresAlertLog({
    url,
    keys,
    ...(options.onError ? { onError: options.onError } : {}),
  });
}
