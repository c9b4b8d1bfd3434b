import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The owner's secret for hit tokens (subgraphs/kit/followUp/hitTokens.ts): 32 random bytes, made on first
 * use, readable by the owner's process only. Only the owner signs and checks its hit tokens, so a shared
 * secret (HMAC) is enough; it never leaves the owner's data directory.
 */
export function hitKeyFile(country: string, dataDir: string): string {
  return join(dataDir, 'desk', `${country.toLowerCase()}-hit-key`);
}

export function ensureHitKey(file: string): Buffer {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process of the same member made it first: read theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length < 32)
    throw new Error(`${file} does not hold a hit-token key (32 bytes, base64): delete it to make a new one.`);
  return key;
}
