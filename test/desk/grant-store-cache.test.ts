/**
 * The grant store remembers which signed bodies verified (subgraphs/desk/grantStore.ts), so the grant a
 * request names is not verified again on every request; what it remembers can never keep a changed row
 * valid, and a revocation shows on the next read.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Grant } from '../../policy';
import { openGrantStore } from '../../subgraphs/desk';

const DAY = 86_400_000;
const grant: Omit<Grant, 'revokedAt'> = {
  id: 'G-CACHE-1',
  owner: 'KH',
  requesterCountry: 'KR',
  analysts: ['analyst.one'],
  caseReference: 'KR-CAS-000001',
  purpose: 'investigation',
  agreement: 'kr-kh-mlat-2021',
  clauses: ['persons-and-records'],
  subjects: ['KH-SUS-000001'],
  categories: ['person.identity'],
  validFrom: Date.UTC(2026, 5, 1),
  validUntil: Date.UTC(2026, 5, 1) + 30 * DAY,
  evidentiaryUse: true,
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'accord-grant-cache-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function openStore() {
  const file = join(dir, 'kh-desk.sqlite');
  return {
    file,
    store: openGrantStore({ owner: 'KH', file, key: generateKeyPairSync('ed25519').privateKey }),
  };
}

test('reading the same grant again gives the grant verified the first time, not a new verification', () => {
  const { store } = openStore();
  store.issue(grant, ['KH/desk.officer']);
  const first = store.get(grant.id);
  expect(first?.subjects).toEqual(grant.subjects);
  // The same object: the store did not verify and parse the row again (it would build a new grant).
  for (let i = 0; i < 3; i++) expect(store.get(grant.id)).toBe(first);
  store.close();
});

test('a row edited after a good read is verified again and opens nothing', () => {
  const { file, store } = openStore();
  store.issue(grant, ['KH/desk.officer']);
  expect(store.get(grant.id)).toBeDefined();
  const db = new Database(file);
  db.prepare('UPDATE grants SET body = replace(body, ?, ?) WHERE id = ?').run(
    'KH-SUS-000001',
    'KH-SUS-000002',
    grant.id,
  );
  db.close();
  expect(store.get(grant.id)).toBeUndefined();
  store.close();
});

test('the body of one grant copied under another id opens nothing under that id', () => {
  const { file, store } = openStore();
  store.issue(grant, ['KH/desk.officer']);
  expect(store.get(grant.id)).toBeDefined();
  const db = new Database(file);
  db.prepare(
    "INSERT INTO grants (id, body, signature, approved_by) SELECT 'G-CACHE-2', body, signature, approved_by FROM grants WHERE id = ?",
  ).run(grant.id);
  db.close();
  expect(store.get('G-CACHE-2')).toBeUndefined();
  store.close();
});

test('a revocation shows on the next read, and the grant read before it is left as it was', () => {
  const { store } = openStore();
  store.issue(grant, ['KH/desk.officer']);
  const before = store.get(grant.id)!;
  expect(before.revokedAt).toBeUndefined();
  const at = grant.validFrom + DAY;
  expect(store.revoke(grant.id, at, 'KH/desk.officer')).toBe(true);
  expect(store.get(grant.id)?.revokedAt).toBe(at);
  expect(before.revokedAt).toBeUndefined();
  expect(Object.isFrozen(before) && Object.isFrozen(before.subjects)).toBe(true);
  store.close();
});
