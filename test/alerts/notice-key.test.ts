import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkNoticeKey,
  ensureNoticeKey,
  noticePublicKey,
  signNotice,
  verifyNotice,
  type Notice,
} from '../../alerts';

const notice: Notice = {
  owner: 'TH',
  noticeId: 'TH-NTC-000000000000000000000000',
  watchId: 'KR-WCH-00000000-0000-0000-0000-000000000000',
  watcher: 'KR',
  event: 'border_movement',
  at: '2026-06-15T09:00:00.000Z',
  subject: 'TH-SUS-000001',
  eventReference: 'TH-EVT-000000001',
  basis: [],
  revision: 'r',
};

describe("the owner's notice key", () => {
  const dir = mkdtempSync(join(tmpdir(), 'accord-notice-key-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is made once, readable by its owner only, and kept', () => {
    const file = join(dir, 'alerts', 'th-notice-key.pem');
    const key = ensureNoticeKey(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(noticePublicKey(ensureNoticeKey(file))).toBe(noticePublicKey(key));
    const signed = signNotice(notice, key);
    expect(verifyNotice(signed, noticePublicKey(key))).toBe(true);
    // The signature covers the canonical JSON: the same notice with its keys in another order verifies.
    const reordered = Object.fromEntries(Object.entries(notice).reverse()) as unknown as Notice;
    expect(verifyNotice({ notice: reordered, signature: signed.signature }, noticePublicKey(key))).toBe(true);
    expect(
      verifyNotice({ ...signed, notice: { ...notice, event: 'transaction' } }, noticePublicKey(key)),
    ).toBe(false);
    expect(verifyNotice(signed, noticePublicKey(generateKeyPairSync('ed25519').privateKey))).toBe(false);
    // The key as a KeyObject verifies the same: its public half, and the private key it was derived from.
    expect(verifyNotice(signed, createPublicKey(key))).toBe(true);
    expect(verifyNotice(signed, key)).toBe(true);
    expect(verifyNotice(signed, createPublicKey(generateKeyPairSync('ed25519').privateKey))).toBe(false);
  });

  it('refuses a key that cannot sign notices', () => {
    expect(() => checkNoticeKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)).toThrow(
      /Ed25519/,
    );
    expect(() => checkNoticeKey(generateKeyPairSync('ed25519').publicKey)).toThrow(/private Ed25519/);
  });
});
