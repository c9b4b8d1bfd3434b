import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Writing key material so that a reader never sees half a file, and two processes starting at once never
 * end up with two different keys under one name.
 */

/** A folder only its owner can read (private keys live in it). */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Replaces `file` whole: written beside it, then renamed over it (atomic on one file system). */
export function writeFileAtomic(file: string, content: string, mode = 0o644): void {
  const temporary = join(dirname(file), `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, content, { mode });
    chmodSync(temporary, mode);
    renameSync(temporary, file);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/**
 * Creates `file` with `content` only if it does not exist yet, whole or not at all: the content is written
 * beside it and hard-linked into place, which fails if another process got there first. Returns whether
 * this call created it.
 */
export function createFileExclusive(file: string, content: string, mode = 0o600): boolean {
  const temporary = join(dirname(file), `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, content, { mode });
    chmodSync(temporary, mode);
    linkSync(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}
