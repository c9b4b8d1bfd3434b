/**
 * Desk acts as audit records (issue 9 item 6): `recordProcedure` appends a request filed or decided, a
 * grant issued or revoked, an emergency registered, into the owner's hash-chained log; a record that does
 * not match the model is refused and nothing is written. `npm run audit -- verify | query | export` read
 * them beside the crossings, and a lawyer asks for everything about one grant: its desk acts, and the
 * crossings that named it — those written before field entries cited grants (by their request reference)
 * and those written after (field by field).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuditError,
  fieldEntriesOf,
  openAuditLog,
  openAuditReader,
  recordProcedure,
  type AuditLog,
  type ProcedureRecord,
  type StoredCrossingBody,
  type StoredEntry,
} from '../../audit';
import { runCli, type CliIo } from '../../audit/cli';
import { crossing, identityFields } from './support/records';

const GRANT = 'MLA-2026-0042';
const CASE = 'KR-CAS-000001';
const ISSUED = '2026-06-14T09:00:00.000Z';
const UNTIL = '2026-07-14T09:00:00.000Z';
const officer = { id: 'desk.kh', country: 'KH', role: 'officer' } as const;
const terms = {
  owner: 'KH',
  requester: { country: 'KR', analysts: ['lee.h'] },
  caseReference: CASE,
  purpose: 'investigation',
  agreement: 'kr-kh-mlat-2021',
  clauses: ['persons-and-records', 'proceeds'],
  subjects: ['KH-SUS-000001'],
  categories: ['person.identity', 'financial.accounts'],
};

/** One valid record of every act, as the desk, the request filing and the emergency registry will write them. */
const ACTS: ProcedureRecord[] = [
  {
    act: 'request.filed',
    at: '2026-06-13T08:00:00Z',
    actor: { id: 'lee.h', country: 'KR', role: 'analyst' },
    requestId: 'REQ-1',
    ...terms,
  },
  {
    act: 'request.info_requested',
    at: '2026-06-13T10:00:00Z',
    actor: officer,
    owner: 'KH',
    requestId: 'REQ-1',
    caseReference: CASE,
    note: 'Which transfers tie the subject to the case?',
  },
  {
    act: 'request.refused',
    at: '2026-06-13T11:00:00Z',
    actor: officer,
    owner: 'KH',
    requestId: 'REQ-2',
    caseReference: 'KR-CAS-000002',
    ground: 'Directive (EU) 2023/977 art. 6(1)(a): the data is not available',
  },
  {
    act: 'request.approved',
    at: ISSUED,
    actor: officer,
    requestId: 'REQ-1',
    grantId: GRANT,
    validFrom: ISSUED,
    validUntil: UNTIL,
    ...terms,
  },
  {
    act: 'grant.issued',
    at: ISSUED,
    actor: officer,
    grantId: GRANT,
    validFrom: ISSUED,
    validUntil: UNTIL,
    evidentiaryUse: true,
    ...terms,
  },
  {
    act: 'grant.revoked',
    at: '2026-06-20T09:00:00Z',
    actor: officer,
    grantId: GRANT,
    caseReference: CASE,
    owner: 'KH',
    note: 'the case was closed',
  },
  {
    act: 'emergency.registered',
    at: '2026-06-15T09:00:00Z',
    actor: { id: 'kim.j', country: 'KR', role: 'analyst' },
    owner: 'KH',
    registrationId: 'EMR-1',
    requester: { country: 'KR', analysts: ['kim.j'] },
    validFrom: '2026-06-15T09:00:00Z',
    validUntil: '2026-06-16T09:00:00Z',
    justification: 'A victim is held at a compound; an assault was reported within the hour.',
  },
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'accord-procedure-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(): CliIo & { stdout: string; stderr: string } {
  const captured = {
    stdout: '',
    stderr: '',
    out(text: string) {
      captured.stdout += `${text}\n`;
    },
    err(text: string) {
      captured.stderr += `${text}\n`;
    },
    env: {},
    now: () => new Date(),
  };
  return captured;
}

/** The owner's log: disclosures (one before grants were cited, one after, one unrelated) and the desk's acts. */
async function ownersLog(name: string): Promise<string> {
  const url = `sqlite:${join(dir, `${name}.db`)}`;
  const owner = await openAuditLog({ url, writer: { instance: 'kh' } });
  // Written before field entries named grants: only the request reference says which grant it used.
  await owner.append(
    crossing('disclosure', 1, { analyst: 'lee.h', caseReference: CASE, requestReference: GRANT }),
  );
  // Written after: every field released under the grant names it, with its validity end.
  const cited = identityFields('KH', 0).map((field) =>
    field.effect === 'withhold' ? field : { ...field, grant: { id: GRANT, validUntil: UNTIL } },
  );
  await owner.append(
    crossing('disclosure', 3, {
      analyst: 'lee.h',
      caseReference: CASE,
      requestReference: GRANT,
      fields: cited,
    }),
  );
  await owner.append(crossing('disclosure', 5, { caseReference: 'KR-2025-0017' }));
  await owner.close();
  const desk = await openAuditLog({ url, writer: { instance: 'kh-desk' } });
  for (const act of ACTS) await recordProcedure(desk, act);
  await desk.close();
  return url;
}

async function entries(
  url: string,
  query: Parameters<Awaited<ReturnType<typeof openAuditReader>>['query']>[0],
): Promise<StoredEntry[]> {
  const reader = await openAuditReader(url);
  try {
    return (await reader.query(query)).map((r) => r.entry!);
  } finally {
    await reader.close();
  }
}

describe("desk acts in the owner's log", () => {
  test('every act is appended as a procedure entry, and the log verifies', async () => {
    const url = await ownersLog('acts');
    const procedures = await entries(url, { kinds: ['procedure'] });
    // Queries return entries in the order of their times.
    expect(procedures.map((e) => (e.body as { act: string }).act).sort()).toEqual(
      ACTS.map((a) => a.act).sort(),
    );
    // Times in ISO 8601 UTC; the act's time is the entry's.
    const issued = procedures.find((e) => (e.body as { act: string }).act === 'grant.issued')!;
    expect(issued.at).toBe(ISSUED);
    expect(issued.body).toMatchObject({
      actor: officer,
      grantId: GRANT,
      validFrom: ISSUED,
      validUntil: UNTIL,
      ...terms,
    });
    const out = io();
    expect(await runCli(['verify', '--log', url], out)).toBe(0);
    expect(out.stdout).toMatch(/VERIFIED — 2 chain\(s\)/);
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['an act outside the closed set', { ...ACTS[4], act: 'grant.extended' }, /act must be one of/],
    [
      'a refusal without its ground',
      { ...ACTS[2], ground: undefined },
      /request\.refused record must name its ground/,
    ],
    [
      'a grant without its validity end',
      { ...ACTS[4], validUntil: undefined },
      /grant\.issued record must name its validUntil/,
    ],
    [
      'an emergency without its justification',
      { ...ACTS[6], justification: undefined },
      /must name its justification/,
    ],
    ['no one who acted', { ...ACTS[5], actor: undefined }, /actor must be an object/],
    ['an actor of no known role', { ...ACTS[5], actor: { ...officer, role: 'clerk' } }, /actor\.role/],
    [
      'a requester that is not a country',
      { ...ACTS[4], requester: { country: 'Korea' } },
      /requester\.country/,
    ],
    [
      'a category outside the vocabulary',
      { ...ACTS[4], categories: ['person.shoe_size'] },
      /categories\[0\]/,
    ],
    [
      'a validity that ends before it starts',
      { ...ACTS[4], validUntil: ISSUED },
      /validUntil must be a time after validFrom/,
    ],
    [
      'a control character in a note',
      { ...ACTS[5], note: 'closed\u202e' },
      /note must be a non-empty string/,
    ],
  ])('refuses %s, and writes nothing', async (_what, act, message) => {
    const url = `sqlite:${join(dir, `refused-${Math.random().toString(36).slice(2)}.db`)}`;
    const log: AuditLog = await openAuditLog({ url, writer: { instance: 'kh-desk' } });
    try {
      const refused = recordProcedure(log, act as unknown as ProcedureRecord);
      await expect(refused).rejects.toBeInstanceOf(AuditError);
      await expect(refused).rejects.toMatchObject({
        code: 'BAD_RECORD',
        message: expect.stringMatching(message),
      });
    } finally {
      await log.close();
    }
    expect(await entries(url, { kinds: ['procedure'] })).toEqual([]);
  });

  test('a field entry cites a grant only for what the grant opened, and with a real time', async () => {
    const url = `sqlite:${join(dir, 'field-grant.db')}`;
    const log = await openAuditLog({ url, writer: { instance: 'kh' } });
    try {
      const [reference, identity, withheld] = identityFields('KH', 0);
      const withGrant = (field: object) =>
        crossing('disclosure', 1, { fields: [reference!, field as typeof identity & object] });
      await expect(
        log.append(withGrant({ ...withheld, grant: { id: GRANT, validUntil: UNTIL } })),
      ).rejects.toMatchObject({ code: 'BAD_RECORD', message: /fields\[1\]\.grant/ });
      await expect(
        log.append(withGrant({ ...identity, grant: { id: GRANT, validUntil: 'next month' } })),
      ).rejects.toMatchObject({ code: 'BAD_RECORD', message: /grant\.validUntil/ });
      await expect(log.append(withGrant({ ...identity, grant: GRANT }))).rejects.toMatchObject({
        code: 'BAD_RECORD',
        message: /fields\[1\]\.grant must be an object/,
      });
    } finally {
      await log.close();
    }
  });
});

describe('a lawyer asks for everything about one grant', () => {
  test('query --grant: its desk acts and the crossings that named it, with or without field citations', async () => {
    const url = await ownersLog('query');
    const out = io();
    expect(await runCli(['query', '--log', url, '--grant', GRANT, '--json'], out)).toBe(0);
    const found = JSON.parse(out.stdout) as StoredEntry[];
    const summary = found.map((e) =>
      e.kind === 'procedure'
        ? (e.body as { act: string }).act
        : `${e.kind} ${(e.body as { requestId: string }).requestId}`,
    );
    expect(summary.sort()).toEqual(
      ['disclosure req-1', 'disclosure req-3', 'grant.issued', 'grant.revoked', 'request.approved'].sort(),
    );

    const table = io();
    expect(await runCli(['query', '--log', url, '--grant', GRANT], table)).toBe(0);
    expect(table.stdout).toMatch(/grant\.issued\s+.*desk\.kh \(officer, KH\)/);
    expect(table.stdout).toMatch(/\(5 record\(s\)\)/);
  });

  test('query --case finds the desk acts of the case beside its crossings', async () => {
    const url = await ownersLog('case');
    const found = await entries(url, { caseReference: CASE });
    const acts = found.filter((e) => e.kind === 'procedure').map((e) => (e.body as { act: string }).act);
    expect(acts.sort()).toEqual(
      ['grant.issued', 'grant.revoked', 'request.approved', 'request.filed', 'request.info_requested'].sort(),
    );
    expect(found.filter((e) => e.kind === 'disclosure')).toHaveLength(2);
  });

  test('export --grant makes a pack that verifies offline, with the records written before and after grants were cited', async () => {
    const url = await ownersLog('export');
    const pack = join(dir, 'pack-grant');
    const out = io();
    expect(await runCli(['export', '--log', url, '--grant', GRANT, '--out', pack], out)).toBe(0);
    expect(out.stdout).toMatch(
      /5 record\(s\) \(0 consultation\(s\), 2 disclosure\(s\), 0 review\(s\), 3 desk act\(s\)\)/,
    );
    const verify = io();
    expect(await runCli(['verify', '--pack', pack], verify)).toBe(0);
    expect(verify.stdout).toMatch(/VERIFIED — 5 record\(s\)/);
    const records = readFileSync(join(pack, 'records.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as StoredEntry);
    // A pack carries records as stored: a record written since the clause table (decision 0021) points its
    // fields into `decisions`.
    const fieldGrants = records
      .filter((e) => e.kind === 'disclosure')
      .map((e) => fieldEntriesOf(e.body as StoredCrossingBody).some((f) => f.grant !== undefined));
    expect(fieldGrants.sort()).toEqual([false, true]);

    const byCase = join(dir, 'pack-case');
    const caseOut = io();
    expect(await runCli(['export', '--log', url, '--case', CASE, '--out', byCase], caseOut)).toBe(0);
    expect(caseOut.stdout).toMatch(/5 desk act\(s\)/);
    expect(await runCli(['verify', '--pack', byCase], io())).toBe(0);
  });

  test('export takes exactly one of --case, --agreement and --grant', async () => {
    const url = await ownersLog('usage');
    const out = io();
    expect(
      await runCli(
        ['export', '--log', url, '--grant', GRANT, '--case', CASE, '--out', join(dir, 'never')],
        out,
      ),
    ).toBe(2);
    expect(out.stderr).toMatch(
      /exactly one of --case REF or --agreement AGREEMENT\[\/CLAUSE\] or --grant ID/,
    );
  });
});
