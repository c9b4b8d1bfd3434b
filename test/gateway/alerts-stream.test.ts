// The alert stream's protocol layer (docs/decisions/0019-alert-delivery.md, "The gateway's alert API"):
// graphql-sse over SSE, each notice's cursor as the event's id, replay then tail, resume with Last-Event-ID,
// and the checks at delivery. The backend is the in-memory fixture (test/gateway/alertBackendFixture.ts);
// a test moves the clocks and ends the fixture's waits itself, and never waits on time.
import { createPublicKey, verify } from 'node:crypto';
import { ERROR_CODES } from '../../schema';
import { loadAgreementSet, compilePolicy, DEFAULT_AGREEMENTS_DIR } from '../../policy';
import type { WatchEntry } from '../../gateway/alerts/alertBackend';
import { TEST_NOW } from '../support/alliance';
import { alertScenario, type AlertScenario } from './alertBackendFixture';
import {
  ALERTS_SUBSCRIPTION,
  openStream,
  startAlertGateway,
  type AlertGateway,
  type SseEvent,
} from './alertsSupport';

const DAY = 86_400_000;

let alerts: AlertGateway;
let scenario: AlertScenario;
let token: string;
let analyst: string;
let shipped: AlertGateway['policy'];
let tests = 0;

// One gateway for the file; each test is its own analyst, so none reads another's watches or notices.
beforeAll(async () => {
  alerts = await startAlertGateway();
  shipped = alerts.policy;
  scenario = alertScenario(alerts.policy, TEST_NOW);
});

beforeEach(async () => {
  tests += 1;
  analyst = `stream.t${tests}`;
  token = await alerts.token(scenario.watcher, analyst);
});

afterEach(() => {
  alerts.clock = TEST_NOW;
  alerts.tokenClock = Date.now();
  alerts.policy = shipped;
  alerts.backend.leaky = false;
});

afterAll(async () => {
  await alerts.stop();
});

let watches = 0;
function watch(days = 30, purpose = scenario.purpose): WatchEntry {
  watches += 1;
  return alerts.backend.addWatch({
    id: `${scenario.watcher}-WCH-00000000-0000-4000-8000-${String(watches).padStart(12, '0')}`,
    watcher: scenario.watcher,
    analyst,
    caseReference: `${scenario.watcher}-CAS-000001`,
    purpose,
    createdAt: alerts.clock,
    justifiedAt: alerts.clock,
    expiresAt: alerts.clock + days * DAY,
  });
}

function notice(owned: WatchEntry, which = 0) {
  const owner = scenario.owners[which as 0 | 1];
  return alerts.backend.append(owner.owner, owned, owner.basis);
}

interface Delivered {
  readonly id?: string;
  readonly cursor: string;
  readonly noticeId: string;
  readonly watchId: string;
  readonly owner: string;
  readonly signature: { algorithm: string; value: string; signedBytes: string };
}

/** A `next` event's alert, or its errors' codes. */
function read(event: SseEvent | undefined): Delivered | { codes: string[] } {
  expect(event?.event).toBe('next');
  const payload = JSON.parse(event!.data) as {
    data?: { alerts: Omit<Delivered, 'id'> } | null;
    errors?: { extensions: { code: string } }[];
  };
  if (payload.errors) return { codes: payload.errors.map((error) => error.extensions.code) };
  return { ...payload.data!.alerts, ...(event!.id !== undefined && { id: event!.id }) };
}

async function subscribe(variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const stream = await openStream(
    alerts.alertsUrl,
    token,
    { query: ALERTS_SUBSCRIPTION, variables },
    headers,
  );
  expect(stream.status).toBe(200);
  expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
  return stream;
}

describe('the alerts subscription over SSE', () => {
  it('replays the log from the start, then tails it; each event carries its cursor as its id', async () => {
    const running = watch();
    const first = notice(running, 0);
    const second = notice(running, 1);
    const stream = await subscribe();
    const replayed = [read(await stream.next()), read(await stream.next())];
    expect(replayed).toEqual([
      expect.objectContaining({ id: first.cursor, cursor: first.cursor, noticeId: first.notice.noticeId }),
      expect.objectContaining({ id: second.cursor, cursor: second.cursor, noticeId: second.notice.noticeId }),
    ]);
    // Nothing more in the log: the stream waits; a new notice is sent as it comes.
    const third = notice(running, 0);
    expect(read(await stream.next())).toEqual(
      expect.objectContaining({
        id: third.cursor,
        noticeId: third.notice.noticeId,
        owner: scenario.owners[0].owner,
      }),
    );
    stream.close();
  });

  it("delivers the owner's signature over the exact bytes it signed, which verify with the owner's key", async () => {
    const running = watch();
    const sent = notice(running, 1);
    const stream = await subscribe();
    const got = read(await stream.next()) as Delivered;
    stream.close();
    const key = createPublicKey(alerts.backend.keyOf(scenario.owners[1].owner));
    expect(got.signature.algorithm).toBe('Ed25519');
    expect(got.signature.signedBytes).toBe(sent.body);
    expect(
      verify(null, Buffer.from(got.signature.signedBytes), key, Buffer.from(got.signature.value, 'base64')),
    ).toBe(true);
    // What the alert shows is what was signed.
    const signed = JSON.parse(got.signature.signedBytes) as Record<string, unknown>;
    for (const field of ['owner', 'noticeId', 'watchId'] as const) expect(got[field]).toBe(signed[field]);
  });

  it('resumes after Last-Event-ID with no gap and no duplicate', async () => {
    const running = watch();
    const sent = [notice(running, 0), notice(running, 1), notice(running, 0)];
    const first = await subscribe();
    const got = [read(await first.next()) as Delivered, read(await first.next()) as Delivered];
    first.close();
    const resumed = await subscribe({}, { 'last-event-id': got.at(-1)!.id! });
    const rest = read(await resumed.next()) as Delivered;
    const later = notice(running, 1);
    const tail = read(await resumed.next()) as Delivered;
    resumed.close();
    const all = [...got, rest, tail].map((alert) => alert.noticeId);
    expect(all).toEqual([...sent, later].map((entry) => entry.notice.noticeId));
    expect(new Set(all).size).toBe(all.length);
  });

  it('after: wins over Last-Event-ID', async () => {
    const running = watch();
    const sent = [notice(running, 0), notice(running, 1), notice(running, 0)];
    const stream = await subscribe({ after: sent[0]!.cursor }, { 'last-event-id': sent[1]!.cursor });
    expect(read(await stream.next())).toEqual(
      expect.objectContaining({ noticeId: sent[1]!.notice.noticeId }),
    );
    stream.close();
  });

  it('ends with UNAUTHENTICATED once the token has expired, and sends nothing more', async () => {
    const running = watch();
    notice(running, 0);
    const stream = await subscribe();
    expect(read(await stream.next())).toEqual(expect.objectContaining({ watchId: running.id }));
    // The identity token's clock passes its expiry (an hour); then a notice arrives.
    alerts.tokenClock += 2 * 60 * 60 * 1000;
    notice(running, 1);
    const rest = await stream.rest();
    expect(rest.map((event) => event.event)).toEqual(['next', 'complete']);
    expect(read(rest[0])).toEqual({ codes: [ERROR_CODES.UNAUTHENTICATED] });
    expect(rest[0]!.id).toBeUndefined();
  });

  it('ends with UNAUTHENTICATED when the token expires while nothing arrives', async () => {
    watch();
    const stream = await subscribe();
    await waitingReads(1);
    alerts.tokenClock += 2 * 60 * 60 * 1000;
    alerts.backend.endWaits();
    const rest = await stream.rest();
    expect(rest.map((event) => event.event)).toEqual(['next', 'complete']);
    expect(read(rest[0])).toEqual({ codes: [ERROR_CODES.UNAUTHENTICATED] });
  });

  it("skips a notice of an expired watch, delivers the others', and ends WATCH_ENDED when none runs", async () => {
    const short = watch(1);
    const long = watch(30);
    const stream = await subscribe();
    alerts.clock += 2 * DAY;
    notice(short, 0);
    const delivered = notice(long, 1);
    expect(read(await stream.next())).toEqual(
      expect.objectContaining({ noticeId: delivered.notice.noticeId }),
    );
    alerts.backend.cancel(long.id);
    notice(long, 0);
    const rest = await stream.rest();
    expect(rest.map((event) => event.event)).toEqual(['next', 'complete']);
    expect(read(rest[0])).toEqual({ codes: [ERROR_CODES.WATCH_ENDED] });
  });

  it('ends WATCH_ENDED when the last watch expires while nothing arrives, and at once when none runs', async () => {
    watch(1);
    const stream = await subscribe();
    await waitingReads(1);
    alerts.clock += 2 * DAY;
    alerts.backend.endWaits();
    const rest = await stream.rest();
    expect(read(rest[0])).toEqual({ codes: [ERROR_CODES.WATCH_ENDED] });
    const again = await subscribe();
    const events = await again.rest();
    expect(events.map((event) => event.event)).toEqual(['next', 'complete']);
    expect(read(events[0])).toEqual({ codes: [ERROR_CODES.WATCH_ENDED] });
  });

  it('withholds a notice whose basis no longer holds, and goes on with the others', async () => {
    const running = watch();
    const stream = await subscribe();
    // The first owner's agreements lapse (the gateway's set no longer holds them); the second's stay.
    const set = loadAgreementSet(DEFAULT_AGREEMENTS_DIR);
    const lapsed = scenario.owners[0].agreements;
    alerts.policy = compilePolicy({
      ...set,
      agreements: set.agreements.filter((agreement) => !lapsed.includes(agreement.id)),
    });
    notice(running, 0);
    const kept = notice(running, 1);
    expect(read(await stream.next())).toEqual(expect.objectContaining({ noticeId: kept.notice.noticeId }));
    // The stream goes on.
    const next = notice(running, 1);
    expect(read(await stream.next())).toEqual(expect.objectContaining({ noticeId: next.notice.noticeId }));
    stream.close();
  });

  it("never sends another analyst's notices, even when the log gives them", async () => {
    const theirs = watch();
    const otherAnalyst = `${analyst}.other`;
    const otherToken = await alerts.token(scenario.watcher, otherAnalyst);
    watches += 1;
    const mine = alerts.backend.addWatch({
      ...theirs,
      id: `${scenario.watcher}-WCH-00000000-0000-4000-8000-${String(watches).padStart(12, '0')}`,
      analyst: otherAnalyst,
    });
    alerts.backend.leaky = true;
    const stream = await openStream(alerts.alertsUrl, otherToken, { query: ALERTS_SUBSCRIPTION });
    notice(theirs, 0);
    const own = notice(mine, 1);
    expect(read(await stream.next())).toEqual(expect.objectContaining({ noticeId: own.notice.noticeId }));
    stream.close();
  });

  it('refuses a request without a valid token with 401, before anything runs', async () => {
    const none = await openStream(alerts.alertsUrl, undefined, { query: ALERTS_SUBSCRIPTION });
    expect(none.status).toBe(401);
    const forged = await openStream(alerts.alertsUrl, `${token.slice(0, -4)}AAAA`, {
      query: ALERTS_SUBSCRIPTION,
    });
    expect(forged.status).toBe(401);
    expect(alerts.backend.calls.filter((call) => call.caller.requester.analyst === analyst)).toEqual([]);
  });

  it('answers a malformed Last-Event-ID or after: with the same coded error, and lets a good after: win', async () => {
    watch();
    const errorOf = async (stream: Awaited<ReturnType<typeof subscribe>>) => {
      const events = await stream.rest();
      expect(events.map((event) => event.event)).toEqual(['next', 'complete']);
      return (JSON.parse(events[0]!.data) as { errors: unknown[] }).errors;
    };
    const header = await errorOf(await subscribe({}, { 'last-event-id': 'x y' }));
    const argument = await errorOf(await subscribe({ after: 'not a cursor' }));
    expect(header).toEqual(argument);
    expect(read({ event: 'next', data: JSON.stringify({ errors: argument }) })).toEqual({
      codes: [ERROR_CODES.BAD_USER_INPUT],
    });
    // after: wins over the header: a stream with a good one and a bad header runs.
    const running = watch();
    const first = notice(running, 0);
    const second = notice(running, 1);
    const resumed = await subscribe({ after: first.cursor }, { 'last-event-id': 'x y' });
    expect(read(await resumed.next())).toEqual(expect.objectContaining({ noticeId: second.notice.noticeId }));
    resumed.close();
  });

  it('answers a document that does not validate with a coded error event', async () => {
    const stream = await openStream(alerts.alertsUrl, token, { query: 'subscription { alerts { nope } }' });
    const events = await stream.rest();
    expect(read(events[0])).toEqual({ codes: [ERROR_CODES.GRAPHQL_VALIDATION_FAILED] });
  });
});

/** Resolves once `count` reads of this test's analyst are waiting (the stream has caught up). */
async function waitingReads(count: number): Promise<void> {
  while (alerts.backend.waiting(analyst) < count) await new Promise((resolve) => setImmediate(resolve));
}
