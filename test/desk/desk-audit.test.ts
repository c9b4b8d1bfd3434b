/**
 * The desk's approvals and revocations are audit records (issue 9 item 6): `npm run desk -- approve` and
 * `revoke`, run as an officer runs them, each append a procedure entry to the owner's log (as the desk's
 * own chain beside the owner's), which verifies with the keys the services pin. A log that cannot be
 * opened stops the approval before any grant exists.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { openAuditReader, type ProcedureBody, type StoredEntry } from '../../audit';
import { runCli, type CliIo } from '../../audit/cli';
import { MLA_2026_0042 } from '../support/grants';

const ROOT = resolve(__dirname, '..', '..');
const run = promisify(execFile);
const GRANT = MLA_2026_0042;
const OWNER = GRANT.owner;

async function desk(dataDir: string, env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npm', ['run', '-s', 'desk', '--', ...args], { cwd: ROOT, env: { ...process.env, ACCORD_DATA_DIR: dataDir, ACCORD_AUDIT_URL: '', ACCORD_AUDIT: '', ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The approval of the scenario's grant, as options of `npm run desk -- approve`. */
const APPROVE = [
  'approve',
  '--country', OWNER,
  '--officer', 'desk.kh',
  '--id', GRANT.id,
  '--requester', GRANT.requesterCountry,
  ...GRANT.analysts.flatMap((a) => ['--analyst', a]),
  '--case', GRANT.caseReference,
  '--purpose', GRANT.purpose,
  '--agreement', GRANT.agreement,
  ...GRANT.clauses.flatMap((c) => ['--clause', c]),
  ...GRANT.subjects.flatMap((s) => ['--subject', s]),
  ...GRANT.categories.flatMap((c) => ['--category', c]),
  '--days', '30',
];

const quiet: CliIo = { out: () => undefined, err: () => undefined, env: {}, now: () => new Date() };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'accord-desk-audit-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('approve and revoke are recorded in the owner\'s log, which verifies with the pinned keys', async () => {
  const data = join(dir, 'recorded');
  const approved = await desk(data, {}, ...APPROVE);
  expect(approved).toMatchObject({ code: 0, stdout: expect.stringMatching(/approved: grant MLA-2026-0042/) });
  const revoked = await desk(data, {}, 'revoke', '--country', OWNER, '--officer', 'desk.kh.chief', '--id', GRANT.id);
  expect(revoked).toMatchObject({ code: 0, stdout: expect.stringMatching(/revoked: grant MLA-2026-0042/) });

  // The owner's own log file, as the owner's subgraph writes it (audit/fromEnv.ts).
  const url = `sqlite:${join(data, 'audit', `${OWNER.toLowerCase()}.db`)}`;
  const reader = await openAuditReader(url);
  let found: StoredEntry[];
  try {
    found = (await reader.query({ grant: GRANT.id })).map((r) => r.entry!);
  } finally {
    await reader.close();
  }
  const acts = found.map((e) => ({ kind: e.kind, chain: e.chain, ...(e.body as ProcedureBody) }));
  expect(acts.map((a) => [a.kind, a.chain, a.act, a.actor.id])).toEqual([
    ['procedure', `${OWNER.toLowerCase()}-desk`, 'grant.issued', 'desk.kh'],
    ['procedure', `${OWNER.toLowerCase()}-desk`, 'grant.revoked', 'desk.kh.chief'],
  ]);
  expect(acts[0]).toMatchObject({
    owner: OWNER,
    actor: { id: 'desk.kh', country: OWNER, role: 'officer' },
    requester: { country: GRANT.requesterCountry, analysts: GRANT.analysts },
    caseReference: GRANT.caseReference,
    purpose: GRANT.purpose,
    agreement: GRANT.agreement,
    clauses: GRANT.clauses,
    subjects: GRANT.subjects,
    categories: GRANT.categories,
  });
  // Valid for the 30 days approved, from the instant of the approval.
  expect(Date.parse(acts[0]!.validUntil!) - Date.parse(acts[0]!.validFrom!)).toBe(30 * 86_400_000);
  expect(await runCli(['verify', '--log', url, '--keys', join(data, 'audit', 'keys', 'trusted.json')], quiet)).toBe(0);
}, 120_000);

test('a log that cannot be opened stops the approval: no grant is issued', async () => {
  const data = join(dir, 'unrecordable');
  const refused = await desk(data, { ACCORD_AUDIT_URL: 'mysql://nowhere/audit' }, ...APPROVE);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/audit log cannot be opened .*nothing changed/);
  const listed = await desk(data, {}, 'list', '--country', OWNER);
  expect(listed).toMatchObject({ code: 0, stdout: '' });
}, 120_000);
