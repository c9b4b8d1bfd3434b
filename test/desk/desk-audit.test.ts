/**
 * The desk's acts are audit records (issue 9 item 6): `npm run desk -- ask | approve | refuse | revoke`, run
 * as an officer runs them, append procedure entries (audit/recordProcedure.ts) to the owner's log, as the
 * desk's own chain beside the owner's, which verifies with the keys the services pin. A log that cannot be
 * opened stops the act before anything changes. The desk the member's server answers over HTTP records
 * through the same mapping (deskActRecorder, for mountDesk's onAct). The route (a clause bound to a formal request) and the
 * refusal ground come from the agreement set and the vocabulary.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  AuditError,
  openAuditLog,
  openAuditReader,
  type AuditLog,
  type ProcedureBody,
  type ProcedureRecord,
} from '../../audit';
import { runCli, type CliIo } from '../../audit/cli';
import { loadDefaultPolicy } from '../../policy';
import { REFUSAL_GROUNDS } from '../../vocabulary';
import {
  createDesk,
  deskActRecorder,
  deskFile,
  ensureGrantKey,
  grantKeyFile,
  openGrantStore,
  openRequestStore,
} from '../../subgraphs/desk';

const ROOT = resolve(__dirname, '..', '..');
const run = promisify(execFile);
const policy = loadDefaultPolicy();
const DAY = 86_400_000;

/** A clause bound to a formal request, its owner and requester, and a category no second officer is needed for. */
const ROUTE = (() => {
  for (const agreement of policy.set.agreements) {
    for (const clause of agreement.clauses.filter((c) => c.conditions.requestReference === true)) {
      const { from, to } =
        clause.direction === 'both' ? { from: agreement.parties, to: agreement.parties } : clause.direction;
      for (const owner of from) {
        const sensitive: readonly string[] =
          policy.set.members.find((m) => m.code === owner)?.desk?.twoApproverCategories ?? [];
        const category = Object.keys(clause.categories).find((c) => !sensitive.includes(c));
        const requester = to.find((country) => country !== owner);
        if (requester !== undefined && category !== undefined)
          return { agreement, clause, owner, requester, category };
      }
    }
  }
  throw new Error('no clause bound to a formal request');
})();
const CHAIN = `${ROUTE.owner.toLowerCase()}-desk`;

async function desk(
  dataDir: string,
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npm', ['run', '-s', 'desk', '--', ...args], {
      cwd: ROOT,
      env: { ...process.env, ACCORD_DATA_DIR: dataDir, ACCORD_AUDIT_URL: '', ACCORD_AUDIT: '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A follow-up request filed with the owner's desk, as the owner's subgraph files it. */
function file(dataDir: string, caseReference: string): string {
  const store = openRequestStore({ owner: ROUTE.owner, file: deskFile(ROUTE.owner, dataDir) });
  try {
    const now = Date.now();
    const filed = store.file(
      {
        owner: ROUTE.owner,
        requesterCountry: ROUTE.requester,
        analyst: 'lee.h',
        authority: 'National Police',
        caseReference,
        offences: ['fraud'],
        facts: 'Paid into accounts held abroad.',
        subjects: [`${ROUTE.owner}-SUS-000001`],
        categories: [ROUTE.category],
        purpose: ROUTE.clause.purposes[0]!,
        agreement: ROUTE.agreement.id,
        clauses: [ROUTE.clause.id],
        urgency: 'normal',
        intendedUse: 'intelligence',
        confidentiality: 'none',
      },
      now,
      now + 3 * DAY,
    );
    return filed.id;
  } finally {
    store.close();
  }
}

function stateOf(dataDir: string, id: string): string | undefined {
  const store = openRequestStore({ owner: ROUTE.owner, file: deskFile(ROUTE.owner, dataDir) });
  try {
    return store.get(id)?.state;
  } finally {
    store.close();
  }
}

const quiet: CliIo = { out: () => undefined, err: () => undefined, env: {}, now: () => new Date() };
const CASE = `${ROUTE.requester}-CAS-000001`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'accord-desk-audit-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("ask, approve, refuse and revoke are recorded in the owner's log, which verifies with the pinned keys", async () => {
  const data = join(dir, 'recorded');
  const id = file(data, CASE);
  const refusedId = file(data, `${ROUTE.requester}-CAS-000002`);
  const ground = REFUSAL_GROUNDS[0].code;
  const officer = (name: string) => ['--country', ROUTE.owner, '--officer', name];
  expect(
    await desk(
      data,
      {},
      'ask',
      ...officer('desk.one'),
      '--request',
      id,
      '--question',
      'Which transfers tie the subject to the case?',
    ),
  ).toMatchObject({ code: 0 });
  expect(
    await desk(
      data,
      {},
      'approve',
      ...officer('desk.one'),
      '--request',
      id,
      '--category',
      ROUTE.category,
      '--days',
      '30',
    ),
  ).toMatchObject({ code: 0 });
  expect(
    await desk(data, {}, 'refuse', ...officer('desk.two'), '--request', refusedId, '--ground', ground),
  ).toMatchObject({ code: 0 });
  expect(await desk(data, {}, 'revoke', ...officer('desk.two'), '--grant', id)).toMatchObject({ code: 0 });

  // The owner's own log file, as the owner's subgraph writes it (audit/fromEnv.ts).
  const url = `sqlite:${join(data, 'audit', `${ROUTE.owner.toLowerCase()}.db`)}`;
  const reader = await openAuditReader(url);
  let acts: (ProcedureBody & { chain: string })[];
  let aboutGrant: string[];
  try {
    acts = (await reader.query({ kinds: ['procedure'] })).map((r) => ({
      chain: r.entry!.chain,
      ...(r.entry!.body as ProcedureBody),
    }));
    aboutGrant = (await reader.query({ grant: id })).map((r) => (r.entry!.body as ProcedureBody).act);
  } finally {
    await reader.close();
  }
  expect(acts.map((a) => [a.chain, a.act, a.actor.id, a.requestId ?? a.grantId])).toEqual([
    [CHAIN, 'request.info_requested', 'desk.one', id],
    [CHAIN, 'request.approved', 'desk.one', id],
    [CHAIN, 'grant.issued', 'desk.one', id],
    [CHAIN, 'request.refused', 'desk.two', refusedId],
    [CHAIN, 'grant.revoked', 'desk.two', id],
  ]);
  expect(aboutGrant).toEqual(['request.approved', 'grant.issued', 'grant.revoked']);
  const issued = acts.find((a) => a.act === 'grant.issued')!;
  expect(issued).toMatchObject({
    owner: ROUTE.owner,
    actor: { id: 'desk.one', country: ROUTE.owner, role: 'officer' },
    grantId: id,
    requester: { country: ROUTE.requester, analysts: ['lee.h'] },
    caseReference: CASE,
    agreement: ROUTE.agreement.id,
    clauses: [ROUTE.clause.id],
    subjects: [`${ROUTE.owner}-SUS-000001`],
    categories: [ROUTE.category],
  });
  // Valid for the 30 days approved, from the instant of the approval.
  expect(Date.parse(issued.validUntil!) - Date.parse(issued.validFrom!)).toBe(30 * DAY);
  expect(acts.find((a) => a.act === 'request.refused')).toMatchObject({
    ground,
    caseReference: `${ROUTE.requester}-CAS-000002`,
  });
  expect(acts.find((a) => a.act === 'request.info_requested')).toMatchObject({
    note: 'Which transfers tie the subject to the case?',
  });
  expect(
    await runCli(['verify', '--log', url, '--keys', join(data, 'audit', 'keys', 'trusted.json')], quiet),
  ).toBe(0);
}, 180_000);

test('a log that cannot be opened stops the act: the request is not approved, no grant is issued', async () => {
  const data = join(dir, 'unrecordable');
  const id = file(data, CASE);
  const refused = await desk(
    data,
    { ACCORD_AUDIT_URL: 'mysql://nowhere/audit' },
    'approve',
    '--country',
    ROUTE.owner,
    '--officer',
    'desk.one',
    '--request',
    id,
    '--category',
    ROUTE.category,
    '--days',
    '30',
  );
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/audit log cannot be opened .*nothing changed/);
  expect(stateOf(data, id)).toBe('pending');
}, 120_000);

/** A desk over the stores in `data`, as the member's server mounts it, recording into `log`. */
function serverDesk(data: string, log: AuditLog, errors: ProcedureRecord[]) {
  const requests = openRequestStore({ owner: ROUTE.owner, file: deskFile(ROUTE.owner, data) });
  const grants = openGrantStore({
    owner: ROUTE.owner,
    file: deskFile(ROUTE.owner, data),
    key: ensureGrantKey(grantKeyFile(ROUTE.owner, data)),
  });
  const recorder = deskActRecorder(
    log,
    ROUTE.owner,
    { request: (id) => requests.get(id), grant: (id) => grants.get(id) },
    (_error, record) => errors.push(record),
  );
  const desk = createDesk({ owner: ROUTE.owner, policy, requests, grants, onAct: recorder.onAct });
  return { desk, recorder, close: () => (requests.close(), grants.close()) };
}

test("the desk the member's server answers records its acts through the same mapping", async () => {
  const data = join(dir, 'server');
  const id = file(data, CASE);
  const url = `sqlite:${join(data, 'owner-audit.db')}`;
  const log = await openAuditLog({ url, writer: { instance: ROUTE.owner.toLowerCase() } });
  const errors: ProcedureRecord[] = [];
  const { desk: served, recorder, close } = serverDesk(data, log, errors);
  try {
    const officer = { country: ROUTE.owner, id: 'desk.one' };
    expect(
      served.approve(id, officer, { categories: [ROUTE.category], validDays: 30, evidentiaryUse: false }).ok,
    ).toBe(true);
    expect(served.revoke(id, { country: ROUTE.owner, id: 'desk.two' }).ok).toBe(true);
    await recorder.settled();
  } finally {
    close();
    await log.close();
  }
  expect(errors).toEqual([]);
  const reader = await openAuditReader(url);
  try {
    const acts = (await reader.query({ grant: id })).map((r) => r.entry!.body as ProcedureBody);
    expect(acts.map((a) => [a.act, a.actor.id])).toEqual([
      ['request.approved', 'desk.one'],
      ['grant.issued', 'desk.one'],
      ['grant.revoked', 'desk.two'],
    ]);
  } finally {
    await reader.close();
  }
});

test("an act the server's log cannot record is reported, not lost in silence", async () => {
  const data = join(dir, 'server-failing');
  const id = file(data, CASE);
  const failing: AuditLog = {
    instance: 'failing',
    publicKey: '',
    description: 'a failing log',
    append: () => Promise.reject(new AuditError('LOG_UNAVAILABLE', 'disk full')),
    checkpoint: () => Promise.reject(new AuditError('LOG_UNAVAILABLE', 'closed')),
    stats: () => ({ appended: 0, commits: 0, checkpoints: 0, pending: 0 }),
    close: () => Promise.resolve(),
  };
  const errors: ProcedureRecord[] = [];
  const { desk: served, recorder, close } = serverDesk(data, failing, errors);
  try {
    expect(served.refuse(id, { country: ROUTE.owner, id: 'desk.one' }, REFUSAL_GROUNDS[0].code).ok).toBe(
      true,
    );
    await recorder.settled();
  } finally {
    close();
  }
  expect(errors.map((r) => [r.act, r.requestId])).toEqual([['request.refused', id]]);
});
