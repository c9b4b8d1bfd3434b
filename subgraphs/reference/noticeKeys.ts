import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/**
 * Where a member keeps its notice key and publishes the public half (docs/decisions/0019-alert-delivery.md,
 * "Pinned keys"): the private key beside its grant key (`<dir>/desk/<cc>-notice-key.pem`, made on first use
 * by alerts/notice.ts ensureNoticeKey), the public one in the folder the hub reads when it meets an owner
 * it has no key for (`<data>/alerts/notice-keys/<CC>.spki`: SPKI DER in base64, the form the hub
 * pins).
 */
export function noticeKeyFile(country: string, dataDir: string): string {
  return join(dataDir, 'desk', `${country.toLowerCase()}-notice-key.pem`);
}

export function publishedNoticeKeyFile(country: string, dataDir: string): string {
  return join(dataDir, 'alerts', 'notice-keys', `${country.toUpperCase()}.spki`);
}

/**
 * Writes the public key where the hub reads it, atomically (a temporary file renamed over the old one): a
 * reader sees the old key or the new one, never a part. Returns the file.
 */
export function publishNoticeKey(country: string, dataDir: string, publicKey: string): string {
  const file = publishedNoticeKeyFile(country, dataDir);
  mkdirSync(join(dataDir, 'alerts', 'notice-keys'), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, publicKey, { mode: 0o644 });
  renameSync(temporary, file);
  return file;
}
