/**
 * Crossings are stored with a clause table since decision 0021 (audit/clauseTable.ts): each decision once
 * per record, each field entry pointing into it. Logs written before hold every entry whole. One log here
 * holds both forms (the old one written as the writers wrote it, straight onto the chain), and every
 * reader gives the same whole entries back from either: query (and its clause and grant filters),
 * pending reviews, verify, evidence packs. A stored entry that points outside its table does not verify.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  openAuditLog,
  openAuditReader,
  type CrossingBody,
  type CrossingRecord,
  type FieldEntry,
} from '../../audit';
import { ChainWriter } from '../../audit/chainWriter';
import { verifyEvidencePack } from '../../audit/evidencePack';
import { openStore } from '../../audit/store/openStore';
import type { EntryBody } from '../../audit/types';
import { crossing, emergencyCrossing, identityFields } from './support/records';

const AT = '2026-03-01T10:00:00.000Z';
const CASE = 'KR-2025-0042';
const EMERGENCY_CASE = 'KR-2025-0099';

/** Twelve entries on four suspects, from three decisions: what a search's records look like. */
const MANY: FieldEntry[] = [0, 1, 2, 3].flatMap((i) => identityFields('KH', i));

/** A record's body as every writer stored it before the clause table: the record without its time. */
function oldBody(record: CrossingRecord): EntryBody {
  const { at: _at, ...body } = record;
  return body;
}

describe('crossings stored with a clause table, beside records written before it', () => {
  let dir: string;
  let url: string;
  const records = {
    old: crossing('consultation', 1, { owner: 'KH', caseReference: CASE, fields: MANY }),
    new: crossing('consultation', 3, { owner: 'KH', caseReference: CASE, fields: MANY }),
    oldEmergency: emergencyCrossing('disclosure', 2, AT),
    newEmergency: emergencyCrossing('disclosure', 4, AT),
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'accord-audit-table-'));
    url = `sqlite:${join(dir, 'audit.db')}`;
    const store = await openStore(url, { create: true });
    const old = await ChainWriter.open(store, { instance: 'gw-old' });
    await old.append('consultation', oldBody(records.old), AT);
    await old.append('disclosure', oldBody(records.oldEmergency), AT);
    await old.close();
    const log = await openAuditLog({ url, writer: { instance: 'gw-new' } });
    await log.append({ ...records.new, at: AT });
    await log.append(records.newEmergency);
    await log.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function storedBodies(chain: string): Record<string, unknown>[] {
    const db = new Database(join(dir, 'audit.db'), { readonly: true });
    try {
      return (
        db
          .prepare(
            "SELECT body FROM audit_records WHERE chain = ? AND kind IN ('consultation', 'disclosure') ORDER BY seq",
          )
          .all(chain) as { body: string }[]
      ).map((row) => JSON.parse(row.body) as Record<string, unknown>);
    } finally {
      db.close();
    }
  }

  it('stores each decision once, and the old records as they were', () => {
    const [tabled] = storedBodies('gw-new');
    expect(tabled!['decisions']).toHaveLength(3);
    expect(tabled!['fields']).toHaveLength(MANY.length);
    for (const field of tabled!['fields'] as Record<string, unknown>[]) {
      expect(Object.keys(field).sort()).toEqual(['decision', 'path']);
      expect(typeof field['decision']).toBe('number');
    }
    const [whole] = storedBodies('gw-old');
    expect(whole!['decisions']).toBeUndefined();
    expect(whole!['fields']).toEqual(MANY);
    expect(JSON.stringify(tabled).length).toBeLessThan(JSON.stringify(whole).length * 0.6);
  });

  it('reads back whole field entries from both forms', async () => {
    const reader = await openAuditReader(url);
    try {
      const found = await reader.query({ caseReference: CASE });
      expect(found.map((f) => f.ref).sort()).toEqual(['gw-new#1', 'gw-old#1']);
      for (const f of found) {
        const body = f.entry!.body as CrossingBody;
        expect(body.fields).toEqual(MANY);
        expect(body).not.toHaveProperty('decisions');
      }
    } finally {
      await reader.close();
    }
  });

  it('finds both by clause and by grant, and owes the reviews of both', async () => {
    const reader = await openAuditReader(url);
    try {
      const refs = async (q: Parameters<typeof reader.query>[0]) =>
        (await reader.query(q)).map((f) => f.ref).sort();
      expect(await refs({ clause: 'kr-kh-mlat-2021/persons-and-records' })).toEqual(['gw-new#1', 'gw-old#1']);
      expect(await refs({ clause: 'alliance-emergency-2025' })).toEqual(['gw-new#2', 'gw-old#2']);
      expect(await refs({ clause: 'kr-th-police-mou-2019' })).toEqual([]);
      const pending = await reader.pendingReviews(new Date(AT));
      expect(pending.map((p) => [p.ref, p.fields]).sort()).toEqual([
        ['gw-new#2', ['victims.0.lastKnownLocation']],
        ['gw-old#2', ['victims.0.lastKnownLocation']],
      ]);
      expect(pending.every((p) => p.body.fields.length === 3)).toBe(true);
    } finally {
      await reader.close();
    }
  });

  it('verifies, and exports an evidence pack of both that verifies offline', async () => {
    const reader = await openAuditReader(url);
    try {
      expect((await reader.verify()).ok).toBe(true);
      const out = join(dir, 'pack');
      const manifest = await reader.exportPack({ caseReference: EMERGENCY_CASE }, out);
      expect(manifest.records).toHaveLength(2);
      const report = verifyEvidencePack(out);
      expect(report).toMatchObject({ ok: true, records: 2 });
    } finally {
      await reader.close();
    }
  });

  it('does not verify an entry whose field points outside its clause table', async () => {
    const badUrl = `sqlite:${join(dir, 'bad.db')}`;
    const store = await openStore(badUrl, { create: true });
    const writer = await ChainWriter.open(store, { instance: 'gw-bad' });
    const { fields: _fields, ...rest } = oldBody(records.new) as CrossingBody;
    const decision = { category: 'person.identity', effect: 'withhold', clauses: [] };
    await writer.append(
      'consultation',
      { ...rest, decisions: [decision], fields: [{ path: 'suspects.0.fullName', decision: 1 }] } as never,
      AT,
    );
    await writer.close();
    const reader = await openAuditReader(badUrl);
    try {
      const report = await reader.verify();
      expect(report.ok).toBe(false);
      expect(JSON.stringify(report)).toMatch(/points outside its clause table/);
      expect((await reader.query({}))[0]!.broken).toMatch(/points outside its clause table/);
    } finally {
      await reader.close();
    }
  });
});
