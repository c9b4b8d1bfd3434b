/**
 * A record's field entries are built from a handful of decisions, so dozens of entries hold the same
 * clauses, obligations, gate and grant objects (subgraphs/kit/authorization/decisionTrail.ts). Appending
 * such a record checks and orders each shared part once (the audit's cost on the request path, issue 12),
 * and stores exactly what a record with a separate copy in every entry stores.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditLog, openAuditReader, type CrossingBody, type FieldEntry } from '../../audit';
import { canonicalJson } from '../../audit/canonicalJson';
import { validateCrossingRecord } from '../../audit/validateRecord';
import { crossing } from './support/records';

const ENTRIES = 12;

/** The parts an engine decision gives a field entry, as plain data (written out, not taken from the code). */
function parts() {
  return {
    category: 'person.identity',
    effect: 'release' as const,
    reason: 'RELEASED',
    clauses: [
      {
        agreement: 'kr-kh-mlat-2021',
        clause: 'persons-and-records',
        citation: 'art. 1(4)(b)',
        title: 'KR–KH MLAT 2021',
      },
    ],
    obligations: {
      handlingCode: 'H1' as const,
      onwardTransfer: 'with_consent' as const,
      evidentiaryUse: 'allowed' as const,
      retentionDays: 1825,
      notifySource: false,
    },
    gate: { owner: 'KH', title: 'KH Police Act', citations: ['s. 12(1)', 's. 14'] },
    grant: { id: 'MLA-KR-0001', validUntil: '2027-01-01T00:00:00.000Z' },
  };
}

/** Entries for `ENTRIES` records: `shared` the same parts objects in every entry, else a fresh copy each. */
function fields(shared: boolean): FieldEntry[] {
  const one = parts();
  return Array.from({ length: ENTRIES }, (_, i) => ({
    path: `_entities.${i}.fullName`,
    record: `KH-SUS-${String(i).padStart(6, '0')}`,
    ...(shared ? one : parts()),
  }));
}

/** Wraps an object so that every read of a member and every listing of its keys is counted. */
function counted<T extends object>(target: T, counts: { reads: number; listings: number }): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      if (typeof key === 'string') counts.reads += 1;
      return Reflect.get(object, key, receiver) as unknown;
    },
    ownKeys(object) {
      counts.listings += 1;
      return Reflect.ownKeys(object);
    },
  });
}

describe('field entries that share their parts', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'accord-audit-shared-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are checked once per shared part, not once per entry', () => {
    const counts = { reads: 0, listings: 0 };
    const one = parts();
    const obligations = counted(one.obligations, counts);
    const record = crossing('disclosure', 1, {
      owner: 'KH',
      fields: Array.from({ length: ENTRIES }, (_, i) => ({
        path: `_entities.${i}.fullName`,
        ...one,
        obligations,
      })),
    });
    validateCrossingRecord(record);
    // One check reads each of the obligations' members a few times; twelve checks read them twelve times over.
    const oneCheck = { reads: 0, listings: 0 };
    validateCrossingRecord(
      crossing('disclosure', 1, {
        owner: 'KH',
        fields: [
          { path: '_entities.0.fullName', ...parts(), obligations: counted(parts().obligations, oneCheck) },
        ],
      }),
    );
    expect(oneCheck.reads).toBeGreaterThan(0);
    expect(counts.reads).toBe(oneCheck.reads);
  });

  it('are ordered once when the record is made canonical', () => {
    const counts = { reads: 0, listings: 0 };
    const gate = counted({ owner: 'KH', title: 'KH Police Act', citations: ['s. 12(1)'] }, counts);
    const text = canonicalJson({
      fields: Array.from({ length: ENTRIES }, (_, i) => ({ path: `p.${i}`, gate })),
    });
    expect(counts.listings).toBe(1);
    // …and written out in full in every entry, keys sorted.
    expect(text.split('{"citations":["s. 12(1)"],"owner":"KH","title":"KH Police Act"}')).toHaveLength(
      ENTRIES + 1,
    );
  });

  it('are stored exactly as entries with a copy each, and later changes to them change nothing written', async () => {
    const url = `sqlite:${join(dir, 'shared.db')}`;
    const log = await openAuditLog({ url, writer: { instance: 'kh-subgraph' } });
    const sharedFields = fields(true);
    const sharedRecord = crossing('disclosure', 1, { owner: 'KH', fields: sharedFields });
    const copiedRecord = crossing('disclosure', 1, { owner: 'KH', fields: fields(false) });
    const at = '2026-03-01T10:00:00.000Z';
    const [a, b] = await Promise.all([
      log.append({ ...sharedRecord, at }),
      log.append({ ...copiedRecord, at }),
    ]);
    // The caller's shared objects change after the append resolved: the log holds what was appended.
    (sharedFields[0]!.obligations as { retentionDays: number }).retentionDays = 1;
    (sharedFields[0]!.clauses[0] as { citation: string }).citation = 'changed';
    await log.close();

    const reader = await openAuditReader(url);
    try {
      const found = await reader.query({ kinds: ['disclosure'] });
      const bodies = found.map((f) => f.entry!.body as CrossingBody);
      expect(found.map((f) => f.ref)).toEqual([`kh-subgraph#${a.seq}`, `kh-subgraph#${b.seq}`]);
      expect(canonicalJson(bodies[0])).toBe(canonicalJson(bodies[1]));
      expect(found[0]!.entry!.bodyHash).toBe(found[1]!.entry!.bodyHash);
      for (const body of bodies) {
        expect(body.fields).toHaveLength(ENTRIES);
        for (const field of body.fields) {
          expect(field.obligations?.retentionDays).toBe(1825);
          expect(field.clauses[0]!.citation).toBe('art. 1(4)(b)');
        }
      }
      expect((await reader.verify()).ok).toBe(true);
    } finally {
      await reader.close();
    }
  });

  it('are still refused whole when a shared part is bad, naming the first entry that holds it', () => {
    const one = parts();
    const bad = { ...one, obligations: { ...one.obligations, handlingCode: 'H9' } };
    const record = crossing('disclosure', 1, {
      owner: 'KH',
      fields: [
        { path: '_entities.0.fullName', ...one },
        { path: '_entities.1.fullName', ...(bad as unknown as typeof one) },
        { path: '_entities.2.fullName', ...(bad as unknown as typeof one) },
      ],
    });
    expect(() => validateCrossingRecord(record)).toThrow(/fields\[1\]\.obligations\.handlingCode/);
  });
});
