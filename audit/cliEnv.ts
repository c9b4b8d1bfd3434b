import { join } from 'node:path';
import { envText, type Env } from '../lib/env';

/**
 * Everything `npm run audit` reads from its environment, in one place (docs/operations.md has the table).
 * Each stands in for an option when the option is not given; an empty value is the default, as for
 * every Accord variable. Values are checked where they are used, by the command that needs them: a
 * retention period that `verify` does not use does not stop `verify`.
 */
export interface AuditCliEnv {
  /** `ACCORD_AUDIT_LOG`: the log, for `--log`. */
  readonly log?: string;
  /** `ACCORD_DATA_DIR`, else `data`: the hub's registry of emergencies, for `review --emergencies`. */
  readonly dataDir: string;
  /** `ACCORD_AUDIT_RETENTION_DAYS`, as given, for `purge --retention-days`. */
  readonly retentionDays?: string;
  /** `ACCORD_AUDIT_INSTANCE`, else `audit-cli`: who writes reviews and purges, for `--instance`. */
  readonly instance: string;
  /** `ACCORD_AUDIT_KEY_FILE`: that writer's key, for `--key`. */
  readonly keyFile?: string;
  /** `ACCORD_AUDIT_KEYS`, else `<data>/audit/keys`: where the services pin their keys. */
  readonly keysDir: string;
}

export function auditCliEnv(env: Env): AuditCliEnv {
  const dataDir = envText(env, 'ACCORD_DATA_DIR') ?? 'data';
  const log = envText(env, 'ACCORD_AUDIT_LOG');
  const retentionDays = envText(env, 'ACCORD_AUDIT_RETENTION_DAYS');
  const keyFile = envText(env, 'ACCORD_AUDIT_KEY_FILE');
  return {
    ...(log !== undefined && { log }),
    dataDir,
    ...(retentionDays !== undefined && { retentionDays }),
    instance: envText(env, 'ACCORD_AUDIT_INSTANCE') ?? 'audit-cli',
    ...(keyFile !== undefined && { keyFile }),
    keysDir: envText(env, 'ACCORD_AUDIT_KEYS') ?? join(dataDir, 'audit', 'keys'),
  };
}
