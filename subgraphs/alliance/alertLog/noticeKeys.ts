/**
 * The owners' notice keys the hub pins (docs/decisions/0019-alert-delivery.md, "From the outbox to the
 * hub"): each member's Ed25519 public key, SPKI DER in base64 (alerts/notice.ts `noticePublicKey`).
 *
 * - `ACCORD_NOTICE_KEYS`: a JSON object of member code → key, read once at start-up; a bad value stops
 *   the hub with a message that says what is wrong (docs/style.md, rule 8). Only these keys are trusted.
 * - Without it, the embedded default: the folder `<data>/alerts/notice-keys/`, where each member that
 *   runs on this machine publishes `<CC>.spki` when it starts. The folder is read again when a notice
 *   names an owner the hub has no key for yet, so a member started after the hub is trusted without a
 *   restart; a key once read is kept until the hub restarts.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../../../lib/env';

export const NOTICE_KEYS_VARIABLE = 'ACCORD_NOTICE_KEYS';

export interface NoticeKeys {
  /**
   * The owner's pinned key as SPKI DER in base64 (checked to be an Ed25519 public key when it was read),
   * or undefined when the hub has none for it. A string, not a KeyObject: readNotice.ts makes the key
   * object, once per key.
   */
  keyOf(owner: string): string | undefined;
  /** For logs: where the keys come from. */
  readonly description: string;
}

/** The folder members publish their notice keys to, on one machine. */
export function noticeKeyFolder(dataDir: string): string {
  return join(dataDir, 'alerts', 'notice-keys');
}

/** A configuration the hub cannot start with; the message says what to fix. */
export class NoticeKeysError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoticeKeysError';
  }
}

const MEMBER_CODE = /^[A-Z]{2}$/;

/** An Ed25519 public key from SPKI DER in base64; undefined when it is not one. */
export function noticeKeyFrom(spkiBase64: string): KeyObject | undefined {
  const text = spkiBase64.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  try {
    const key = createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ed25519' ? key : undefined;
  } catch {
    return undefined;
  }
}

/** Keys given as a JSON object of member code → SPKI DER base64; every problem is named at once. */
export function pinnedNoticeKeys(json: string, members: readonly string[]): NoticeKeys {
  const where = `${NOTICE_KEYS_VARIABLE} (a JSON object of member code → Ed25519 public key, SPKI DER in base64)`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new NoticeKeysError(`${where} is not valid JSON.`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new NoticeKeysError(
      `${where} must be a JSON object, not ${Array.isArray(parsed) ? 'a list' : String(parsed === null ? 'null' : typeof parsed)}.`,
    );
  const problems: string[] = [];
  const keys = new Map<string, string>();
  for (const [code, value] of Object.entries(parsed as Record<string, unknown>)) {
    // The code is said back only when it is short and printable; a key's value never is.
    const shown = /^[\x20-\x7e]{1,8}$/.test(code) ? JSON.stringify(code) : 'a name';
    if (!MEMBER_CODE.test(code) || !members.includes(code)) {
      problems.push(`${shown} is not a member code (members: ${members.join(', ')})`);
      continue;
    }
    const key = typeof value === 'string' ? noticeKeyFrom(value) : undefined;
    if (!key) problems.push(`the key of ${code} is not an Ed25519 public key in SPKI DER, base64`);
    else keys.set(code, spkiOf(key));
  }
  if (problems.length > 0) throw new NoticeKeysError(`${where}: ${problems.join('; ')}.`);
  return {
    description: `${keys.size} notice key(s) pinned by ${NOTICE_KEYS_VARIABLE}`,
    keyOf: (owner) => keys.get(owner),
  };
}

/**
 * Keys read from `<CC>.spki` files in `folder` (the text SPKI DER base64, or the DER bytes themselves),
 * read again when an owner without a key is asked for. A file that holds no Ed25519 key pins nothing.
 */
export function folderNoticeKeys(folder: string, members: readonly string[]): NoticeKeys {
  const keys = new Map<string, string>();
  const readFolder = (): void => {
    if (!existsSync(folder)) return;
    for (const name of readdirSync(folder)) {
      const code = name.endsWith('.spki') ? name.slice(0, -'.spki'.length) : '';
      if (!MEMBER_CODE.test(code) || !members.includes(code) || keys.has(code)) continue;
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(folder, name));
      } catch {
        continue;
      }
      const key = noticeKeyFrom(bytes.toString('latin1')) ?? derKey(bytes);
      if (key) keys.set(code, spkiOf(key));
    }
  };
  readFolder();
  return {
    description: `notice keys published in ${folder}`,
    keyOf(owner) {
      if (!keys.has(owner) && members.includes(owner)) readFolder();
      return keys.get(owner);
    },
  };
}

function spkiOf(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'der' }).toString('base64');
}

function derKey(bytes: Buffer): KeyObject | undefined {
  try {
    const key = createPublicKey({ key: bytes, format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ed25519' ? key : undefined;
  } catch {
    return undefined;
  }
}

/** `ACCORD_NOTICE_KEYS` when set (not blank), else the folder under the data folder. */
export function noticeKeysFromEnv(env: Env, dataDir: string, members: readonly string[]): NoticeKeys {
  const pinned = env[NOTICE_KEYS_VARIABLE];
  if (pinned !== undefined && pinned.trim() !== '') return pinnedNoticeKeys(pinned, members);
  return folderNoticeKeys(noticeKeyFolder(dataDir), members);
}
