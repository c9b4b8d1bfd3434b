/**
 * The audit log of a service process (the gateway, a member's subgraph) from its environment, checked
 * eagerly with messages that show the bad value:
 *
 * - `ACCORD_AUDIT_URL`: the log (`sqlite:/path/file.db` or `postgres://user@host:port/db`); default
 *   `sqlite:<data>/audit/<instance>.db`, one file per writer. Several gateway instances share one log
 *   through PostgreSQL.
 * - `ACCORD_AUDIT_KEYS`: the folder of the writers' Ed25519 keys, default `<data>/audit/keys`. On first
 *   start a writer makes `<instance>.key` (private, mode 0600) and adds its public key to `trusted.json`,
 *   the file `npm run audit -- verify --keys` pins the writers with.
 * - `ACCORD_AUDIT_RETENTION_DAYS`: a member's retention period, which `npm run audit -- purge` applies.
 * - `ACCORD_AUDIT=off` (or 0, false, no: lib/env.ts): no audit log (development only; the process says so when it starts).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvError, envFlag } from '../lib/env';
import { AuditError } from './AuditError';
import { validateInstance } from './chainWriter';
import { generateWriterKey, loadPrivateKey, publicKeyOf } from './keys';
import { openAuditLog, type AuditLog } from './openAuditLog';
import { TRUSTED_KEYS_FILE, pinWriterKey } from './trustedKeys';

export interface AuditEnvOptions {
  /** The writer instance: `gateway-1`, `kr`, … */
  readonly instance: string;
  /**
   * Whose default log to write into, when ACCORD_AUDIT_URL does not name one: another instance's file
   * (`sqlite:<data>/audit/<logOf>.db`), as a chain of its own. The owner's desk (`kh-desk`) writes into
   * the owner's log (`kh`), beside its disclosures. Default: the instance's own.
   */
  readonly logOf?: string;
  /** Where the service keeps what it creates (lib/process.ts dataDir()). */
  readonly dataDir: string;
  readonly env?: NodeJS.ProcessEnv;
}

export interface AuditFromEnv {
  /** Absent with `ACCORD_AUDIT=off`. */
  readonly log?: AuditLog;
  /** The retention period in days, when one is set. */
  readonly retentionDays?: number;
  /** One line for the service's start-up log: where it records, or that it does not. */
  readonly summary: string;
}

export async function openAuditLogFromEnv(options: AuditEnvOptions): Promise<AuditFromEnv> {
  const env = options.env ?? process.env;
  const instance = validateInstance(options.instance);
  const retentionDays = retentionDaysFromEnv(env);
  let recording: boolean;
  try {
    // A switch like every other (lib/env.ts): on by default; off also as 0, false, no.
    recording = envFlag(env, 'ACCORD_AUDIT', true);
  } catch (error) {
    if (error instanceof EnvError) throw new AuditError('BAD_INPUT', error.message);
    throw error;
  }
  if (!recording) {
    return {
      ...(retentionDays !== undefined ? { retentionDays } : {}),
      summary: 'audit log OFF (ACCORD_AUDIT=off): no consultation or disclosure is recorded',
    };
  }
  const auditDir = join(options.dataDir, 'audit');
  const url =
    env['ACCORD_AUDIT_URL'] ||
    `sqlite:${join(auditDir, `${options.logOf === undefined ? instance : validateInstance(options.logOf)}.db`)}`;
  // Refused before anything is made (a key, a folder).
  if (!/^(sqlite:.|postgres(ql)?:\/\/)/.test(url)) {
    throw new AuditError(
      'BAD_URL',
      `ACCORD_AUDIT_URL is "sqlite:/path/file.db" or "postgres://user@host:port/db", not ${JSON.stringify(url.replace(/:[^:@/]*@/, ':***@'))}.`,
    );
  }
  if (url.startsWith('sqlite:')) mkdirSync(join(url.slice('sqlite:'.length), '..'), { recursive: true });
  const privateKeyPem = ensureWriterKey(env['ACCORD_AUDIT_KEYS'] || join(auditDir, 'keys'), instance);
  const log = await openAuditLog({ url, writer: { instance, privateKeyPem } });
  const retention = retentionDays !== undefined ? `, retention ${retentionDays} days` : '';
  return {
    log,
    ...(retentionDays !== undefined ? { retentionDays } : {}),
    summary: `audit log ${log.description} as ${instance}${retention}`,
  };
}

export function retentionDaysFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env['ACCORD_AUDIT_RETENTION_DAYS'];
  if (raw === undefined || raw === '') return undefined;
  const days = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(days) || days < 1) {
    throw new AuditError(
      'BAD_INPUT',
      `ACCORD_AUDIT_RETENTION_DAYS must be a whole number of days ≥ 1, not ${JSON.stringify(raw)}.`,
    );
  }
  return days;
}

/**
 * The writer's private key from `<dir>/<instance>.key`, made on first start; its public key is pinned in
 * `<dir>/trusted.json` (instance → key, the format of `verify --keys`).
 */
export function ensureWriterKey(dir: string, instance: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${instance}.key`);
  if (!existsSync(file)) {
    try {
      writeFileSync(file, generateWriterKey().privateKeyPem, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process of the same instance made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(file, 0o600);
  const privateKeyPem = readFileSync(file, 'utf8');
  loadPrivateKey(privateKeyPem);
  pinWriterKey(join(dir, TRUSTED_KEYS_FILE), instance, publicKeyOf(privateKeyPem));
  return privateKeyPem;
}
