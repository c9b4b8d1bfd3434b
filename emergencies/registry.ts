import { createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ANALYST_ID, REFERENCE, readJustification } from '../policy';
import { ensureRegistrationKey, readRegistrationPublicKey } from './keys';
import { isRegistrationId, signedBytes, type EmergencyRegistration } from './registration';

/**
 * The alliance's registry of emergencies, kept by the hub in SQLite (`<dataDir>/alliance/emergencies.sqlite`).
 * The hub writes it (`openEmergencyRegistry`); the gateway and the audit tools read it
 * (`openEmergencyReader`, a read-only open of the same file: docs/decisions/0015-registered-emergencies.md).
 *
 * Each row is the registration's signed body (Ed25519, the hub's key). A row that does not verify under the
 * hub's public key, or whose body is not the registration its row names, is no registration: a reader
 * skips it, exactly as if it were absent (a file edited by hand, a key replaced).
 */
export function registryFile(dataDir: string): string {
  return join(dataDir, 'alliance', 'emergencies.sqlite');
}

/** A declaration the registry refuses; `problem` is for the analyst (nothing internal in it). */
export class RegistrationRefused extends Error {
  constructor(
    readonly argument: 'caseReference' | 'justification' | 'requester',
    readonly problem: string,
  ) {
    super(problem);
    this.name = 'RegistrationRefused';
  }
}

export interface Declaration {
  /** From the verified gateway context, never from the mutation's arguments. */
  readonly country: string;
  readonly analyst: string;
  readonly caseReference: string;
  readonly justification: string;
}

export interface EmergencyRegistry {
  /**
   * Registers the emergency, or returns the registration this country already holds for this case whose
   * window contains `at` (same id, same `registeredAt`): declaring again never extends or restarts it.
   */
  declare(
    declaration: Declaration,
    at: number,
  ): { readonly registration: EmergencyRegistration; readonly created: boolean };
  /**
   * Takes back a registration the hub could not record in its audit log (subgraphs/alliance/emergencies.ts):
   * it is gone, and an `Accord-Emergency` naming it opens nothing. False when there is no such registration.
   */
  withdraw(id: string): boolean;
  close(): void;
}

export interface EmergencyReader {
  /** The registration, if the hub registered it and its signature verifies; undefined otherwise. */
  get(id: string): EmergencyRegistration | undefined;
  /** Every verified registration, oldest first. */
  list(): EmergencyRegistration[];
  close(): void;
}

interface Row {
  readonly id: string;
  readonly body: string;
  readonly signature: string;
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS registrations (
  id TEXT PRIMARY KEY,
  country TEXT NOT NULL,
  case_reference TEXT NOT NULL,
  registered_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  body TEXT NOT NULL,
  signature TEXT NOT NULL
)`;

/** Opens (and creates) the hub's registry and its key. `windowHours`: how long a registration lasts. */
export function openEmergencyRegistry(options: {
  readonly dataDir: string;
  readonly windowHours: number;
}): EmergencyRegistry {
  if (!(options.windowHours > 0))
    throw new Error(`An emergency window must be a positive number of hours (got ${options.windowHours}).`);
  const key = ensureRegistrationKey(options.dataDir);
  const publicKey = createPublicKey(key);
  mkdirSync(join(options.dataDir, 'alliance'), { recursive: true });
  const db = new Database(registryFile(options.dataDir));
  // The default rollback journal, not WAL: the readers open the file read-only, which WAL would not allow
  // without write access to its shared-memory file. Declarations are rare; readers wait for a writer.
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  const current = db.prepare<[string, string, number, number], Row>(
    'SELECT id, body, signature FROM registrations WHERE country = ? AND case_reference = ? AND registered_at <= ? AND expires_at > ? ORDER BY registered_at, id',
  );
  const insert = db.prepare(
    'INSERT INTO registrations (id, country, case_reference, registered_at, expires_at, body, signature) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const taken = db.prepare<[string], { id: string }>('SELECT id FROM registrations WHERE id = ?');
  const windowMs = options.windowHours * 3_600_000;
  const remove = db.prepare('DELETE FROM registrations WHERE id = ?');

  // IMMEDIATE: two declarations at once (two hub processes, one file) cannot both find none and both insert.
  const declareOnce = db.transaction((declaration: Declaration, at: number) => {
    for (const row of current.all(declaration.country, declaration.caseReference, at, at)) {
      const held = verified(row, publicKey);
      if (held) return { registration: held, created: false };
    }
    let id: string;
    do id = `EMG-${declaration.country}-${randomBytes(5).toString('hex').toUpperCase()}`;
    while (taken.get(id) !== undefined);
    const registration: EmergencyRegistration = Object.freeze({
      id,
      ...declaration,
      registeredAt: at,
      expiresAt: at + windowMs,
    });
    const body = signedBytes(registration);
    insert.run(
      id,
      registration.country,
      registration.caseReference,
      at,
      registration.expiresAt,
      body.toString(),
      sign(null, body, key).toString('base64'),
    );
    return { registration, created: true };
  });

  return {
    declare(declaration, at) {
      return declareOnce.immediate(checked(declaration), at);
    },
    withdraw: (id) => remove.run(id).changes === 1,
    close: () => db.close(),
  };
}

/** The declaration as the registry keeps it, or a refusal saying what is wrong. */
function checked(declaration: Declaration): Declaration {
  if (!/^[A-Z]{2}$/.test(declaration.country) || !ANALYST_ID.test(declaration.analyst)) {
    throw new RegistrationRefused(
      'requester',
      'Only an analyst the gateway verified can declare an emergency.',
    );
  }
  const caseReference = declaration.caseReference.trim();
  if (!REFERENCE.test(caseReference)) {
    throw new RegistrationRefused(
      'caseReference',
      `caseReference must be 2 to 64 letters, digits or . _ : / - (got ${JSON.stringify(caseReference.slice(0, 80))}).`,
    );
  }
  const justification = readJustification(declaration.justification, 'justification');
  if (!justification.ok) throw new RegistrationRefused('justification', justification.problem);
  return {
    country: declaration.country,
    analyst: declaration.analyst,
    caseReference,
    justification: justification.text,
  };
}

/**
 * Opens the registry read-only, lazily: until the hub has created the file and its key, every id is
 * unknown. Never writes; never creates the file.
 */
export function openEmergencyReader(options: { readonly dataDir: string }): EmergencyReader {
  let db: Database.Database | undefined;
  let byId: Database.Statement<[string], Row> | undefined;
  let all: Database.Statement<[], Row> | undefined;
  let publicKey: KeyObject | undefined;

  function ready(): boolean {
    if (db !== undefined && publicKey !== undefined) return true;
    publicKey ??= readRegistrationPublicKey(options.dataDir);
    const file = registryFile(options.dataDir);
    if (db === undefined && existsSync(file)) {
      const opened = new Database(file, { readonly: true, fileMustExist: true });
      opened.pragma('busy_timeout = 5000');
      try {
        byId = opened.prepare<[string], Row>('SELECT id, body, signature FROM registrations WHERE id = ?');
        all = opened.prepare<[], Row>(
          'SELECT id, body, signature FROM registrations ORDER BY registered_at, id',
        );
        db = opened;
      } catch {
        opened.close(); // the hub has not made its table yet
      }
    }
    return db !== undefined && publicKey !== undefined;
  }

  return {
    get(id) {
      if (!isRegistrationId(id) || !ready()) return undefined;
      const row = byId!.get(id);
      return row === undefined ? undefined : verified(row, publicKey!);
    },
    list() {
      if (!ready()) return [];
      return all!.all().flatMap((row) => verified(row, publicKey!) ?? []);
    },
    close() {
      db?.close();
      db = undefined;
    },
  };
}

/** The registration a row holds, if the hub's key signed exactly it; undefined otherwise (deny by default). */
function verified(row: Row, publicKey: KeyObject): EmergencyRegistration | undefined {
  let signature: Buffer;
  let parsed: unknown;
  try {
    signature = Buffer.from(row.signature, 'base64');
    parsed = JSON.parse(row.body);
  } catch {
    return undefined;
  }
  if (
    !isRegistration(parsed) ||
    parsed.id !== row.id ||
    !isRegistrationId(parsed.id) ||
    !parsed.id.startsWith(`EMG-${parsed.country}-`)
  )
    return undefined;
  const bytes = signedBytes(parsed);
  if (!bytes.equals(Buffer.from(row.body)) || !verify(null, bytes, publicKey, signature)) return undefined;
  return Object.freeze(parsed);
}

function isRegistration(value: unknown): value is EmergencyRegistration {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    ['id', 'country', 'analyst', 'caseReference', 'justification'].every(
      (name) => typeof r[name] === 'string',
    ) &&
    Number.isSafeInteger(r['registeredAt']) &&
    Number.isSafeInteger(r['expiresAt']) &&
    (r['expiresAt'] as number) > (r['registeredAt'] as number)
  );
}
