/**
 * The hub's registry of emergencies (emergencies/registry.ts) through its own door: one registration per
 * country and case while its window runs, signed by the hub's key; a reader (the gateway, the audit tools)
 * opens the file read-only and accepts only rows the hub's key signed exactly as they are.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  RegistrationRefused,
  openEmergencyReader,
  openEmergencyRegistry,
  registrationKeyFiles,
  registryFile,
} from '../../emergencies';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-06-15T09:00:00Z');
const declaration = {
  country: 'KR',
  analyst: 'kim.j',
  caseReference: 'KR-CAS-000001',
  justification: 'A victim confined in the compound reports assault tonight.',
};

describe('the registry of emergencies', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'accord-emergencies-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('registers once per country and case while the window runs; a new one after it, and per other country or case', () => {
    const registry = openEmergencyRegistry({ dataDir: dir, windowHours: 24 });
    try {
      const first = registry.declare(declaration, T0);
      expect(first.created).toBe(true);
      expect(first.registration).toMatchObject({
        country: 'KR',
        registeredAt: T0,
        expiresAt: T0 + 24 * HOUR,
      });
      expect(
        registry.declare(
          {
            ...declaration,
            analyst: 'lee.h',
            justification: 'Another reason, written later by a colleague.',
          },
          T0 + 23 * HOUR,
        ),
      ).toEqual({ registration: first.registration, created: false });
      const after = registry.declare(declaration, T0 + 24 * HOUR);
      expect(after.created).toBe(true);
      expect(after.registration.registeredAt).toBe(T0 + 24 * HOUR);
      expect(
        registry.declare({ ...declaration, caseReference: 'KR-CAS-000002' }, T0).registration.id,
      ).not.toBe(first.registration.id);
      expect(registry.declare({ ...declaration, country: 'KH' }, T0).registration.id).toMatch(
        /^EMG-KH-[0-9A-F]{10}$/,
      );
    } finally {
      registry.close();
    }
  });

  it('refuses what is not a declaration, and keeps nothing of it', () => {
    const registry = openEmergencyRegistry({ dataDir: dir, windowHours: 24 });
    try {
      expect(() => registry.declare({ ...declaration, justification: '\u200B'.repeat(12) }, T0)).toThrow(
        RegistrationRefused,
      );
      expect(() => registry.declare({ ...declaration, caseReference: 'x' }, T0)).toThrow(
        /caseReference must be/,
      );
      expect(() => registry.declare({ ...declaration, country: 'kr' }, T0)).toThrow(RegistrationRefused);
    } finally {
      registry.close();
    }
    const reader = openEmergencyReader({ dataDir: dir });
    expect(reader.list()).toEqual([]);
    reader.close();
  });

  it('is read read-only, and only rows the hub signed exactly count', () => {
    const reader = openEmergencyReader({ dataDir: dir });
    // Before the hub made anything: every id is unknown, and the reader creates nothing.
    expect(reader.get('EMG-KR-0123456789')).toBeUndefined();
    expect(existsSync(registryFile(dir))).toBe(false);

    const registry = openEmergencyRegistry({ dataDir: dir, windowHours: 24 });
    const kept = registry.declare(declaration, T0).registration;
    const edited = registry.declare({ ...declaration, caseReference: 'KR-CAS-000002' }, T0).registration;
    const forged = registry.declare({ ...declaration, caseReference: 'KR-CAS-000003' }, T0).registration;
    registry.close();
    expect(reader.get(kept.id)).toEqual(kept);

    const db = new Database(registryFile(dir));
    // A window stretched by hand: the body no longer matches its signature.
    const body = JSON.parse(
      db.prepare<[string], { body: string }>('SELECT body FROM registrations WHERE id = ?').get(edited.id)!
        .body,
    ) as Record<string, unknown>;
    db.prepare('UPDATE registrations SET body = ? WHERE id = ?').run(
      JSON.stringify({ ...body, expiresAt: T0 + 1000 * HOUR }),
      edited.id,
    );
    // A row signed with another key.
    const other = generateKeyPairSync('ed25519').privateKey;
    const forgedBody = db
      .prepare<[string], { body: string }>('SELECT body FROM registrations WHERE id = ?')
      .get(forged.id)!.body;
    db.prepare('UPDATE registrations SET signature = ? WHERE id = ?').run(
      sign(null, Buffer.from(forgedBody), other).toString('base64'),
      forged.id,
    );
    db.close();

    expect(reader.get(edited.id)).toBeUndefined();
    expect(reader.get(forged.id)).toBeUndefined();
    expect(reader.list().map((r) => r.id)).toEqual([kept.id]);
    reader.close();

    // A public key replaced beside the registry: nothing the hub signed verifies under it any more.
    writeFileSync(
      registrationKeyFiles(dir).publicKey,
      generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    );
    const misled = openEmergencyReader({ dataDir: dir });
    expect(misled.get(kept.id)).toBeUndefined();
    misled.close();
  });
});
