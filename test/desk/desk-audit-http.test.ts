/**
 * The desk the member's server answers over HTTP records its acts before it answers (issue 9 item 6):
 *
 * - with a working log, the approval's `request.approved` and `grant.issued` are durable when the answer
 *   arrives (nothing is awaited after it);
 * - with a log that cannot record, an approval answers 503 and leaves no valid grant: the grant is withdrawn
 *   from the instant it was issued, as `npm run desk` withdraws it;
 * - a refusal that cannot be recorded stands (undoing it would reopen a closed request) and the 503 says so.
 *
 * The owner, requester and clause come from the agreement set; requests are filed straight into the
 * owner's register.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditError, openAuditLog, openAuditReader, type AuditLog, type ProcedureBody } from '../../audit';
import { createLogger } from '../../lib/logger';
import { loadDefaultPolicy } from '../../policy';
import { MEMBERS } from '../../schema';
import {
  deskActRecorder,
  mountDesk,
  openGrantStore,
  openRequestStore,
  type FollowUpFiling,
  type GrantStore,
  type RequestStore,
} from '../../subgraphs/desk';
import { startSubgraph, type RunningServer } from '../../subgraphs/kit';
import { openStore } from '../../subgraphs/reference';
import { DESK_AUDIENCE, DESK_ROLE, localTrust, signDemoAnalystToken, type LocalTrust } from '../../trust';
import { REFUSAL_GROUNDS } from '../../vocabulary';
import { MEMBER_MODULES } from '../support/members';

const policy = loadDefaultPolicy();
const DAY = 86_400_000;

/** A clause bound to a formal request, an owner with a subgraph here, a requester, and a category one officer may approve. */
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
        if (
          requester !== undefined &&
          category !== undefined &&
          MEMBER_MODULES.some((m) => m.COUNTRY === owner)
        )
          return { agreement, clause, owner, requester, category };
      }
    }
  }
  throw new Error('no clause bound to a formal request in the agreement set');
})();
const OWNER = ROUTE.owner;

function filing(caseNumber: number): FollowUpFiling {
  return {
    owner: OWNER,
    requesterCountry: ROUTE.requester,
    analyst: 'lee.h',
    authority: 'National Police',
    caseReference: `${ROUTE.requester}-CAS-${String(caseNumber).padStart(6, '0')}`,
    offences: ['fraud'],
    facts: 'Victims paid into accounts controlled from a compound.',
    subjects: [`${OWNER}-SUS-000001`],
    categories: [ROUTE.category],
    purpose: ROUTE.clause.purposes[0]!,
    agreement: ROUTE.agreement.id,
    clauses: [ROUTE.clause.id],
    urgency: 'normal',
    intendedUse: 'intelligence',
    confidentiality: 'none',
  };
}

/** The owner's log; while `broken`, every append fails as a full disk makes it fail. */
function breakable(log: AuditLog): AuditLog & { broken: boolean } {
  const wrapper = {
    broken: false,
    instance: log.instance,
    publicKey: log.publicKey,
    description: log.description,
    append: (record: Parameters<AuditLog['append']>[0]) =>
      wrapper.broken
        ? Promise.reject(
            new AuditError(
              'LOG_UNAVAILABLE',
              'SQLITE_FULL: database or disk is full at /var/lib/accord/audit/kh.db',
            ),
          )
        : log.append(record),
    checkpoint: () => log.checkpoint(),
    stats: () => log.stats(),
    close: () => log.close(),
  };
  return wrapper;
}

let dir: string;
let trust: LocalTrust;
let server: RunningServer;
let origin: string;
let requests: RequestStore;
let grants: GrantStore;
let log: AuditLog & { broken: boolean };
let url: string;
let officer: string;
const clock = Date.UTC(2026, 5, 1, 9);
let nextCase = 1;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'accord-desk-audit-http-'));
  trust = localTrust(
    join(dir, 'data'),
    MEMBERS.map((m) => m.code),
  );
  requests = openRequestStore({ owner: OWNER, file: join(dir, 'desk.sqlite') });
  grants = openGrantStore({
    owner: OWNER,
    file: join(dir, 'desk.sqlite'),
    key: generateKeyPairSync('ed25519').privateKey,
  });
  url = `sqlite:${join(dir, 'owner-audit.db')}`;
  log = breakable(await openAuditLog({ url, writer: { instance: OWNER.toLowerCase() } }));
  const recorder = deskActRecorder(
    log,
    OWNER,
    {
      request: (id) => requests.get(id),
      grant: (id) => grants.get(id),
      revoke: (id, at, by) => grants.revoke(id, at, by),
    },
    () => undefined,
  );
  const member = MEMBER_MODULES.find((m) => m.COUNTRY === OWNER)!;
  server = await startSubgraph(
    member.createSystem({ store: openStore({ country: OWNER, file: ':memory:' }) }),
    {
      host: '127.0.0.1',
      port: 0,
      policy,
      now: () => clock,
      gatewayTokens: trust.gatewayTokens(OWNER.toLowerCase()),
      grants,
      prefixRoutes: mountDesk({
        owner: OWNER,
        policy,
        requests,
        grants,
        issuer: trust.issuers[OWNER],
        logger: createLogger('desk-audit-http-test'),
        now: () => clock,
        record: recorder.record,
      }),
    },
  );
  origin = new URL(server.url).origin;
  officer = await signDemoAnalystToken({
    dir: trust.idpDir,
    country: OWNER,
    analyst: 'desk.one',
    roles: [DESK_ROLE],
    audience: DESK_AUDIENCE,
  });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await log?.close();
  requests?.close();
  grants?.close();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  log.broken = false;
});

async function post(
  path: string,
  body: unknown,
): Promise<{ status: number; body: { error?: { code: string; message: string } } }> {
  const response = await fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as { error?: { code: string; message: string } },
  };
}

function fileOne(): string {
  return requests.file(filing(nextCase++), clock, clock + 7 * DAY).id;
}

async function actsAbout(id: string): Promise<string[]> {
  const reader = await openAuditReader(url);
  try {
    return (await reader.query({ kinds: ['procedure'] }))
      .map((r) => r.entry!.body as ProcedureBody)
      .filter((b) => b.requestId === id || b.grantId === id)
      .map((b) => b.act);
  } finally {
    await reader.close();
  }
}

test('an approval is recorded before its answer arrives', async () => {
  const id = fileOne();
  const answer = await post(`/desk/requests/${id}/approve`, {
    categories: [ROUTE.category],
    validDays: 30,
    evidentiaryUse: false,
  });
  expect(answer.status).toBe(200);
  expect(await actsAbout(id)).toEqual(['request.approved', 'grant.issued']);
});

test('an approval the log cannot record answers 503 and leaves no valid grant', async () => {
  const id = fileOne();
  log.broken = true;
  const answer = await post(`/desk/requests/${id}/approve`, {
    categories: [ROUTE.category],
    validDays: 30,
    evidentiaryUse: false,
  });
  expect(answer.status).toBe(503);
  expect(answer.body.error?.code).toBe('UNAVAILABLE');
  expect(answer.body.error?.message).toMatch(/withdrawn/);
  expect(JSON.stringify(answer.body)).not.toMatch(/sqlite|disk|\/var/i);
  const grant = grants.get(id);
  // Issued, then withdrawn from the instant it was issued: there is no instant at which it was valid.
  expect(grant?.revokedAt).toBeDefined();
  expect(grant!.revokedAt!).toBeLessThanOrEqual(grant!.validFrom);
  expect(await actsAbout(id)).toEqual([]);
});

test('a refusal the log cannot record stands, and the 503 says it was not recorded', async () => {
  const id = fileOne();
  log.broken = true;
  const answer = await post(`/desk/requests/${id}/refuse`, { ground: REFUSAL_GROUNDS[0].code });
  expect(answer.status).toBe(503);
  expect(answer.body.error?.message).toMatch(/stands but could not be recorded/);
  expect(requests.get(id)?.state).toBe('refused');
});
