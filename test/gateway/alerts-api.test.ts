// The alert API's JSON path and its errors (docs/decisions/0019-alert-delivery.md), and the stream read
// by graphql-sse's own client, an implementation of the protocol independent of the server's. The backend
// is the in-memory fixture (test/gateway/alertBackendFixture.ts).
import { createClient } from 'graphql-sse';
import { ERROR_CODES, MEMBERS } from '../../schema';
import { ALERT_ACTIONS, AUTH_REALMS, PURPOSES } from '../../vocabulary';
import { IDENTIFIER_KINDS, MAX_WATCH_DAYS } from '../../alerts';
import type { WatchEntry } from '../../gateway/alerts/alertBackend';
import { MAX_ALERT_ROOT_FIELDS } from '../../gateway/alerts/alertErrors';
import { TEST_NOW } from '../support/alliance';
import { alertScenario, type AlertScenario } from './alertBackendFixture';
import {
  ALERTS_SUBSCRIPTION,
  postAlerts,
  startAlertGateway,
  type AlertAnswer,
  type AlertGateway,
} from './alertsSupport';

const DAY = 86_400_000;

let alerts: AlertGateway;
let scenario: AlertScenario;
let token: string;
const analyst = 'api.t';

beforeAll(async () => {
  alerts = await startAlertGateway();
  scenario = alertScenario(alerts.policy, TEST_NOW);
  token = await alerts.token(scenario.watcher, analyst);
});

afterAll(async () => {
  await alerts.stop();
});

const ask = (query: string, variables?: Record<string, unknown>, as = token) =>
  postAlerts(alerts.alertsUrl, as, { query, ...(variables && { variables }) });

const codes = (answer: AlertAnswer) => (answer.errors ?? []).map((error) => error.extensions?.code);

const REGISTER = `mutation ($input: WatchInput!) {
  registerWatch(input: $input) { watch { id caseReference purpose expiresAt running recipients } unreached }
}`;

const validInput = () => ({
  caseReference: `${scenario.watcher}-CAS-000001`,
  purpose: scenario.purpose,
  identifiers: [{ kind: 'passport', number: 'M1234567', issuingCountry: scenario.watcher }],
  justification: 'The suspect is believed to travel to the region this month.',
  days: 7,
});

let watches = 0;
function watch(by = analyst, days = 30): WatchEntry {
  watches += 1;
  return alerts.backend.addWatch({
    id: `${scenario.watcher}-WCH-00000000-0000-4000-8000-${String(watches).padStart(12, '0')}`,
    watcher: scenario.watcher,
    analyst: by,
    caseReference: `${scenario.watcher}-CAS-000001`,
    purpose: scenario.purpose,
    createdAt: alerts.clock,
    expiresAt: alerts.clock + days * DAY,
  });
}

describe('the alert API over JSON', () => {
  it('derives its enums from the vocabulary and alerts/', async () => {
    const { body } = await ask(`{
      purpose: __type(name: "Purpose") { enumValues { name } }
      kind: __type(name: "IdentifierKind") { enumValues { name } }
      action: __type(name: "AlertAction") { enumValues { name description } }
    }`);
    const names = (key: string) =>
      (body.data![key] as { enumValues: { name: string }[] }).enumValues.map((value) => value.name);
    expect(names('purpose')).toEqual([...PURPOSES]);
    expect(names('kind')).toEqual([...IDENTIFIER_KINDS]);
    expect(names('action')).toEqual([...ALERT_ACTIONS]);
  });

  it('registers a watch: the request goes to the backend as the analyst gave it; the answer names where it went', async () => {
    alerts.backend.recipients = scenario.owners.map((owner) => owner.owner);
    alerts.backend.unreached = [scenario.owners[1].owner];
    try {
      const input = validInput();
      // An absent field sent as null is left out, as if not sent.
      const sent = {
        ...input,
        identifiers: input.identifiers.map((identifier) => ({ ...identifier, country: null })),
      };
      const { status, body } = await ask(REGISTER, { input: sent });
      expect(status).toBe(200);
      const registered = body.data!['registerWatch'] as {
        watch: { id: string; running: boolean; recipients: string[]; expiresAt: string };
        unreached: string[];
      };
      expect(registered.watch.running).toBe(true);
      expect(registered.watch.recipients).toEqual([scenario.owners[0].owner]);
      expect(registered.unreached).toEqual([scenario.owners[1].owner]);
      expect(registered.watch.expiresAt).toBe(new Date(TEST_NOW + 7 * DAY).toISOString());
      const call = alerts.backend.calls.filter((made) => made.method === 'registerWatch').at(-1)!;
      // The identifier as given: no field GraphQL left absent is sent as null.
      expect(call.args).toEqual(validInput());
      expect(call.caller.requester).toEqual(expect.objectContaining({ country: scenario.watcher, analyst }));
    } finally {
      alerts.backend.recipients = [];
      alerts.backend.unreached = [];
    }
  });

  it("says so when a watch goes to no member, in terms of the watcher's own rules, and not otherwise", async () => {
    const registerWith = async (recipients: string[]) => {
      alerts.backend.recipients = recipients;
      try {
        const { body } = await ask(
          `mutation ($input: WatchInput!) { registerWatch(input: $input) { watch { id recipients } warning } }`,
          { input: validInput() },
        );
        return body.data!['registerWatch'] as {
          watch: { id: string; recipients: string[] };
          warning: string | null;
        };
      } finally {
        alerts.backend.recipients = [];
      }
    };
    const nowhere = await registerWith([]);
    expect(nowhere.watch.recipients).toEqual([]);
    expect(nowhere.warning).toMatch(/^This watch went to no member: the rules your country applies/);
    expect(nowhere.warning).toContain(scenario.purpose);
    // Nothing of any member's records: no member, no record, no owner named.
    for (const code of MEMBERS.map((member) => member.code).filter((code) => code !== scenario.watcher))
      expect(nowhere.warning).not.toMatch(new RegExp(`\\b${code}\\b`));
    const renewed = await ask(
      `mutation { renewWatch(id: "${nowhere.watch.id}", justification: "Still travelling, per the liaison.", days: 2) { warning } }`,
    );
    expect(renewed.body.data!['renewWatch']).toEqual({ warning: expect.stringMatching(/went to no member/) });
    const somewhere = await registerWith(scenario.owners.map((owner) => owner.owner));
    expect(somewhere.warning).toBeNull();
    const cancelled = await ask(`mutation { cancelWatch(id: "${nowhere.watch.id}") { warning } }`);
    expect(cancelled.body.data!['cancelWatch']).toEqual({ warning: null });
  });

  it('refuses a bad watch with every problem at once, and calls nothing', async () => {
    const before = alerts.backend.calls.length;
    const { status, body } = await ask(REGISTER, {
      input: { ...validInput(), identifiers: [], justification: 'short', days: MAX_WATCH_DAYS + 1 },
    });
    expect(status).toBe(200);
    expect(codes(body)).toEqual([ERROR_CODES.BAD_USER_INPUT]);
    const problems = body.errors![0]!.extensions!.problems!;
    expect(problems.some((problem) => problem.startsWith('identifiers'))).toBe(true);
    expect(problems.some((problem) => problem.startsWith('justification'))).toBe(true);
    expect(problems.some((problem) => problem.startsWith('days'))).toBe(true);
    expect(alerts.backend.calls.length).toBe(before);
  });

  it('renews and cancels a watch of the analyst; refuses a renewal beyond the cap', async () => {
    const mine = watch();
    const tooLong = await ask(
      `mutation { renewWatch(id: "${mine.id}", justification: "Still travelling, per the liaison.", days: ${MAX_WATCH_DAYS + 1}) { watch { id } } }`,
    );
    expect(codes(tooLong.body)).toEqual([ERROR_CODES.BAD_USER_INPUT]);
    const renewed = await ask(
      `mutation { renewWatch(id: "${mine.id}", justification: "Still travelling, per the liaison.", days: 2) { watch { id expiresAt } } }`,
    );
    expect(renewed.body.data!['renewWatch']).toEqual({
      watch: { id: mine.id, expiresAt: new Date(alerts.clock + 2 * DAY).toISOString() },
    });
    const cancelled = await ask(
      `mutation { cancelWatch(id: "${mine.id}") { watch { running cancelledAt } } }`,
    );
    expect(cancelled.body.data!['cancelWatch']).toEqual({
      watch: { running: false, cancelledAt: new Date(alerts.clock).toISOString() },
    });
    const other = watch('other.t');
    const refused = await ask(`mutation { cancelWatch(id: "${other.id}") { watch { id } } }`);
    expect(codes(refused.body)).toEqual([ERROR_CODES.NOT_FOUND]);
  });

  it("lists the analyst's own watches only", async () => {
    const mine = watch();
    const other = watch('other.t');
    const { body } = await ask('{ watches { id running } }');
    const ids = (body.data!['watches'] as { id: string }[]).map((listed) => listed.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(other.id);
  });

  it('pages the log with alertsSince; a notice it may not deliver is left out, and moves no cursor', async () => {
    const running = watch();
    const ended = watch(analyst, 1);
    const start = (await ask('{ alertsSince(limit: 100) { cursor } }')).body.data!['alertsSince'] as {
      cursor: string | null;
    };
    alerts.clock += 2 * DAY;
    const first = alerts.backend.append(scenario.owners[0].owner, running, scenario.owners[0].basis);
    const skipped = alerts.backend.append(scenario.owners[1].owner, ended, scenario.owners[1].basis);
    const third = alerts.backend.append(scenario.owners[1].owner, running, scenario.owners[1].basis);
    const page = (
      await ask(
        'query ($after: String) { alertsSince(after: $after, limit: 2) { cursor alerts { noticeId cursor acknowledged } } }',
        {
          after: start.cursor,
        },
      )
    ).body.data!['alertsSince'] as { cursor: string; alerts: { noticeId: string }[] };
    // The page is read on past the notice it does not deliver, to its limit.
    expect(page.alerts.map((alert) => alert.noticeId)).toEqual([
      first.notice.noticeId,
      third.notice.noticeId,
    ]);
    expect(page.cursor).toBe(third.cursor);
    const fourth = alerts.backend.append(scenario.owners[0].owner, running, scenario.owners[0].basis);
    alerts.backend.append(scenario.owners[1].owner, ended, scenario.owners[1].basis);
    const next = (
      await ask('query ($after: String) { alertsSince(after: $after) { cursor alerts { noticeId } } }', {
        after: page.cursor,
      })
    ).body.data!['alertsSince'] as { cursor: string; alerts: { noticeId: string }[] };
    // Past the last notice delivered, an undelivered one moves the cursor not.
    expect(next.alerts.map((alert) => alert.noticeId)).toEqual([fourth.notice.noticeId]);
    expect(next.cursor).toBe(fourth.cursor);
    expect(skipped.cursor).not.toBe(next.cursor);
    alerts.clock -= 2 * DAY;
  });

  it('refuses a page size out of bounds and a malformed cursor', async () => {
    for (const limit of [0, 101]) {
      const { body } = await ask(`{ alertsSince(limit: ${limit}) { cursor } }`);
      expect(codes(body)).toEqual([ERROR_CODES.BAD_USER_INPUT]);
    }
    const { body } = await ask('{ alertsSince(after: "no such/cursor") { cursor } }');
    expect(codes(body)).toEqual([ERROR_CODES.BAD_USER_INPUT]);
  });

  it("acknowledges an alert of the analyst's, keeps the first action, and refuses another's", async () => {
    const running = watch();
    const entry = alerts.backend.append(scenario.owners[0].owner, running, scenario.owners[0].basis);
    const acknowledge = (action: string, as = token) =>
      ask(
        `mutation { acknowledgeAlert(owner: "${entry.notice.owner}", noticeId: "${entry.notice.noticeId}", action: ${action}) { owner noticeId action at } }`,
        undefined,
        as,
      );
    const [first, second] = [ALERT_ACTIONS[0], ALERT_ACTIONS[1]];
    expect((await acknowledge(first)).body.data!['acknowledgeAlert']).toEqual({
      owner: entry.notice.owner,
      noticeId: entry.notice.noticeId,
      action: first,
      at: new Date(alerts.clock).toISOString(),
    });
    expect((await acknowledge(second)).body.data!['acknowledgeAlert']).toEqual(
      expect.objectContaining({ action: first }),
    );
    const stranger = await alerts.token(scenario.watcher, 'other.t');
    expect(codes((await acknowledge(first, stranger)).body)).toEqual([ERROR_CODES.NOT_FOUND]);
    const page = (await ask('{ alertsSince(limit: 100) { alerts { noticeId acknowledged } } }')).body.data![
      'alertsSince'
    ] as { alerts: { noticeId: string; acknowledged: boolean }[] };
    expect(page.alerts.find((alert) => alert.noticeId === entry.notice.noticeId)?.acknowledged).toBe(true);
    const unknown = await acknowledge('thanked');
    expect(unknown.status).toBe(400);
    expect(codes(unknown.body)).toEqual([ERROR_CODES.GRAPHQL_VALIDATION_FAILED]);
  });

  it('answers a subscription sent as JSON with 400, pointing to the event stream', async () => {
    const { status, body } = await ask(ALERTS_SUBSCRIPTION);
    expect(status).toBe(400);
    expect(codes(body)).toEqual([ERROR_CODES.BAD_REQUEST]);
    expect(body.errors![0]!.message).toMatch(/text\/event-stream/);
  });

  it('refuses what is not a request it takes, each with its status and code', async () => {
    const none = await fetch(alerts.alertsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ watches { id } }' }),
    });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe(`Bearer realm="${AUTH_REALMS.gateway}"`);
    expect(codes((await none.json()) as AlertAnswer)).toEqual([ERROR_CODES.UNAUTHENTICATED]);
    // A token given and refused: invalid_token (RFC 6750 §3), on the JSON path and the stream alike.
    for (const accept of ['application/json', 'text/event-stream']) {
      const refused = await fetch(alerts.alertsUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept, authorization: 'Bearer not.a.token' },
        body: JSON.stringify({ query: '{ watches { id } }' }),
      });
      expect({ accept, status: refused.status }).toEqual({ accept, status: 401 });
      expect(refused.headers.get('www-authenticate')).toBe(
        `Bearer realm="${AUTH_REALMS.gateway}", error="invalid_token"`,
      );
      expect(codes((await refused.json()) as AlertAnswer)).toEqual([ERROR_CODES.UNAUTHENTICATED]);
    }
    const cases: [RequestInit, string, number, string][] = [
      [
        { method: 'POST', body: '{"query":"{ watches { id } }"}', headers: { 'content-type': 'text/plain' } },
        '',
        415,
        ERROR_CODES.BAD_REQUEST,
      ],
      [
        { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } },
        '',
        400,
        ERROR_CODES.BAD_REQUEST,
      ],
      [
        { method: 'POST', body: '{"query":"{ watches {"}', headers: { 'content-type': 'application/json' } },
        '',
        400,
        ERROR_CODES.GRAPHQL_PARSE_FAILED,
      ],
      [
        { method: 'POST', body: '{"query":"{ nope }"}', headers: { 'content-type': 'application/json' } },
        '',
        400,
        ERROR_CODES.GRAPHQL_VALIDATION_FAILED,
      ],
      [{ method: 'GET' }, '', 405, ERROR_CODES.BAD_REQUEST],
      [
        {
          method: 'POST',
          body: JSON.stringify({
            query: `{ ${Array.from({ length: MAX_ALERT_ROOT_FIELDS + 1 }, (_, i) => `w${i}: watches { id }`).join(' ')} }`,
          }),
          headers: { 'content-type': 'application/json' },
        },
        '',
        400,
        ERROR_CODES.GRAPHQL_VALIDATION_FAILED,
      ],
      [
        {
          method: 'POST',
          body: '{"query":"{ watches { id } }"}',
          headers: { 'content-type': 'application/json' },
        },
        '/other',
        404,
        ERROR_CODES.NOT_FOUND,
      ],
    ];
    for (const [init, path, status, code] of cases) {
      const response = await fetch(`${alerts.alertsUrl}${path}`, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` },
      });
      expect({ path, method: init.method, status: response.status }).toEqual({
        path,
        method: init.method,
        status,
      });
      expect(codes((await response.json()) as AlertAnswer)).toEqual([code]);
    }
  });
});

describe("the stream, read by graphql-sse's own client", () => {
  it('delivers the notices of a running watch, then completes with WATCH_ENDED when it is cancelled', async () => {
    const running = watch('client.t');
    const sent = alerts.backend.append(scenario.owners[0].owner, running, scenario.owners[0].basis);
    const client = createClient({
      url: alerts.alertsUrl,
      headers: { authorization: `Bearer ${await alerts.token(scenario.watcher, 'client.t')}` },
      retryAttempts: 0,
    });
    const results: { data?: unknown; errors?: readonly { extensions?: Record<string, unknown> }[] }[] = [];
    for await (const result of client.iterate({ query: ALERTS_SUBSCRIPTION })) {
      results.push(result);
      if (results.length === 1) {
        alerts.backend.cancel(running.id);
        alerts.backend.append(scenario.owners[1].owner, running, scenario.owners[1].basis);
      }
    }
    client.dispose();
    expect(results).toHaveLength(2);
    expect(results[0]!.data).toEqual({
      alerts: expect.objectContaining({ noticeId: sent.notice.noticeId, cursor: sent.cursor }),
    });
    expect(results[1]!.errors?.map((error) => error.extensions?.['code'])).toEqual([ERROR_CODES.WATCH_ENDED]);
  });
});
