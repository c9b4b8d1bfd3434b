/**
 * The hub's `/alerts/…` routes (subgraphs/alliance/alertRoutes.ts, docs/decisions/0019-alert-delivery.md),
 * on a real hub started in this process with `startHub`, called as an owner's relay (no token) and as the
 * gateway (real gateway tokens, signed with the local trust folder's keys). The store is SQLite here; the
 * stores' own behaviour is test/hub/alert-log.test.ts's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HUB_NAME } from '../../schema';
import { REQUEST_HEADERS } from '../../policy';
import { localTrust, type GatewaySigner } from '../../trust';
import { ALERT_ACTIONS, AUTH_REALMS, PURPOSES, isErrorCode } from '../../vocabulary';
import {
  MAX_NOTICES_PER_POST,
  NOTICES_MAX_BODY_BYTES,
  openSqliteAlertLog,
  startHub,
  type AlertLog,
  type WireNotice,
} from '../../subgraphs/alliance';
import type { RunningServer } from '../../subgraphs/kit';
import { CODES, T0, noticeFor, pinnedKeys, watchId, wire } from './support/alertNotices';

const [WATCHER, OWNER, OTHER] = CODES as [string, string, string];
const ANALYST = 'analyst.one';
const COLLEAGUE = 'analyst.two';

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly text: string;
  /** The WWW-Authenticate header, if any. */
  readonly challenge: string | null;
}

let dir: string;
let signer: GatewaySigner;
let trust: ReturnType<typeof localTrust>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'accord-alert-routes-'));
  trust = localTrust(join(dir, 'trust'), CODES);
  signer = trust.signer();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let markWaitStarted: () => void = () => undefined;
/** Resolves when a hub started with `onWait` has begun to wait for a notice. */
const waitStarted = new Promise<void>((resolve) => (markWaitStarted = resolve));

/** A hub with an alert log of its own, and the way to call it; `onWait` sees each wait begin. */
async function startAlertHub(
  name: string,
  onWait?: (started: () => void) => void,
): Promise<{ hub: RunningServer; log: AlertLog; base: string }> {
  const store = openSqliteAlertLog({ file: join(dir, `${name}.sqlite`), keys: pinnedKeys() });
  const log: AlertLog = onWait
    ? {
        ...store,
        wait: (...args) => {
          const waiting = store.wait(...args);
          onWait(markWaitStarted);
          return waiting;
        },
      }
    : store;
  const hub = await startHub({
    gatewayTokens: trust.gatewayTokens(HUB_NAME),
    alerts: log,
    metrics: false,
    now: () => T0,
  });
  return { hub, log, base: hub.url.replace(/\/graphql$/, '') };
}

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Left empty: the test that cares looks at `text`.
  }
  return { status: response.status, body: parsed, text, challenge: response.headers.get('www-authenticate') };
}

/** As an owner's relay: no token. */
function relay(base: string, notices: unknown): Promise<Answer> {
  return post(`${base}/alerts/notices`, JSON.stringify({ notices }));
}

/** As the gateway, for `analyst` of `country`: a token for the hub over these exact bytes. */
function asGateway(
  base: string,
  path: string,
  body: unknown,
  country: string,
  analyst: string,
  options: { audience?: string; signedBody?: string } = {},
): Promise<Answer> {
  const text = JSON.stringify(body);
  const token = signer.sign({
    audience: options.audience ?? HUB_NAME,
    scope: 'query',
    ctx: { [REQUEST_HEADERS.country]: country, [REQUEST_HEADERS.analyst]: analyst },
    body: options.signedBody ?? text,
  });
  return post(`${base}${path}`, text, { authorization: `Bearer ${token}` });
}

function watchBody(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    caseReference: 'CASE-1',
    purpose: PURPOSES[0],
    createdAt: T0,
    expiresAt: T0 + 86_400_000,
    recipients: CODES.filter((code) => code !== id.slice(0, 2)),
    ...overrides,
  };
}

/** An error answer: one error with a code of the closed set, nothing internal in it. */
function expectError(answer: Answer, status: number, code: string): void {
  expect(answer.status).toBe(status);
  const errors = answer.body['errors'] as { message: string; extensions: { code: string } }[];
  expect(errors).toHaveLength(1);
  expect(errors[0]!.extensions.code).toBe(code);
  expect(isErrorCode(errors[0]!.extensions.code)).toBe(true);
  expect(answer.text).not.toMatch(/SELECT|INSERT|sqlite|postgres|\.ts:|\bat \w+ \(|stack/i);
}

describe("the hub's alert routes", () => {
  let hub: RunningServer;
  let log: AlertLog;
  let base: string;
  beforeAll(async () => {
    ({ hub, log, base } = await startAlertHub('shared'));
  });
  afterAll(async () => {
    await hub.stop();
    await log.close();
  });

  const read = async (country: string, analyst: string, body: Record<string, unknown> = {}) =>
    asGateway(base, '/alerts/log', { after: null, ...body }, country, analyst);
  const idsOf = (answer: Answer) =>
    (answer.body['notices'] as { notice: { noticeId: string } }[]).map((one) => one.notice.noticeId);

  it("takes an owner's notices without a token, answering what it holds and what it refused, after the commit", async () => {
    const id = watchId(WATCHER);
    expect((await asGateway(base, '/alerts/watches', watchBody(id), WATCHER, ANALYST)).status).toBe(200);
    const good = wire(noticeFor(OWNER, id, 1));
    const tampered: WireNotice = {
      ...good,
      body: good.body.replace(`"${noticeFor(OWNER, id, 1).subject}"`, '"X-1"'),
    };
    const answer = await relay(base, [good, tampered, { body: 'nope', signature: '' }]);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      acknowledged: [noticeFor(OWNER, id, 1).noticeId],
      refused: [
        { noticeId: noticeFor(OWNER, id, 1).noticeId, reason: 'bad-signature' },
        { noticeId: null, reason: 'malformed' },
      ],
    });
    // Already held once answered: the log gives it at once; the copy sent again is acknowledged alike.
    expect(idsOf(await read(WATCHER, ANALYST))).toEqual([noticeFor(OWNER, id, 1).noticeId]);
    expect((await relay(base, [good])).body).toEqual({
      acknowledged: [noticeFor(OWNER, id, 1).noticeId],
      refused: [],
    });
    const page = await read(WATCHER, ANALYST);
    expect(idsOf(page)).toEqual([noticeFor(OWNER, id, 1).noticeId]);
    const [one] = page.body['notices'] as Record<string, unknown>[];
    expect(one).toMatchObject({
      body: good.body,
      signature: good.signature,
      watch: { id, watcher: WATCHER, analyst: ANALYST },
    });
  });

  it('refuses a relay body over its limits, or not JSON, and stores nothing of it', async () => {
    const id = watchId(WATCHER);
    await asGateway(base, '/alerts/watches', watchBody(id), WATCHER, ANALYST);
    const many = Array.from({ length: MAX_NOTICES_PER_POST + 1 }, (_, n) => wire(noticeFor(OWNER, id, n)));
    expectError(await relay(base, many), 400, 'BAD_REQUEST');
    expectError(await relay(base, []), 400, 'BAD_REQUEST');
    expectError(
      await post(`${base}/alerts/notices`, 'x'.repeat(NOTICES_MAX_BODY_BYTES + 1)),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    expectError(await post(`${base}/alerts/notices`, '{"notices":'), 400, 'BAD_REQUEST');
    expectError(
      await post(
        `${base}/alerts/notices`,
        JSON.stringify({ notices: [wire(noticeFor(OWNER, id, 1))], more: 1 }),
      ),
      400,
      'BAD_REQUEST',
    );
    expectError(
      await post(`${base}/alerts/notices`, JSON.stringify({ notices: many.slice(0, 1) }), {
        'content-type': 'text/plain',
      }),
      415,
      'BAD_REQUEST',
    );
    expectError(await fetchAnswer(`${base}/alerts/notices`, { method: 'GET' }), 405, 'BAD_REQUEST');
    expectError(await post(`${base}/alerts/nothing`, '{}'), 404, 'NOT_FOUND');
    expect(idsOf(await read(WATCHER, ANALYST, { limit: 500 }))).not.toContain(
      noticeFor(OWNER, id, 1).noticeId,
    );
  });

  it("answers the gateway's routes only with a gateway token for the hub over the very body", async () => {
    const id = watchId(WATCHER);
    const body = JSON.stringify(watchBody(id));
    // Every 401 names the realm of a subgraph, as the hub's GraphQL endpoint does (RFC 6750 §3); one that
    // refused a token says so (invalid_token), and none says why.
    const realm = `Bearer realm="${AUTH_REALMS.subgraph}"`;
    const refused = `${realm}, error="invalid_token"`;
    const none = await post(`${base}/alerts/watches`, body);
    expectError(none, 401, 'UNAUTHENTICATED');
    expect(none.challenge).toBe(realm);
    const nonsense = await post(`${base}/alerts/watches`, body, { authorization: 'Bearer nonsense' });
    expectError(nonsense, 401, 'UNAUTHENTICATED');
    expect(nonsense.challenge).toBe(refused);
    // Signed for a member, not for the hub.
    const elsewhere = await asGateway(base, '/alerts/watches', watchBody(id), WATCHER, ANALYST, {
      audience: OWNER.toLowerCase(),
    });
    expectError(elsewhere, 401, 'UNAUTHENTICATED');
    expect(elsewhere.challenge).toBe(refused);
    // Signed over other bytes.
    const otherBytes = await asGateway(base, '/alerts/watches', watchBody(id), WATCHER, ANALYST, {
      signedBody: JSON.stringify(watchBody(id, { caseReference: 'OTHER-1' })),
    });
    expectError(otherBytes, 401, 'UNAUTHENTICATED');
    expect(otherBytes.challenge).toBe(refused);
    // The gateway's own schema calls carry no analyst.
    const text = JSON.stringify({ after: null });
    const schemaToken = signer.sign({ audience: HUB_NAME, scope: 'schema', body: text });
    const schemaCall = await post(`${base}/alerts/log`, text, { authorization: `Bearer ${schemaToken}` });
    expectError(schemaCall, 401, 'UNAUTHENTICATED');
    expect(schemaCall.challenge).toBe(refused);
    // No other status names a realm.
    expect((await post(`${base}/alerts/nothing`, '{}')).challenge).toBeNull();
    expect(await log.watch(id)).toBeUndefined();
  });

  it('takes the watcher and the analyst from the token only, and gives each analyst their own notices', async () => {
    const mine = watchId(WATCHER);
    // The body cannot name a watcher or an analyst, nor hold an identifier or a justification.
    for (const extra of [
      { watcher: OTHER },
      { analyst: COLLEAGUE },
      { identifiers: [] },
      { justification: 'because it matters' },
    ])
      expectError(
        await asGateway(base, '/alerts/watches', watchBody(mine, extra), WATCHER, ANALYST),
        400,
        'BAD_REQUEST',
      );
    // A watch id of another country, a purpose or recipients outside the vocabulary and the registry.
    expectError(
      await asGateway(base, '/alerts/watches', watchBody(watchId(OTHER)), WATCHER, ANALYST),
      400,
      'BAD_REQUEST',
    );
    expectError(
      await asGateway(base, '/alerts/watches', watchBody(mine, { purpose: 'curiosity' }), WATCHER, ANALYST),
      400,
      'BAD_REQUEST',
    );
    expectError(
      await asGateway(base, '/alerts/watches', watchBody(mine, { recipients: ['ZZ'] }), WATCHER, ANALYST),
      400,
      'BAD_REQUEST',
    );
    expectError(
      await asGateway(base, '/alerts/watches', watchBody(mine, { recipients: [WATCHER] }), WATCHER, ANALYST),
      400,
      'BAD_REQUEST',
    );
    expect(await log.watch(mine)).toBeUndefined();

    const registered = await asGateway(base, '/alerts/watches', watchBody(mine), WATCHER, ANALYST);
    expect(registered.status).toBe(200);
    expect(registered.body).toMatchObject({
      created: true,
      watch: { id: mine, watcher: WATCHER, analyst: ANALYST },
    });
    // Renewed by the same analyst; refused to a colleague.
    const renewed = await asGateway(
      base,
      '/alerts/watches',
      watchBody(mine, { expiresAt: T0 + 2 * 86_400_000 }),
      WATCHER,
      ANALYST,
    );
    expect(renewed.body).toMatchObject({ created: false, watch: { expiresAt: T0 + 2 * 86_400_000 } });
    expectError(
      await asGateway(base, '/alerts/watches', watchBody(mine), WATCHER, COLLEAGUE),
      409,
      'BAD_REQUEST',
    );

    const notice = noticeFor(OWNER, mine, 1);
    await relay(base, [wire(notice)]);
    expect(idsOf(await read(WATCHER, ANALYST, { limit: 500 }))).toContain(notice.noticeId);
    expect(idsOf(await read(WATCHER, COLLEAGUE, { limit: 500 }))).not.toContain(notice.noticeId);
    expect(idsOf(await read(OTHER, ANALYST, { limit: 500 }))).not.toContain(notice.noticeId);
    expectError(await read(WATCHER, ANALYST, { after: 'not-a-cursor' }), 400, 'BAD_REQUEST');
    expectError(await read(WATCHER, ANALYST, { limit: 0 }), 400, 'BAD_REQUEST');
  });

  it("gives one notice of the analyst's as the log gives it, and any other as none: another's, a stranger's, a made-up one", async () => {
    const id = watchId(WATCHER);
    const stranger = CODES.find((code) => code !== WATCHER && code !== OWNER)!;
    await asGateway(base, '/alerts/watches', { ...watchBody(id), recipients: [OWNER] }, WATCHER, ANALYST);
    const notice = noticeFor(OWNER, id, 1);
    const strangers = noticeFor(stranger, id, 2);
    await relay(base, [wire(notice), wire(strangers)]);
    const one = (owner: string, noticeId: string, analyst = ANALYST) =>
      asGateway(base, '/alerts/notice', { owner, noticeId }, WATCHER, analyst);
    const found = await one(OWNER, notice.noticeId);
    expect(found.status).toBe(200);
    expect((found.body as { notice: { notice: { noticeId: string } } }).notice.notice.noticeId).toBe(
      notice.noticeId,
    );
    // Each of these is answered exactly as a notice that does not exist.
    expectError(await one(OWNER, notice.noticeId, COLLEAGUE), 404, 'NOT_FOUND');
    expectError(await one(stranger, strangers.noticeId), 404, 'NOT_FOUND');
    expectError(await one(OWNER, `${OWNER}-NTC-${'0'.repeat(24)}`), 404, 'NOT_FOUND');
    expectError(await one(OWNER, 'not an id'), 404, 'NOT_FOUND');
    // Nor is the stranger's notice acknowledged.
    expectError(
      await asGateway(
        base,
        '/alerts/acknowledgements',
        { owner: stranger, noticeId: strangers.noticeId, action: ALERT_ACTIONS[0] },
        WATCHER,
        ANALYST,
      ),
      404,
      'NOT_FOUND',
    );
  });

  it('records the first acknowledgement of the analyst whose notice it is, with an action of the vocabulary', async () => {
    const id = watchId(WATCHER);
    await asGateway(base, '/alerts/watches', watchBody(id), WATCHER, ANALYST);
    const notice = noticeFor(OWNER, id, 1);
    await relay(base, [wire(notice)]);
    const ack = (action: string, analyst = ANALYST) =>
      asGateway(
        base,
        '/alerts/acknowledgements',
        { owner: OWNER, noticeId: notice.noticeId, action },
        WATCHER,
        analyst,
      );
    expectError(await ack('shrugged'), 400, 'BAD_REQUEST');
    expectError(await ack(ALERT_ACTIONS[0], COLLEAGUE), 404, 'NOT_FOUND');
    const first = await ack(ALERT_ACTIONS[1]);
    expect(first.body).toEqual({
      acknowledgement: { analyst: ANALYST, action: ALERT_ACTIONS[1], at: T0 },
      first: true,
    });
    expect((await ack(ALERT_ACTIONS[0])).body).toEqual({ ...first.body, first: false });
    const page = await read(WATCHER, ANALYST, { limit: 500 });
    const logged = (
      page.body['notices'] as { notice: { noticeId: string }; acknowledgement?: unknown }[]
    ).find((one) => one.notice.noticeId === notice.noticeId);
    expect(logged?.acknowledgement).toEqual({ analyst: ANALYST, action: ALERT_ACTIONS[1], at: T0 });
  });

  it("lists the token's analyst's own watches only, and takes no field", async () => {
    const mine = watchId(WATCHER);
    await asGateway(base, '/alerts/watches', watchBody(mine), WATCHER, ANALYST);
    await asGateway(base, '/alerts/watches', watchBody(watchId(WATCHER)), WATCHER, COLLEAGUE);
    const listed = await asGateway(base, '/alerts/watches/list', {}, WATCHER, ANALYST);
    expect(listed.status).toBe(200);
    const ids = (listed.body as { watches: { id: string; analyst: string }[] }).watches.map((w) => w.id);
    expect(ids).toContain(mine);
    expect(
      (listed.body as { watches: { analyst: string }[] }).watches.every((w) => w.analyst === ANALYST),
    ).toBe(true);
    // Whose watches is the token's to say, never the body's.
    expectError(
      await asGateway(base, '/alerts/watches/list', { analyst: COLLEAGUE }, WATCHER, ANALYST),
      400,
      'BAD_REQUEST',
    );
  });

  it('cancels a watch only for the analyst who registered it', async () => {
    const id = watchId(WATCHER);
    await asGateway(base, '/alerts/watches', watchBody(id), WATCHER, ANALYST);
    expectError(
      await asGateway(base, '/alerts/watches/cancel', { id }, WATCHER, COLLEAGUE),
      404,
      'NOT_FOUND',
    );
    expectError(await asGateway(base, '/alerts/watches/cancel', { id }, OTHER, ANALYST), 404, 'NOT_FOUND');
    expect((await log.watch(id))?.cancelledAt).toBeUndefined();
    const cancelled = await asGateway(base, '/alerts/watches/cancel', { id }, WATCHER, ANALYST);
    expect(cancelled.body).toMatchObject({ first: true, watch: { id, cancelledAt: T0 } });
    expectError(
      await asGateway(base, '/alerts/watches', watchBody(id), WATCHER, ANALYST),
      409,
      'BAD_REQUEST',
    );
  });

  it('long-polls: a waiting read answers as soon as a notice for its analyst is stored', async () => {
    const id = watchId(WATCHER);
    await asGateway(base, '/alerts/watches', watchBody(id), WATCHER, ANALYST);
    const start = await read(WATCHER, ANALYST, { limit: 500 });
    const cursor = start.body['cursor'] as string | null;
    const waiting = read(WATCHER, ANALYST, { after: cursor, waitMs: 20_000 });
    // Another analyst's notice does not end the wait; this analyst's does.
    const colleagues = watchId(WATCHER);
    await asGateway(base, '/alerts/watches', watchBody(colleagues), WATCHER, COLLEAGUE);
    await relay(base, [wire(noticeFor(OWNER, colleagues, 1))]);
    await relay(base, [wire(noticeFor(OWNER, id, 2))]);
    const answer = await waiting;
    // Had nothing woken it, it would have answered at the end of its wait with no notice.
    expect(idsOf(answer)).toEqual([noticeFor(OWNER, id, 2).noticeId]);
  });

  it('answers a path it does not serve with 404 and names none of its routes', async () => {
    for (const path of ['/alerts', '/alerts/', '/alerts/nothing', '/alerts/log/x']) {
      const answer = await post(`${base}${path}`, '{}');
      expectError(answer, 404, 'NOT_FOUND');
      expect(answer.text).not.toMatch(/\/alerts\/[a-z]/);
      expect(answer.text).toContain("the gateway's /alerts");
    }
  });

  it('answers 503 with nothing internal when its store fails', async () => {
    const { hub: broken, log: brokenLog, base: brokenBase } = await startAlertHub('broken');
    await brokenLog.close();
    try {
      expectError(
        await relay(brokenBase, [wire(noticeFor(OWNER, watchId(WATCHER), 1))]),
        503,
        'MEMBER_UNAVAILABLE',
      );
      expectError(
        await asGateway(brokenBase, '/alerts/log', { after: null }, WATCHER, ANALYST),
        503,
        'MEMBER_UNAVAILABLE',
      );
    } finally {
      await broken.stop();
    }
  });
});

it('ends a waiting read when the hub stops', async () => {
  const { hub, log, base } = await startAlertHub('stopping', (started) => started());
  try {
    const waiting = asGateway(base, '/alerts/log', { after: null, waitMs: 25_000 }, WATCHER, ANALYST);
    // Nothing is stored, so the read waits: stop the hub once its wait has begun.
    await waitStarted;
    await hub.stop();
    // Answered, not cut: without the stop ending the wait, the drain (lib/http.ts) would close the
    // connection at its timeout and this fetch would fail.
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ notices: [], cursor: null });
  } finally {
    await hub.stop();
    await log.close();
  }
});

async function fetchAnswer(url: string, init: RequestInit): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  return {
    status: response.status,
    body: JSON.parse(text) as Record<string, unknown>,
    text,
    challenge: response.headers.get('www-authenticate'),
  };
}
