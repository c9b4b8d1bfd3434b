/**
 * Pinned writer keys: which public keys may sign each chain's checkpoints. Without pinning, a verifier can
 * only check signatures against the keys the log itself names, and someone able to rewrite the whole log
 * could re-sign it with a key of their own.
 */
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { AuditError } from './AuditError';
import { publicKeyOf } from './keys';
import { whyUnreadable } from '../lib/unreadable';

/** The trusted keys file's name in a writers' key folder (`<data>/audit/keys/trusted.json`). */
export const TRUSTED_KEYS_FILE = 'trusted.json';

/** Instance → allowed public keys (SPKI DER, base64). */
export type TrustedKeys = ReadonlyMap<string, ReadonlySet<string>>;

/** From `{ "gw-1": "<base64 SPKI or PEM>", "kh-subgraph": ["<key>", "<older key>"] }`. */
export function trustedKeysFrom(value: unknown, source = 'the trusted keys'): TrustedKeys {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AuditError(
      'BAD_INPUT',
      `${source} must be a JSON object of instance → public key(s), e.g. {"gw-1": "MCowBQYDK2VwAyEA..."}.`,
    );
  }
  const keys = new Map<string, Set<string>>();
  for (const [instance, given] of Object.entries(value as Record<string, unknown>)) {
    const list = Array.isArray(given) ? given : [given];
    const set = new Set<string>();
    for (const key of list) {
      try {
        if (typeof key !== 'string') throw new Error('not a string');
        set.add(publicKeyOf(key));
      } catch (error) {
        throw new AuditError(
          'BAD_INPUT',
          `${source}: the key for "${instance}" is not an Ed25519 public key (${(error as Error).message}): ${JSON.stringify(key)}.`,
        );
      }
    }
    keys.set(instance, set);
  }
  return keys;
}

export function readTrustedKeys(file: string): TrustedKeys {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AuditError('BAD_INPUT', `Cannot read the trusted keys file ${file}: ${whyUnreadable(error)}.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new AuditError(
      'BAD_INPUT',
      `The trusted keys file ${file} is not JSON: ${(error as Error).message}`,
    );
  }
  return trustedKeysFrom(parsed, file);
}

/**
 * Adds a writer's public key to a trusted keys file (made when missing), beside the keys it already pins
 * for the instance. Several processes may pin at once (the services of `npm start` and `npm run deploy`
 * start together): each reads, adds and writes the file holding `<file>.lock`, so that none writes over a
 * key another has just added, and writes a whole new file it renames into place, so that no reader sees
 * half of one.
 */
export function pinWriterKey(file: string, instance: string, publicKey: string): void {
  withLock(file, () => {
    const pinned = readPinned(file);
    const keys =
      pinned[instance] === undefined
        ? []
        : Array.isArray(pinned[instance])
          ? (pinned[instance] as string[])
          : [pinned[instance] as string];
    if (keys.includes(publicKey)) return;
    pinned[instance] = keys.length === 0 ? publicKey : [...keys, publicKey];
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(pinned, null, 2)}\n`, { mode: 0o644 });
    renameSync(temporary, file);
  });
}

/** A lock held longer than this was left by a process that died holding it. */
const STALE_LOCK_MS = 10_000;
const LOCK_WAIT_MS = 15_000;

/** Runs `update` holding `<file>.lock` (made exclusively; waited for; taken over when stale). */
function withLock(file: string, update: () => void): void {
  const lock = `${file}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    try {
      if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { force: true });
    } catch {
      // Released meanwhile: try again.
    }
    if (Date.now() > deadline)
      throw new AuditError(
        'LOG_UNAVAILABLE',
        `Could not pin a writer key in ${file}: ${lock} stayed taken (delete it if no process is starting).`,
      );
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
  }
  try {
    update();
  } finally {
    rmSync(lock, { force: true });
  }
}

function readPinned(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // rewritten below
  }
  throw new AuditError(
    'BAD_INPUT',
    `${file} is not a trusted keys file (a JSON object of instance → public key); fix or remove it.`,
  );
}
