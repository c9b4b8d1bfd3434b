// A member's store file is seeded again when what it was generated from changes. The world links records
// across members (a suspect's records in several members, cases naming other members' suspects), so a
// member admitted to the registry changes every member's share: a file seeded for the old membership must
// not be reused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MEMBERS } from '../../schema';
import { openStore } from '../../subgraphs/reference';

const SIZE = 50;
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'accord-fingerprint-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function seededOnOpen(file: string, members: readonly string[]): boolean {
  const store = openStore({ country: MEMBERS[0]!.code, file, size: SIZE, members });
  try {
    return store.seeded;
  } finally {
    store.close();
  }
}

it('reuses a file for the same members, and seeds it again when a member joins', () => {
  const file = join(dir, 'store.sqlite');
  const registry = MEMBERS.map((member) => member.code);
  expect(seededOnOpen(file, registry)).toBe(true);
  expect(seededOnOpen(file, registry)).toBe(false);
  // ZZ: a code no registry holds, standing for the member admitted next.
  expect(seededOnOpen(file, [...registry, 'ZZ'])).toBe(true);
  expect(seededOnOpen(file, [...registry, 'ZZ'])).toBe(false);
});
