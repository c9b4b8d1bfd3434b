/**
 * The deployment of deploy/README.md, run as an operator runs it (`npm run deploy`, scripts/deploy.ts), on
 * loopback with every port picked at run time: two gateway processes behind HAProxy, every member with two
 * processes behind its own HAProxy frontend, the hub, and one PostgreSQL for the audit log and the
 * members' shared state. HAProxy and PostgreSQL are Debian's (`apt-get install haproxy postgresql`): in CI
 * (CI=true) a missing one fails this file; elsewhere it is skipped with a message.
 *
 * Under load from one analyst client per member (searches, `case(id:)`), one gateway process and one
 * process of a member are killed with SIGKILL, and the deployment's supervisor starts them again. Checked:
 *
 * - every request either succeeds or fails with an error a client can act on (HAProxy's
 *   GATEWAY_UNAVAILABLE, a member's MEMBER_UNAVAILABLE, AUDIT_UNAVAILABLE), and sending it again succeeds;
 * - every answered request has its consultation records, each that released a record's field matched by
 *   the owner's disclosure record;
 * - a search cursor one process of a member gave is read by the other, and one taken before the kill is
 *   followed after it;
 * - a gateway token captured at one process of a member and replayed to the other is refused;
 * - once everything has stopped, `npm run audit -- verify` verifies the whole log, every writer's chain.
 *
 * No assertion depends on timing: the kills wait for counts of answered requests, not for a delay.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openAuditReader, type CrossingBody } from '../../audit';
import { requestContextHeaders } from '../../policy';
import { MEMBERS, subgraphName } from '../../schema';
import { localTrust, type LocalTrust } from '../../trust';
import { PURPOSES } from '../../vocabulary';
import { createWorld } from '../../subgraphs/reference';
import { startDeployment, type DeployedProcess, type Deployment } from '../../scripts/deploy';
import { layoutFrom } from '../../scripts/deployLayout';
import type { Output } from '../../scripts/output';
import { findPostgresBin, startPostgres, type PostgresServer } from '../audit/support/postgres';

const ROOT = resolve(__dirname, '..', '..');
const HAPROXY = process.env['HAPROXY_PATH'] ?? ['/usr/sbin/haproxy', '/usr/bin/haproxy'].find(existsSync);
const missing = [
  ...(HAPROXY === undefined ? ['haproxy'] : []),
  ...(findPostgresBin() === undefined ? ['postgresql'] : []),
];
if (missing.length > 0) {
  if (process.env['CI'] === 'true')
    throw new Error(
      `${missing.join(' and ')} not installed, and CI must run the multi-instance test: .ci/run installs them (apt-get install -y ${missing.join(' ')}).`,
    );
  console.warn(
    `Skipping the multi-instance deployment test: ${missing.join(' and ')} not installed (apt-get install -y ${missing.join(' ')}).`,
  );
}

/** The codes a client can act on by sending the request again (docs/analysts.md says so of each). */
const RETRYABLE = new Set(['GATEWAY_UNAVAILABLE', 'MEMBER_UNAVAILABLE', 'AUDIT_UNAVAILABLE']);
const MAX_ATTEMPTS = 30;
const WORLD_SIZE = 60;
/** The member one of whose processes is killed: any, the registry's first. */
const VICTIM = MEMBERS[0]!;
const VICTIM_NAME = subgraphName(VICTIM.code);

interface Answer {
  readonly status: number;
  readonly requestId: string | undefined;
  readonly body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}

/** What every failed attempt and every final answer looked like, for the assertions at the end. */
interface Tally {
  succeeded: { requestId: string; what: string }[];
  retried: { what: string; status: number; codes: string[] }[];
  unclear: { what: string; status: number; text: string }[];
}

let server: PostgresServer | undefined;
let dataDir: string;
let auditUrl: string;
let deployment: Deployment | undefined;
let trust: LocalTrust;
/** Set when the load must end: by the test once it has what it needs, or by afterAll if it failed first. */
let stopLoad = false;
const lines: string[] = [];
const quiet: Output = { out: (line) => lines.push(line), err: (line) => lines.push(line) };

beforeAll(async () => {
  if (missing.length > 0) return;
  dataDir = mkdtempSync(join(tmpdir(), 'accord-multi-'));
  const started = await startPostgres();
  if (!started.server) throw new Error(started.skip);
  server = started.server;
  auditUrl = await server.createDatabase();
  const layout = layoutFrom(
    {
      dataDir,
      gateways: 2,
      memberProcesses: 2,
      ports: 'free',
      auditUrl,
      sharedStateUrl: await server.createDatabase(),
      haproxy: HAPROXY,
      size: WORLD_SIZE,
    },
    dataDir,
  );
  try {
    deployment = await startDeployment(layout, {
      output: quiet,
      env: { ...process.env, LOG_LEVEL: 'warn', ACCORD_LOG_FORMAT: 'json' },
    });
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${lines.slice(-40).join('\n')}`);
  }
  trust = localTrust(
    dataDir,
    MEMBERS.map((member) => member.code),
  );
}, 120_000);

afterAll(async () => {
  stopLoad = true;
  await deployment?.stop();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

/** One analyst of `country`, investigating one of its own cases, through the gateways' frontend. */
async function analystClient(country: string) {
  const token = await trust.analystToken(country, `load.${country.toLowerCase()}`);
  const headers = {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
    'accord-purpose': 'investigation',
    'accord-case': `${country}-CAS-000001`,
  };
  return async function post(query: string, variables?: Record<string, unknown>): Promise<Answer> {
    const response = await fetch(deployment!.gatewayUrl, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, ...(variables && { variables }) }),
    });
    const text = await response.text();
    let body: Answer['body'];
    try {
      body = JSON.parse(text) as Answer['body'];
    } catch {
      body = { errors: [{ message: text }] };
    }
    return {
      status: response.status,
      requestId: response.headers.get('accord-request-id') ?? undefined,
      body,
    };
  };
}

type Post = Awaited<ReturnType<typeof analystClient>>;

/**
 * Sends until it succeeds: each failure must carry only codes a retry can fix, else it is recorded as
 * unclear and the request is not sent again. Pacing between attempts only spaces them; nothing waits for it.
 */
async function untilAnswered(
  post: Post,
  tally: Tally,
  what: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<Answer | undefined> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    let answer: Answer;
    try {
      answer = await post(query, variables);
    } catch (error) {
      tally.unclear.push({ what, status: 0, text: `${String(error)}: ${String((error as Error).cause)}` });
      return undefined;
    }
    const codes = (answer.body.errors ?? []).map((error) => error.extensions?.code ?? '(none)');
    // An answer whose only errors are fields an agreement withholds is an answer (with a member no
    // agreement covers, such as CI's synthetic sixth member, every search has some).
    if (
      answer.status === 200 &&
      answer.body.data !== undefined &&
      codes.every((code) => code === 'WITHHELD') &&
      answer.requestId !== undefined
    ) {
      tally.succeeded.push({ requestId: answer.requestId, what });
      return answer;
    }
    // Unavailable somewhere (beside fields an agreement withholds, which a retry does not change).
    if (
      codes.some((code) => RETRYABLE.has(code)) &&
      codes.every((code) => RETRYABLE.has(code) || code === 'WITHHELD')
    ) {
      tally.retried.push({ what, status: answer.status, codes });
      await new Promise((done) => setTimeout(done, 50 * attempt));
      continue;
    }
    tally.unclear.push({ what, status: answer.status, text: JSON.stringify(answer.body).slice(0, 500) });
    return undefined;
  }
  tally.unclear.push({ what, status: 0, text: `still failing after ${MAX_ATTEMPTS} attempts` });
  return undefined;
}

/** A search page of the victim member's suspects, as its own analyst sees them. */
const PAGE = `query ($term: String!, $after: String) {
  search(term: $term, countries: ["${VICTIM.code}"]) {
    country
    suspectsConnection(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } }
  }
}`;

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: { id: string }[];
}

function pageOf(answer: Answer): Page {
  return (answer.body.data as { search: { suspectsConnection: Page }[] }).search[0]!.suspectsConnection;
}

/** What the gateway would send one member process: a query-scoped token bound to this body, for the victim's own analyst. */
function asGateway(body: string): string {
  const ctx = requestContextHeaders({
    country: VICTIM.code,
    analyst: 'cursor.test',
    roles: ['analyst'],
    purpose: PURPOSES[0],
    caseReference: `${VICTIM.code}-CAS-000001`,
  });
  return trust.signer().sign({ audience: VICTIM_NAME, scope: 'query', ctx, body });
}

async function postToProcess(process: DeployedProcess, body: string, token: string) {
  const response = await fetch(process.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

/** The first page and the next of the victim's suspects for `term`, asked of a member process directly. */
function entitiesPage(term: string, after?: string): string {
  return JSON.stringify({
    query: `query ($r: [_Any!]!, $after: String) { _entities(representations: $r) { ... on ${VICTIM.code}Search { suspectsConnection(first: 1, after: $after) { pageInfo { endCursor } nodes { id } } } } }`,
    variables: {
      r: [{ __typename: `${VICTIM.code}Search`, term, country: VICTIM.code }],
      after: after ?? null,
    },
  });
}

(missing.length === 0 ? describe : describe.skip)(
  'a deployment: two gateways and two processes per member behind HAProxy, on PostgreSQL',
  () => {
    it('serves through SIGKILLs and restarts with every request answered or retryable, every answer recorded, and every chain verified', async () => {
      const d = deployment!;
      const processesOf = (service: string) => d.processes.filter((p) => p.service === service);
      const [victimOne, victimTwo] = processesOf(VICTIM_NAME);
      const [gatewayOne] = processesOf('gateway');
      expect(processesOf('gateway')).toHaveLength(2);
      for (const member of MEMBERS) expect(processesOf(subgraphName(member.code))).toHaveLength(2);

      // A term with more than one match among the victim's suspects: a word two of their names share.
      const victimClient = await analystClient(VICTIM.code);
      const tally: Tally = { succeeded: [], retried: [], unclear: [] };
      const term = termWithPages();

      // A cursor one process gave is read by the other (the member's keys, not the process's).
      const first = await postToProcess(victimOne!, entitiesPage(term), asGateway(entitiesPage(term)));
      expect(first.status).toBe(200);
      const firstPage = (first.body.data as { _entities: { suspectsConnection: Page }[] })._entities[0]!
        .suspectsConnection;
      const nextBody = entitiesPage(term, firstPage.pageInfo.endCursor!);
      const next = await postToProcess(victimTwo!, nextBody, asGateway(nextBody));
      expect(next.body.errors).toBeUndefined();
      const nextPage = (next.body.data as { _entities: { suspectsConnection: Page }[] })._entities[0]!
        .suspectsConnection;
      expect(nextPage.nodes).toHaveLength(1);
      expect(nextPage.nodes[0]!.id).not.toBe(firstPage.nodes[0]!.id);

      // A gateway token captured at one process and replayed to the other: refused like any bad token.
      const captured = JSON.stringify({ query: '{ __typename }' });
      const token = asGateway(captured);
      expect((await postToProcess(victimOne!, captured, token)).status).toBe(200);
      const replayed = await postToProcess(victimTwo!, captured, token);
      expect(replayed.status).toBe(401);
      expect(replayed.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

      // A cursor page taken through the gateways before the kills, followed after them.
      const before = await untilAnswered(victimClient, tally, 'first page', PAGE, { term });
      expect(tally.unclear).toEqual([]);
      const cursor = pageOf(before!).pageInfo.endCursor!;

      // The load: one client per member, each asking its searches and its case again and again.
      let killed = false;
      const afterKill = new Map<string, number>();
      const answered = new Map<string, number>();
      let notify: () => void = () => undefined;
      const progress = () => notify();
      const until = (condition: () => boolean) =>
        new Promise<void>((done) => {
          const check = () => {
            if (condition()) done();
            else notify = check;
          };
          check();
        });
      const clients = await Promise.all(
        MEMBERS.map(async (member) => [member.code, await analystClient(member.code)] as const),
      );
      const load = clients.map(async ([country, post]) => {
        const work = [
          ['search', `{ search(term: "${term}") { country suspects { id } } }`],
          ['case', `{ case(id: "${country}-CAS-000001") { id } }`],
        ] as const;
        for (let round = 0; !stopLoad; round++) {
          const [what, query] = work[round % work.length]!;
          await untilAnswered(post, tally, `${what} as ${country}`, query);
          answered.set(country, (answered.get(country) ?? 0) + 1);
          if (killed) afterKill.set(country, (afterKill.get(country) ?? 0) + 1);
          progress();
        }
      });

      // Mid-load: once every client has answers, one gateway and one process of the victim die.
      await until(() => clients.every(([country]) => (answered.get(country) ?? 0) >= 3));
      const gatewayBack = gatewayOne!.nextReady();
      const victimBack = victimOne!.nextReady();
      const killedPids = [gatewayOne!.pid()!, victimOne!.pid()!];
      for (const pid of killedPids) process.kill(-pid, 'SIGKILL');
      killed = true;
      // The cursor, followed while one of the victim's processes is down.
      const during = await untilAnswered(victimClient, tally, 'next page', PAGE, { term, after: cursor });
      expect(tally.unclear).toEqual([]);
      expect(pageOf(during!).nodes[0]!.id).not.toBe(pageOf(before!).nodes[0]!.id);
      // Both come back (the supervisor starts them again on their ports), and the load goes on past that.
      const restarted = await Promise.all([gatewayBack, victimBack]);
      expect(restarted.map((r) => r.pid)).not.toContain(killedPids[0]);
      expect(restarted.map((r) => r.pid)).not.toContain(killedPids[1]);
      afterKill.clear();
      await until(() => clients.every(([country]) => (afterKill.get(country) ?? 0) >= 4));
      stopLoad = true;
      progress();
      await Promise.all(load);

      // Every request was answered, or failed only with what a retry fixes, and then was answered.
      expect(tally.unclear).toEqual([]);
      expect(tally.succeeded.length).toBeGreaterThanOrEqual(MEMBERS.length * 7);

      // Every process stops (each seals its chain), then the records are read and the log verified.
      await d.stop();
      deployment = undefined;
      const reader = await openAuditReader(auditUrl);
      const bodies: CrossingBody[] = [];
      try {
        for (const found of await reader.query({ kinds: ['consultation', 'disclosure'], limit: 1_000_000 })) {
          if (!found.entry) throw new Error(`${found.ref} is broken: ${found.broken}`);
          bodies.push(found.entry.body as CrossingBody);
        }
      } finally {
        await reader.close();
      }
      const byRequest = new Map<string, CrossingBody[]>();
      for (const body of bodies)
        byRequest.set(body.requestId, [...(byRequest.get(body.requestId) ?? []), body]);
      const unrecorded = tally.succeeded.filter(({ requestId }) => {
        const records = byRequest.get(requestId) ?? [];
        const consultations = records.filter((r) => r.side === 'consultation');
        const disclosed = new Set(records.filter((r) => r.side === 'disclosure').map((r) => r.decisionId));
        // A consultation for an owner the gateway never called (it cut all of that owner's fields before
        // planning, as for a member no agreement covers) has no disclosure; one that records a released
        // field of a record does (as in test/e2e/audit-durability.test.ts).
        const released = consultations.filter((c) =>
          c.fields.some((f) => f.record !== undefined && f.effect === 'release'),
        );
        return consultations.length === 0 || released.some((c) => !disclosed.has(c.decisionId));
      });
      expect(unrecorded).toEqual([]);

      const verified = await auditVerify(auditUrl, join(dataDir, 'audit', 'keys', 'trusted.json'));
      expect(`${verified.stdout}${verified.stderr}`).toMatch(/^postgres:\/\/\S+: VERIFIED — /);
      expect(verified.code).toBe(0);
      // Every writer's chain is there and sealed: each gateway, the hub, and each process of each member.
      const instances = [
        ...processesOf('gateway'),
        ...processesOf('alliance'),
        ...MEMBERS.flatMap((member) => processesOf(subgraphName(member.code))),
      ].map((p) => p.instance);
      expect(new Set(instances).size).toBe(instances.length);
      expect(verified.stdout).toMatch(new RegExp(`: VERIFIED — ${instances.length} chain\\(s\\)`));
      for (const instance of instances)
        expect(verified.stdout).toMatch(new RegExp(`^  ${instance}: #1–#\\d+, .*sealed$`, 'm'));
    }, 90_000);
  },
);

/**
 * A word of the victim's suspects' names that at least two of them share, read from the reference world
 * the members were seeded with (the same size, the default seed): the search then has a next page.
 */
function termWithPages(): string {
  const words = new Map<string, number>();
  for (const suspect of createWorld({ size: WORLD_SIZE }).records(VICTIM.code, 'Suspect'))
    for (const word of new Set(fullNameOf(suspect).split(/\s+/)))
      if (/^\p{L}{3,}$/u.test(word)) words.set(word, (words.get(word) ?? 0) + 1);
  const best = [...words].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  if (!best || best[1] < 2) throw new Error(`No name word is shared by two of ${VICTIM.code}'s suspects.`);
  return best[0];
}

function fullNameOf(record: unknown): string {
  const name = (record as { fullName?: unknown }).fullName;
  return typeof name === 'string' ? name : '';
}

/** `npm run audit -- verify`, as the README runs it. */
function auditVerify(log: string, keys: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      'npm',
      ['run', '-s', 'audit', '--', 'verify', '--log', log, '--keys', keys],
      { cwd: ROOT, env: { ...process.env, CI: process.env['CI'] ?? '' } },
      (error, stdout, stderr) =>
        done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
