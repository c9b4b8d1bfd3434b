/**
 * The alert acts as audit records (issue 11; docs/decisions/0019-alert-delivery.md): a watch registered,
 * renewed, cancelled, held or dropped, a notice emitted, delivered or acknowledged. Each is a procedure
 * entry on the side it concerns; each names what its act cannot go without (PROCEDURE_REQUIRES), and a
 * record that does not match is refused with nothing written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuditError,
  PROCEDURE_ACTS,
  PROCEDURE_REQUIRES,
  openAuditLog,
  openAuditReader,
  recordProcedure,
  type ProcedureRecord,
} from '../../audit';
import { runCli } from '../../audit/cli';

const WATCH = 'KR-WCH-0f0e0d0c-0b0a-4908-8706-050403020100';
const NOTICE = 'TH-NTC-0123456789abcdef01234567';
const analyst = { id: 'lee.h', country: 'KR', role: 'analyst' } as const;
const requester = { country: 'KR', analysts: ['lee.h'] };
const watchBasis = [
  { member: 'TH', category: 'person.identity', agreement: 'kr-th-mou', clause: 'identity' },
];
const noticeBasis = [
  { category: 'person.identity', agreement: 'kr-th-mou', clause: 'identity' },
  { category: 'border.movements', agreement: 'kr-th-mou', clause: 'movements' },
];
const justification = 'The suspect is expected to cross into Thailand this week.';

/** One valid record of every alert act, as the members and the gateway write them. */
const ALERT_ACTS: ProcedureRecord[] = [
  {
    act: 'watch.registered',
    actor: analyst,
    owner: 'KR',
    watchId: WATCH,
    requester,
    caseReference: 'KR-CAS-000001',
    purpose: 'investigation',
    validUntil: '2026-07-15T09:00:00Z',
    justification,
    recipients: ['TH'],
    basis: watchBasis,
  },
  {
    act: 'watch.renewed',
    actor: analyst,
    owner: 'KR',
    watchId: WATCH,
    validUntil: '2026-08-14T09:00:00Z',
    justification,
    recipients: [],
    basis: [],
  },
  { act: 'watch.cancelled', actor: analyst, owner: 'KR', watchId: WATCH, recipients: ['TH'] },
  {
    act: 'watch.held',
    actor: { id: 'accord:alerts', country: 'TH', role: 'system' },
    owner: 'TH',
    watchId: WATCH,
    requester,
    caseReference: 'KR-CAS-000001',
    purpose: 'investigation',
    validUntil: '2026-07-15T09:00:00Z',
  },
  {
    act: 'watch.dropped',
    actor: { id: 'accord:alerts', country: 'TH', role: 'system' },
    owner: 'TH',
    watchId: WATCH,
    requester,
  },
  {
    act: 'notice.emitted',
    actor: { id: 'accord:alerts', country: 'TH', role: 'system' },
    owner: 'TH',
    noticeId: NOTICE,
    watchId: WATCH,
    requester,
    eventReference: 'TH-EVT-000000042',
    subjects: ['TH-SUS-000012'],
    basis: noticeBasis,
  },
  { act: 'notice.delivered', actor: analyst, owner: 'TH', noticeId: NOTICE, watchId: WATCH, requester },
  {
    act: 'notice.acknowledged',
    actor: analyst,
    owner: 'TH',
    noticeId: NOTICE,
    watchId: WATCH,
    requester,
    action: 'located',
  },
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'accord-alert-acts-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const alertActs = PROCEDURE_ACTS.filter((act) => act.startsWith('watch.') || act.startsWith('notice.'));

test('the examples cover every alert act of the closed set', () => {
  expect(ALERT_ACTS.map((record) => record.act).sort()).toEqual([...alertActs].sort());
});

test('every alert act is appended as a procedure entry with its references, and the log verifies', async () => {
  const url = `sqlite:${join(dir, 'acts.db')}`;
  const log = await openAuditLog({ url, writer: { instance: 'kr' } });
  for (const record of ALERT_ACTS) await recordProcedure(log, record);
  await log.close();
  const reader = await openAuditReader(url);
  const stored = (await reader.query({ kinds: ['procedure'] })).map((row) => row.entry!.body);
  await reader.close();
  expect(stored).toHaveLength(ALERT_ACTS.length);
  expect(stored).toContainEqual(
    expect.objectContaining({ act: 'notice.emitted', noticeId: NOTICE, basis: noticeBasis }),
  );
  expect(stored).toContainEqual(expect.objectContaining({ act: 'watch.registered', recipients: ['TH'] }));
  expect(stored).toContainEqual(expect.objectContaining({ act: 'watch.renewed', recipients: [] }));
  const out = { stdout: '', out: (t: string) => void (out.stdout += `${t}\n`), err: () => undefined };
  expect(await runCli(['verify', '--log', url], { ...out, env: {}, now: () => new Date() })).toBe(0);
});

describe('a record missing what its act requires is refused, and nothing is written', () => {
  const cases = ALERT_ACTS.flatMap((record) =>
    PROCEDURE_REQUIRES[record.act].map((field) => [record.act, field, record] as const),
  );
  test.each(cases)('%s without %s', async (_act, field, record) => {
    const url = `sqlite:${join(dir, `missing-${record.act}-${field}.db`)}`;
    const log = await openAuditLog({ url, writer: { instance: 'kr' } });
    await expect(recordProcedure(log, { ...record, [field]: undefined })).rejects.toThrow(
      new RegExp(`must name its ${field}`),
    );
    await log.close();
    const reader = await openAuditReader(url);
    expect(await reader.query({ kinds: ['procedure'] })).toHaveLength(0);
    await reader.close();
  });
});

test.each([
  [
    'a recipient that is not a country code',
    { ...ALERT_ACTS[0]!, recipients: ['Thailand'] },
    /recipients\[0\]/,
  ],
  [
    'a basis of a category outside the vocabulary',
    { ...ALERT_ACTS[5]!, basis: [{ ...noticeBasis[0]!, category: 'person.shoe_size' }] },
    /basis\[0\]\.category/,
  ],
  [
    'a basis without its clause',
    { ...ALERT_ACTS[5]!, basis: [{ category: 'person.identity', agreement: 'kr-th-mou' }] },
    /basis\[0\]\.clause/,
  ],
  ['a basis that is not a list', { ...ALERT_ACTS[5]!, basis: 'identity' }, /basis must be/],
  ['an empty action', { ...ALERT_ACTS[7]!, action: ' ' }, /action/],
  [
    'an actor of no known role',
    { ...ALERT_ACTS[3]!, actor: { id: 'x', country: 'TH', role: 'robot' } },
    /actor\.role/,
  ],
])('refused: %s', async (_name, record, message) => {
  const log = await openAuditLog({ url: `sqlite:${join(dir, 'refused.db')}`, writer: { instance: 'kr' } });
  const refusal = recordProcedure(log, record as ProcedureRecord);
  await expect(refusal).rejects.toThrow(AuditError);
  await expect(refusal).rejects.toThrow(message);
  await log.close();
});
