// The gateway's alert API over HTTP (gateway/alerts/httpAlertBackend.ts) against the real hub, started in
// this process with its SQLite alert log (subgraphs/alliance): every call signed as a subgraph call and
// checked by the hub's own verifyCaller. The watcher member and the recipients are small stand-ins that
// verify the gateway's token as a member does and answer as decision 0019 says a member answers; one
// recipient is down. Owners' notices are appended to the hub's log as a relay sends them.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noticeBytes, noticeIdOf, noticePublicKey, signNotice, type Notice } from '../../alerts';
import { startGateway, type RunningGateway } from '../../gateway';
import { ERROR_CODES, HUB_NAME, MEMBERS, subgraphName } from '../../schema';
import { loadDefaultPolicy, parseRequestHeaders } from '../../policy';
import { localTrust, type LocalTrust } from '../../trust';
import { ALERT_ACTIONS } from '../../vocabulary';
import { openSqliteAlertLog, pinnedNoticeKeys, startHub, type AlertLog } from '../../subgraphs/alliance';
import type { RunningServer } from '../../subgraphs/kit';
import { TEST_NOW } from '../support/alliance';
import { alertScenario, type AlertScenario } from './alertBackendFixture';
import { ALERTS_SUBSCRIPTION, openStream, postAlerts, type SseEvent } from './alertsSupport';

const CODES = MEMBERS.map((member) => member.code);
const analyst = 'hub.t';

interface MemberCall {
  readonly member: string;
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly ctx: Record<string, unknown>;
  /** Whether the hub's register held the watch when the call came. */
  readonly hubKnew: boolean;
}

let dir: string;
let trust: LocalTrust;
let scenario: AlertScenario;
let log: AlertLog;
let hub: RunningServer;
const members: Server[] = [];
let gateway: RunningGateway;
let alertsUrl: string;
const calls: MemberCall[] = [];
const ownerKeys = new Map(CODES.map((code) => [code, generateKeyPairSync('ed25519').privateKey]));

/**
 * A stand-in member: verifies the gateway's token for the member's audience over the exact body, and
 * answers as a member's alert routes do.
 */
function memberStandIn(member: string): Server {
  return createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const path = (request.url ?? '').replace(/^\/alerts\//, '');
        const raw = Buffer.concat(chunks);
        const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
        let claims;
        try {
          claims = await trust.gatewayTokens(subgraphName(member)).verify(token, raw);
        } catch {
          response.writeHead(401).end();
          return;
        }
        const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
        const ctx = claims.ctx ?? {};
        const id = typeof body['id'] === 'string' ? body['id'] : undefined;
        calls.push({
          member,
          path,
          body,
          ctx,
          hubKnew: id !== undefined && (await log.watch(id)) !== undefined,
        });
        const requester = parseRequestHeaders((name) => ctx[name] as string | undefined, TEST_NOW);
        if (!requester.ok) {
          response.writeHead(401).end();
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        if (path === 'held') return response.end(JSON.stringify({ held: body }));
        const request_ = body['request'] as {
          caseReference: string;
          purpose: string;
          identifiers: unknown[];
          days: number;
        };
        const watch = {
          id: `${member}-WCH-${randomUUID()}`,
          watcher: member,
          analyst: requester.context.analyst,
          caseReference: request_.caseReference,
          purpose: request_.purpose,
          createdAt: TEST_NOW,
          justifiedAt: TEST_NOW,
          expiresAt: TEST_NOW + request_.days * 86_400_000,
        };
        const held = { ...watch, identifiers: request_.identifiers };
        response.end(
          JSON.stringify({
            watch: { ...held, justification: 'stays with the watcher' },
            recipients: scenario.owners.map(({ owner }) => ({ member: owner, watch: held })),
          }),
        );
      })();
    });
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'accord-alerts-hub-'));
  trust = localTrust(join(dir, 'trust'), CODES);
  scenario = alertScenario(loadDefaultPolicy(), TEST_NOW);
  const pinned = Object.fromEntries([...ownerKeys].map(([code, key]) => [code, noticePublicKey(key)]));
  log = openSqliteAlertLog({
    file: join(dir, 'alliance-alerts.sqlite'),
    keys: pinnedNoticeKeys(JSON.stringify(pinned), CODES),
  });
  hub = await startHub({
    gatewayTokens: trust.gatewayTokens(HUB_NAME),
    alerts: log,
    metrics: false,
    now: () => TEST_NOW,
  });
  const origins = new Map<string, string>();
  for (const code of [scenario.watcher, scenario.owners[0].owner]) {
    const server = memberStandIn(code);
    members.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origins.set(code, `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`);
  }
  // The second recipient is down: its address is one nothing listens on any more.
  const down = createServer();
  await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
  origins.set(scenario.owners[1].owner, `http://127.0.0.1:${(down.address() as AddressInfo).port}/graphql`);
  await new Promise<void>((resolve) => down.close(() => resolve()));
  gateway = await startGateway({
    analysts: trust.analysts(),
    signer: trust.signer(),
    port: 0,
    now: () => TEST_NOW,
    subgraphUrls: {
      [HUB_NAME]: hub.url,
      ...Object.fromEntries([...origins].map(([code, url]) => [subgraphName(code), url])),
    },
    legalPage: false,
    explorer: false,
    metrics: false,
  });
  alertsUrl = gateway.url.replace(/\/graphql$/, '/alerts');
});

afterAll(async () => {
  await gateway?.stop();
  await hub?.stop();
  await log?.close();
  await Promise.all(members.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  rmSync(dir, { recursive: true, force: true });
});

let watchId: string;

async function token(): Promise<string> {
  return trust.analystToken(scenario.watcher, analyst);
}

function append(owner: string, n: number): Notice {
  const eventReference = `${owner}-EVT-${String(n).padStart(9, '0')}`;
  const notice: Notice = {
    owner,
    noticeId: noticeIdOf(owner, watchId, eventReference),
    watchId,
    watcher: scenario.watcher,
    event: 'border_movement',
    at: new Date(TEST_NOW).toISOString(),
    subject: `${owner}-SUS-000001`,
    eventReference,
    basis: scenario.owners.find((item) => item.owner === owner)!.basis,
    revision: 'test',
  };
  return notice;
}

async function relay(...notices: Notice[]): Promise<void> {
  const outcomes = await log.append(
    notices.map((notice) => ({
      body: noticeBytes(notice).toString('utf8'),
      signature: signNotice(notice, ownerKeys.get(notice.owner)!).signature,
    })),
    TEST_NOW,
  );
  expect(outcomes.map((outcome) => outcome.status)).toEqual(notices.map(() => 'stored'));
}

function alertOf(event: SseEvent | undefined): { id?: string; noticeId: string; cursor: string } {
  expect(event?.event).toBe('next');
  const payload = JSON.parse(event!.data) as { data: { alerts: { noticeId: string; cursor: string } } };
  return { ...payload.data.alerts, ...(event!.id !== undefined && { id: event!.id }) };
}

describe('the alert API against the real hub', () => {
  it('registers a watch: the watcher member, then the hub, then the recipients; the one down is named', async () => {
    const { body } = await postAlerts(alertsUrl, await token(), {
      query: `mutation ($input: WatchInput!) { registerWatch(input: $input) { watch { id recipients running } unreached } }`,
      variables: {
        input: {
          caseReference: `${scenario.watcher}-CAS-000001`,
          purpose: scenario.purpose,
          identifiers: [{ kind: 'passport', number: 'M1234567', issuingCountry: scenario.watcher }],
          justification: 'The suspect is believed to travel to the region this month.',
          days: 7,
        },
      },
    });
    expect(body.errors).toBeUndefined();
    const registered = body.data!['registerWatch'] as {
      watch: { id: string; recipients: string[] };
      unreached: string[];
    };
    watchId = registered.watch.id;
    const owners = scenario.owners.map(({ owner }) => owner);
    expect(registered.watch.recipients).toEqual([...owners].sort());
    expect(registered.unreached).toEqual([scenario.owners[1].owner]);
    // The member was asked for this analyst, in the signed context; the reachable recipient got its part.
    expect(calls.map((made) => `${made.member} ${made.path}`)).toEqual([
      `${scenario.watcher} watches`,
      `${scenario.owners[0].owner} held`,
    ]);
    expect(calls[0]!.ctx).toEqual(expect.objectContaining({ 'accord-request-id': expect.any(String) }));
    expect(calls[1]!.body).toEqual(expect.objectContaining({ id: watchId, analyst }));
    expect(calls[1]!.hubKnew).toBe(true);
    // The hub knows the watch, and whose it is.
    expect(await log.watch(watchId)).toEqual(
      expect.objectContaining({ id: watchId, watcher: scenario.watcher, analyst, recipients: owners }),
    );
  });

  it("streams the hub's notices with its cursors as ids, and resumes after Last-Event-ID", async () => {
    const first = append(scenario.owners[0].owner, 1);
    const second = append(scenario.owners[1].owner, 2);
    await relay(first, second);
    const stream = await openStream(alertsUrl, await token(), { query: ALERTS_SUBSCRIPTION });
    const got = [alertOf(await stream.next()), alertOf(await stream.next())];
    stream.close();
    expect(got.map((alert) => alert.noticeId)).toEqual([first.noticeId, second.noticeId]);
    for (const alert of got) expect(alert.id).toBe(alert.cursor);
    const third = append(scenario.owners[0].owner, 3);
    await relay(third);
    const resumed = await openStream(
      alertsUrl,
      await token(),
      { query: ALERTS_SUBSCRIPTION },
      {
        'last-event-id': got[0]!.id!,
      },
    );
    expect(alertOf(await resumed.next()).noticeId).toBe(second.noticeId);
    expect(alertOf(await resumed.next()).noticeId).toBe(third.noticeId);
    resumed.close();
  });

  it('answers every cursor the log cannot take with one message and one code, wherever it is given', async () => {
    // A colleague's cursor: a notice of a watch of theirs, read from the hub's log.
    const colleague = 'hub.colleague';
    const theirs = `${scenario.watcher}-WCH-${randomUUID()}`;
    const owner = scenario.owners[0].owner;
    await log.registerWatch({
      id: theirs,
      watcher: scenario.watcher,
      analyst: colleague,
      caseReference: `${scenario.watcher}-CAS-000002`,
      purpose: scenario.purpose,
      createdAt: TEST_NOW,
      expiresAt: TEST_NOW + 86_400_000,
      recipients: [owner],
    });
    const saved = watchId;
    watchId = theirs;
    await relay(append(owner, 9));
    watchId = saved;
    const foreign = (await log.since(scenario.watcher, colleague, null, 10)).cursor!;
    expect(foreign).toEqual(expect.any(String));
    const mine = (await log.since(scenario.watcher, analyst, null, 10)).notices[0]!.cursor;
    // Malformed, the colleague's, and one of the right form that the log never gave.
    const bad = ['not a cursor!', foreign, mine.replace(/^./, (c) => (c === '0' ? '1' : '0'))];
    const answers: unknown[] = [];
    for (const cursor of bad) {
      const page = await postAlerts(alertsUrl, await token(), {
        query: 'query ($after: String) { alertsSince(after: $after) { cursor } }',
        variables: { after: cursor },
      });
      answers.push(page.body.errors?.map(({ message, extensions }) => ({ message, extensions })));
      for (const [variables, headers] of [
        [{ after: cursor }, {}],
        [{}, { 'last-event-id': cursor }],
      ] as const) {
        const stream = await openStream(
          alertsUrl,
          await token(),
          { query: ALERTS_SUBSCRIPTION, variables },
          headers,
        );
        const events = await stream.rest();
        expect(events.map((event) => event.event)).toEqual(['next', 'complete']);
        const { errors } = JSON.parse(events[0]!.data) as {
          errors: { message: string; extensions: unknown }[];
        };
        answers.push(errors.map(({ message, extensions }) => ({ message, extensions })));
      }
    }
    expect(answers).toHaveLength(bad.length * 3);
    const distinct = new Set(answers.map((answer) => JSON.stringify(answer)));
    expect(distinct.size).toBe(1);
    const [only] = answers as { message: string; extensions: { code: string } }[][];
    expect(only).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: ERROR_CODES.BAD_USER_INPUT }) }),
    ]);
    for (const cursor of bad) expect(only![0]!.message).not.toContain(cursor);
  });

  it('pages with alertsSince and records an acknowledgement at the hub', async () => {
    const page = await postAlerts(alertsUrl, await token(), {
      query: '{ alertsSince(limit: 2) { cursor alerts { owner noticeId } } }',
    });
    const alerts = (page.body.data!['alertsSince'] as { alerts: { owner: string; noticeId: string }[] })
      .alerts;
    expect(alerts).toHaveLength(2);
    const action = ALERT_ACTIONS[0];
    const { body } = await postAlerts(alertsUrl, await token(), {
      query: `mutation { acknowledgeAlert(owner: "${alerts[0]!.owner}", noticeId: "${alerts[0]!.noticeId}", action: ${action}) { action } }`,
    });
    expect(body.data).toEqual({ acknowledgeAlert: { action } });
    const logged = await log.since(scenario.watcher, analyst, null, 10);
    expect(
      logged.notices.find((notice) => notice.notice.noticeId === alerts[0]!.noticeId)?.acknowledgement,
    ).toEqual(expect.objectContaining({ analyst, action }));
  });
});
