// Red-team 14b: a search page's cursors carry record ids (base64url of JSON). Selected alone
// (`edges { cursor }`, `pageInfo { endCursor }`), they disclose which records match a term, by id,
// while neither the owner's disclosure record nor the gateway's presence check sees a record.
import type { AuditLog, CrossingRecord } from '../../audit';
import { analyst, startAlliance, type Alliance } from '../support/alliance';
import { sqliteAuditBackend } from '../support/auditBackends';

const TH = analyst('TH', 'analyst.th', { purpose: 'investigation', case: 'TH-CAS-000001' });

describe('red team 14b: what a page discloses is recorded', () => {
  const backend = sqliteAuditBackend();
  const logs = backend.forAlliance();
  const records: CrossingRecord[] = [];
  let alliance: Alliance;
  beforeAll(async () => {
    alliance = await startAlliance({
      audit: {
        async open(instance: string): Promise<AuditLog> {
          const log = await logs.open(instance);
          const append = log.append.bind(log);
          (log as { append: AuditLog['append'] }).append = (record) => {
            if ((record as CrossingRecord).side === 'disclosure') records.push(record as CrossingRecord);
            return append(record);
          };
          return log;
        },
      },
    });
  }, 240_000);
  afterAll(async () => {
    await alliance?.stop();
    await backend.close();
  });

  it("the list: every record answered is in KR's disclosure record", async () => {
    records.length = 0;
    const { body } = await alliance.query(
      '{ search(term: "Tiger", countries: ["KR"]) { suspects { __typename } } }',
      { headers: TH },
    );
    expect(body.errors).toBeUndefined();
    expect((body.data!['search'] as { suspects: unknown[] }[])[0]!.suspects.length).toBeGreaterThan(0);
    const recorded = records
      .filter((r) => r.owner === 'KR')
      .flatMap((r) => r.fields.map((f) => (f as { record?: string }).record ?? ''));
    expect(recorded).toContain('KR-SUS-000001');
  });

  it("a page with only its count: KR's disclosure record says a search page was answered", async () => {
    records.length = 0;
    const { body } = await alliance.query(
      '{ search(term: "Tiger", countries: ["KR"]) { suspectsConnection { totalCount } } }',
      { headers: TH },
    );
    expect(body.errors).toBeUndefined();
    expect(
      records
        .filter((r) => r.owner === 'KR')
        .flatMap((r) => r.fields)
        .map((f) => f.path),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/suspectsConnection/)]));
  });

  it('a page with only cursors gives away no record id: the cursors are sealed, and no id can be read from them', async () => {
    // Which ids the page holds, asked the plain way (the disclosure record shows them)...
    const list = await alliance.query('{ search(term: "Tiger", countries: ["KR"]) { suspects { id } } }', {
      headers: TH,
    });
    const ids = (list.body.data!['search'] as { suspects: { id: string }[] }[])[0]!.suspects.map((s) => s.id);
    expect(ids.length).toBeGreaterThan(0);
    // ...and the cursors of the same page, asked alone: none of their bytes, decoded, spells an id.
    const { body } = await alliance.query(
      '{ search(term: "Tiger", countries: ["KR"]) { suspectsConnection { totalCount pageInfo { endCursor } edges { cursor } } } }',
      { headers: TH },
    );
    expect(body.errors).toBeUndefined();
    const cursors = [...JSON.stringify(body.data).matchAll(/"(?:cursor|endCursor)":"([A-Za-z0-9_-]+)"/g)].map(
      (m) => m[1]!,
    );
    expect(cursors.length).toBeGreaterThan(0);
    for (const cursor of cursors) {
      const decoded = Buffer.from(cursor, 'base64url').toString('latin1');
      for (const id of ids) expect(decoded).not.toContain(id);
      expect(decoded).not.toContain('Suspect');
    }
  });
});
