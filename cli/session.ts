import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError } from './CliError';
import { EXIT } from './exitCodes';

/**
 * The analyst's cached token: one file, `session.json`, that only its owner can read (0600, in a 0700
 * folder), with who it speaks for and when it expires, so that every command after `accord login` sends it
 * and an expired one is answered with "log in again" before anything is sent.
 *
 * Where: `ACCORD_CLI_HOME`, else `$XDG_CONFIG_HOME/accord`, else `~/.config/accord`.
 */

export interface Session {
  readonly country: string;
  readonly analyst: string;
  readonly roles: readonly string[];
  readonly token: string;
  /** ISO 8601. */
  readonly expiresAt: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

export const SESSION_FILE = 'session.json';

export function sessionDir(env: Env): string {
  if (env['ACCORD_CLI_HOME']) return env['ACCORD_CLI_HOME'];
  return join(env['XDG_CONFIG_HOME'] || join(env['HOME'] || homedir(), '.config'), 'accord');
}

export function sessionPath(env: Env): string {
  return join(sessionDir(env), SESSION_FILE);
}

/** Writes the session whole (beside it, then renamed), readable by its owner only; returns its path. */
export function saveSession(env: Env, session: Session): string {
  const dir = sessionDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, SESSION_FILE);
  const temporary = join(dir, `.${SESSION_FILE}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    // 0600 from the first byte ('wx' creates it new), and again after: the umask may have narrowed the mode, never widened it.
    writeFileSync(temporary, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(temporary, 0o600);
    renameSync(temporary, file);
  } finally {
    rmSync(temporary, { force: true });
  }
  return file;
}

/** Forgets the session; says whether there was one. */
export function removeSession(env: Env): boolean {
  const file = sessionPath(env);
  try {
    statSync(file);
  } catch {
    return false;
  }
  rmSync(file, { force: true });
  return true;
}

/** The cached session, still valid at `now`; otherwise a CliError (EXIT.AUTH) that says what to do. */
export function loadSession(env: Env, now: number): Session {
  const file = sessionPath(env);
  let text: string;
  try {
    // Refused when others may read it: a token another user could have copied is not one to keep using.
    if ((statSync(file).mode & 0o077) !== 0) {
      throw new CliError(
        `Your token file ${file} can be read by other users: delete it and log in again (accord login).`,
        EXIT.AUTH,
      );
    }
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError('You are not logged in: accord login --country CC --analyst ID first.', EXIT.AUTH);
  }
  const session = parseSession(text);
  if (!session)
    throw new CliError(
      `Your token file ${file} is not one accord wrote: log in again (accord login).`,
      EXIT.AUTH,
    );
  if (Date.parse(session.expiresAt) <= now) {
    throw new CliError(
      `Your token for ${session.analyst} (${session.country}) expired at ${session.expiresAt}: log in again (accord login --country ${session.country} --analyst ${session.analyst}).`,
      EXIT.AUTH,
    );
  }
  return session;
}

function parseSession(text: string): Session | undefined {
  try {
    const value = JSON.parse(text) as Partial<Session>;
    const ok =
      typeof value.country === 'string' &&
      typeof value.analyst === 'string' &&
      typeof value.token === 'string' &&
      typeof value.expiresAt === 'string' &&
      !Number.isNaN(Date.parse(value.expiresAt)) &&
      Array.isArray(value.roles);
    return ok ? (value as Session) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The `exp` and `iat` of a JWT, read without checking its signature: only the gateway decides whether to
 * trust a token; the CLI reads its expiry to say "expired" before sending it.
 */
export function tokenTimes(
  token: string,
): { readonly expiresAt: number; readonly issuedAt?: number } | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      exp?: unknown;
      iat?: unknown;
    };
    if (typeof claims.exp !== 'number') return undefined;
    return {
      expiresAt: claims.exp * 1000,
      ...(typeof claims.iat === 'number' ? { issuedAt: claims.iat * 1000 } : {}),
    };
  } catch {
    return undefined;
  }
}
