import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Grant } from '../../policy';
import { canonicalGrantBody, grantOfRow, type GrantRow } from '../../trust';

export { deskFile, grantKeyFile } from '../../trust';

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
  /** Who approved a grant (`country/officer`, in order) and who revoked it; undefined when unknown. */
  approvals(id: string): { readonly approvedBy: readonly string[]; readonly revokedBy?: string } | undefined;
  close(): void;
}

/** The owner's grant key (Ed25519 PKCS#8 PEM, trust/ownerGrants.ts grantKeyFile), made on first use. */
export function ensureGrantKey(file: string): KeyObject {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), {
      mode: 0o600,
      flag: 'wx',
    });
  }
  return createPrivateKey(readFileSync(file, 'utf8'));
}

/** Opens (and creates) the owner's grant store. `file` may be ':memory:'. */
export function openGrantStore(options: {
  readonly owner: string;
  readonly file: string;
  readonly key: KeyObject;
}): GrantStore {
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
  const getStatement = db.prepare<[string], GrantRow>(
    'SELECT id, body, signature, revoked_at FROM grants WHERE id = ?',
  );
  const listStatement = db.prepare<[], GrantRow>(
    'SELECT id, body, signature, revoked_at FROM grants ORDER BY rowid',
  );
  const insert = db.prepare('INSERT INTO grants (id, body, signature, approved_by) VALUES (?, ?, ?, ?)');
  const revokeStatement = db.prepare(
    'UPDATE grants SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL',
  );
  const approvalsStatement = db.prepare<[string], { approved_by: string; revoked_by: string | null }>(
    'SELECT approved_by, revoked_by FROM grants WHERE id = ?',
  );

  /**
   * Bodies whose signature verified, by their exact text and signature, parsed and frozen. The owner's
   * subgraph reads the grant a request names on every request, and the Ed25519 verification was most of
   * that read (bench: gateway-grants). Verifying is a pure function of body, signature and this store's
   * key, so a remembered result cannot keep a changed row valid: a row edited by hand has another key here
   * and is verified again. The revocation is not part of the body: it is read from the row every time.
   */
  const verified = new Map<string, Grant>();

  function read(row: GrantRow | undefined): Grant | undefined {
    if (row === undefined) return undefined;
    const cacheKey = `${row.signature}\0${row.body}`;
    let body = verified.get(cacheKey);
    if (body === undefined) {
      // Deny by default: a body the owner's key did not sign, or one that is not the grant named, is none.
      const checked = grantOfRow({ ...row, revoked_at: null }, options.owner, publicKey);
      if (checked === undefined) return undefined;
      body = deepFreeze(checked);
      if (verified.size >= VERIFIED_BODIES) verified.delete(verified.keys().next().value!);
      verified.set(cacheKey, body);
    }
    // The same signed body under another id (a row copied by hand) is no grant.
    if (body.id !== row.id) return undefined;
    return row.revoked_at === null ? body : Object.freeze({ ...body, revokedAt: row.revoked_at });
  }

  return {
    get: (id) => read(getStatement.get(id)),
    issue(grant, approvedBy) {
      if (grant.owner !== options.owner)
        throw new Error(`a grant of ${options.owner} cannot be issued for owner ${grant.owner}`);
      const body = canonicalGrantBody(grant);
      const signature = sign(null, Buffer.from(body), options.key).toString('base64');
      insert.run(grant.id, body, signature, JSON.stringify(approvedBy));
      return read(getStatement.get(grant.id))!;
    },
    revoke: (id, at, by) => revokeStatement.run(at, by, id).changes === 1,
    list: () =>
      listStatement
        .all()
        .map(read)
        .filter((grant): grant is Grant => grant !== undefined),
    approvals(id) {
      const row = approvalsStatement.get(id);
      if (row === undefined) return undefined;
      return {
        approvedBy: JSON.parse(row.approved_by) as string[],
        ...(row.revoked_by !== null && { revokedBy: row.revoked_by }),
      };
    },
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
