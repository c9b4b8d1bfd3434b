import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Grant } from '../../policy';

/**
 * The owner's grants (issue 9): each approval of a formal request, signed with the owner's grant key, kept
 * in SQLite next to the member's records (`<dataDir>/<cc>-desk.sqlite`). The owner's subgraph reads the one
 * grant a request names, once per request, before any field is decided (subgraphs/kit/server.ts).
 *
 * - The signed body is the grant as approved (canonical JSON, Ed25519). A row whose signature does not
 *   verify under the owner's key is no grant: it opens nothing (a store edited by hand, a key replaced).
 * - A revocation is a later act, not part of the approval: it is kept beside the body, with who revoked and
 *   when, and takes effect from its instant (on the next request).
 */
export interface GrantStore {
  /** The grant by id, with its revocation; undefined when unknown or its signature does not verify. */
  get(id: string): Grant | undefined;
  /** Signs and keeps a grant; refuses an id already used. */
  issue(grant: Omit<Grant, 'revokedAt'>, approvedBy: readonly string[]): Grant;
  /** Revokes from `at`; false when no such grant or already revoked. */
  revoke(id: string, at: number, by: string): boolean;
  list(): Grant[];
  close(): void;
}

export function deskFile(country: string, dataDir: string): string {
  return join(dataDir, `${country.toLowerCase()}-desk.sqlite`);
}

/** The owner's grant key (Ed25519 PKCS#8 PEM), made on first use: `<dataDir>/desk/<cc>-grant-key.pem`. */
export function grantKeyFile(country: string, dataDir: string): string {
  return join(dataDir, 'desk', `${country.toLowerCase()}-grant-key.pem`);
}

export function ensureGrantKey(file: string): KeyObject {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600, flag: 'wx' });
  }
  return createPrivateKey(readFileSync(file, 'utf8'));
}

interface Row {
  readonly id: string;
  readonly body: string;
  readonly signature: string;
  readonly revoked_at: number | null;
}

/** Opens (and creates) the owner's grant store. `file` may be ':memory:'. */
export function openGrantStore(options: { readonly owner: string; readonly file: string; readonly key: KeyObject }): GrantStore {
  if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
  const db = new Database(options.file);
  if (options.file !== ':memory:') db.pragma('journal_mode = WAL');
  // Readers in another process (the desk CLI writes while the subgraph reads) wait instead of failing.
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS grants (
    id TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    signature TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    revoked_at INTEGER,
    revoked_by TEXT
  )`);
  const publicKey = createPublicKey(options.key);
  const getStatement = db.prepare<[string], Row>('SELECT id, body, signature, revoked_at FROM grants WHERE id = ?');
  const listStatement = db.prepare<[], Row>('SELECT id, body, signature, revoked_at FROM grants ORDER BY rowid');
  const insert = db.prepare('INSERT INTO grants (id, body, signature, approved_by) VALUES (?, ?, ?, ?)');
  const revokeStatement = db.prepare('UPDATE grants SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL');

  /**
   * Bodies whose signature verified, by their exact text and signature, parsed and frozen. The owner's
   * subgraph reads the grant a request names on every request, and the Ed25519 verification was most of
   * that read (bench: gateway-grants). Verifying is a pure function of body, signature and this store's
   * key, so a remembered result cannot keep a changed row valid: a row edited by hand has another key here
   * and is verified again. The revocation is not part of the body: it is read from the row every time.
   */
  const verified = new Map<string, Grant>();

  function read(row: Row | undefined): Grant | undefined {
    if (row === undefined) return undefined;
    const cacheKey = `${row.signature}\0${row.body}`;
    let body = verified.get(cacheKey);
    if (body === undefined) {
      // Deny by default: a body the owner's key did not sign, or one that is not the grant named, is none.
      if (!verify(null, Buffer.from(row.body), publicKey, Buffer.from(row.signature, 'base64'))) return undefined;
      const parsed = JSON.parse(row.body) as Grant;
      if (parsed.owner !== options.owner) return undefined;
      body = deepFreeze(parsed);
      if (verified.size >= VERIFIED_BODIES) verified.delete(verified.keys().next().value!);
      verified.set(cacheKey, body);
    }
    if (body.id !== row.id) return undefined;
    return row.revoked_at === null ? body : Object.freeze({ ...body, revokedAt: row.revoked_at });
  }

  return {
    get: (id) => read(getStatement.get(id)),
    issue(grant, approvedBy) {
      if (grant.owner !== options.owner) throw new Error(`a grant of ${options.owner} cannot be issued for owner ${grant.owner}`);
      const body = canonical(grant);
      const signature = sign(null, Buffer.from(body), options.key).toString('base64');
      insert.run(grant.id, body, signature, JSON.stringify(approvedBy));
      return read(getStatement.get(grant.id))!;
    },
    revoke: (id, at, by) => revokeStatement.run(at, by, id).changes === 1,
    list: () => listStatement.all().map(read).filter((grant): grant is Grant => grant !== undefined),
    close: () => db.close(),
  };
}

/** How many verified grant bodies a store remembers (the oldest is forgotten first). */
const VERIFIED_BODIES = 1024;

/** The grant and its lists frozen: one object serves every request that names it. */
function deepFreeze(grant: Grant): Grant {
  for (const list of [grant.analysts, grant.clauses, grant.subjects, grant.categories]) Object.freeze(list);
  return Object.freeze(grant);
}

/** Keys in a fixed order, so that a body signs and verifies the same way wherever it is written. */
function canonical(grant: Omit<Grant, 'revokedAt'>): string {
  const { id, owner, requesterCountry, analysts, caseReference, purpose, agreement, clauses, subjects, categories, validFrom, validUntil, evidentiaryUse } = grant;
  return JSON.stringify({ id, owner, requesterCountry, analysts, caseReference, purpose, agreement, clauses, subjects, categories, validFrom, validUntil, evidentiaryUse });
}
