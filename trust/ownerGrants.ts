import { createPrivateKey, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Grant } from '../policy';

/**
 * The owner's signed grants (issue 9, docs/decisions/0014-grants-as-the-request-reference.md): where the
 * desk keeps them, the body its key signs, and what makes a stored row a grant. Shared by the desk, which
 * writes them (subgraphs/desk/grantStore.ts), and the legal workbench, which only reads them
 * (`npm run policy -- explain`): both must agree on which rows are grants, or a lawyer would be told a
 * grant opens what the owner refuses.
 */

/** `<dataDir>/<cc>-desk.sqlite`: the owner's grants, next to its records. */
export function deskFile(country: string, dataDir: string): string {
  return join(dataDir, `${country.toLowerCase()}-desk.sqlite`);
}

/** The owner's grant key (Ed25519 PKCS#8 PEM): `<dataDir>/desk/<cc>-grant-key.pem`. */
export function grantKeyFile(country: string, dataDir: string): string {
  return join(dataDir, 'desk', `${country.toLowerCase()}-grant-key.pem`);
}

/** A row of the desk's `grants` table, as stored. */
export interface GrantRow {
  readonly id: string;
  readonly body: string;
  readonly signature: string;
  readonly revoked_at: number | null;
}

/** Keys in a fixed order, so that a body signs and verifies the same way wherever it is written. */
export function canonicalGrantBody(grant: Omit<Grant, 'revokedAt'>): string {
  const {
    id,
    owner,
    requesterCountry,
    analysts,
    caseReference,
    purpose,
    agreement,
    clauses,
    subjects,
    categories,
    validFrom,
    validUntil,
    evidentiaryUse,
  } = grant;
  return JSON.stringify({
    id,
    owner,
    requesterCountry,
    analysts,
    caseReference,
    purpose,
    agreement,
    clauses,
    subjects,
    categories,
    validFrom,
    validUntil,
    evidentiaryUse,
  });
}

/**
 * The grant a stored row holds, with its revocation; undefined when it is none. Deny by default: a body
 * the owner's key did not sign, or one that is not the grant named or not the owner's, is no grant.
 */
export function grantOfRow(
  row: GrantRow | undefined,
  owner: string,
  publicKey: KeyObject,
): Grant | undefined {
  if (row === undefined) return undefined;
  if (!verify(null, Buffer.from(row.body), publicKey, Buffer.from(row.signature, 'base64'))) return undefined;
  const body = JSON.parse(row.body) as Grant;
  if (body.id !== row.id || body.owner !== owner) return undefined;
  return Object.freeze({ ...body, ...(row.revoked_at !== null && { revokedAt: row.revoked_at }) });
}

/**
 * Reads an owner's grants from its data folder without changing anything: no store, no key and no table
 * is created. A folder without the owner's store or key holds no grants (an empty list); a row that does
 * not verify is left out, as the owner's subgraph leaves it out.
 */
export function readOwnerGrants(owner: string, dataDir: string): Grant[] {
  const file = deskFile(owner, dataDir);
  const keyFile = grantKeyFile(owner, dataDir);
  if (!existsSync(file) || !existsSync(keyFile)) return [];
  const publicKey = createPublicKey(createPrivateKey(readFileSync(keyFile, 'utf8')));
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const table = db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'grants'",
      )
      .get();
    if (table === undefined) return [];
    const rows = db
      .prepare<[], GrantRow>('SELECT id, body, signature, revoked_at FROM grants ORDER BY rowid')
      .all();
    return rows
      .map((row) => grantOfRow(row, owner, publicKey))
      .filter((grant): grant is Grant => grant !== undefined);
  } finally {
    db.close();
  }
}
