/**
 * A file a person names that cannot be read is said in words (lib/unreadable.ts), not as node's
 * "ENOENT: no such file or directory, open '…'". The errors are node's own, from reading real paths.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { whyUnreadable } from '../../lib/unreadable';
import { readGrantFile } from '../../legal/readGrantFile';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'accord-unreadable-'));
  writeFileSync(join(dir, 'a-file'), 'text');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The error node throws when reading `path`. */
function errorReading(path: string): unknown {
  try {
    readFileSync(path, 'utf8');
  } catch (error) {
    return error;
  }
  throw new Error(`${path} was readable`);
}

describe('why a file could not be read', () => {
  it.each([
    ['a missing file', () => join(dir, 'missing.json'), 'there is no such file'],
    ['a folder', () => dir, 'it is a folder, not a file'],
    [
      'a path through a file',
      () => join(dir, 'a-file', 'inside.json'),
      'a part of its path is a file, not a folder',
    ],
  ])('%s', (_, path, expected) => {
    expect(whyUnreadable(errorReading(path()))).toBe(expected);
  });

  it('anything else keeps node’s first line, without its code', () => {
    const error = Object.assign(new Error("EMFILE: too many open files, open '/x'\nmore"), {
      code: 'EMFILE',
    });
    expect(whyUnreadable(error)).toBe("too many open files, open '/x'");
  });

  it('is what the grants file reader says', () => {
    const missing = join(dir, 'grants.json');
    expect(() => readGrantFile(missing)).toThrow(
      `cannot read the grants file ${missing}: there is no such file`,
    );
  });
});
