import { readFileSync } from 'node:fs';
import { MATCHING_SERVICE, type HeldWatch, type Identifier } from '../../alerts';
import { modelSends } from '../alerts/modelDistribution';
import { MEMBERS } from '../../schema';
import { AUTH_REALMS, PURPOSES, type Purpose } from '../../vocabulary';
import { publishedNoticeKeyFile, type AlertAct } from '../../subgraphs/reference';
import { TEST_NOW, analyst, startAlliance, type Alliance } from '../support/alliance';
import { startNoticeHub, type NoticeHub } from '../support/noticeHub';
import { sqliteAuditBackend } from '../support/auditBackends';
import { openAuditReader } from '../../audit';

/**
 * A member's alert routes (subgraphs/reference/alertRoutes.ts), called as the gateway calls them: a watch is
 * registered at the analyst's own member, which decides where it goes with its own agreements, and each
 * recipient holds what it was sent, for the watcher's analyst only. The oracle of where a watch goes is the
 * reference model (legal/model) over the committed supergraph's categories; members and purposes come from
 * the registry and the vocabulary.
 */
const members = MEMBERS.map((member) => member.code);
const CASE = 'X-CAS-1';

/** One identifier of every kind, each well formed. */
const EVERY_KIND: readonly Identifier[] = [
  { kind: 'passport', number: 'M55503183', issuingCountry: 'KR' },
  { kind: 'document', number: 'TD1234567', issuingCountry: 'KR' },
  { kind: 'phone', number: '+82 10-5552-3318' },
  { kind: 'account', number: '110-234-567890' },
  { kind: 'messenger', app: 'telegram', handle: '@tiger_dgm' },
  { kind: 'record', id: 'KH-SUS-000001' },
];

/** The model's answer (test/alerts/modelDistribution.ts): may this identifier go to `member`? */
function released(watcher: string, member: string, purpose: Purpose, identifier: Identifier): boolean {
  return modelSends(watcher, member, purpose, identifier, { caseReference: CASE, at: TEST_NOW });
}

/** The model's distribution: member → the identifiers it receives (members receiving none left out). */
function expectedRecipients(watcher: string, purpose: Purpose): Map<string, Identifier[]> {
  const out = new Map<string, Identifier[]>();
  for (const member of members.filter((m) => m !== watcher)) {
    const sent = EVERY_KIND.filter((identifier) => released(watcher, member, purpose, identifier));
    if (sent.length > 0) out.set(member, sent);
  }
  return out;
}

/** A watcher and purpose whose watch on every kind goes somewhere, found from the agreements. */
function findSent(): { watcher: string; purpose: Purpose; expected: Map<string, Identifier[]> } {
  for (const watcher of members)
    for (const purpose of PURPOSES) {
      const expected = expectedRecipients(watcher, purpose);
      if (expected.size > 0) return { watcher, purpose, expected };
    }
  throw new Error('no watcher and purpose of the agreements send a watch anywhere');
}

interface Answer {
  status: number;
  body: {
    watch?: { id: string; watcher: string; analyst: string; expiresAt: number; justification: string };
    recipients?: { member: string; watch: HeldWatch }[];
    dropAt?: string[];
    cancelledAt?: number;
    held?: HeldWatch;
    dropped?: boolean;
    errors?: { message: string; extensions: { code: string; problems?: string[] } }[];
  };
}

describe("a member's alert routes", () => {
  let alliance: Alliance;
  const acts: { member: string; act: AlertAct }[] = [];
  /** While set, the members' audit logs refuse every act. */
  let logDown = false;
  const { watcher, purpose, expected } = findSent();
  const other = members.find((m) => m !== watcher)!;
  const request = {
    caseReference: CASE,
    purpose,
    identifiers: EVERY_KIND,
    justification: 'Expected to travel with these documents this month.',
    days: 10,
  };
  const me = analyst(watcher, 'analyst.one');

  beforeAll(async () => {
    alliance = await startAlliance({
      alerts: {
        record: (member, act) => {
          if (logDown) return Promise.reject(new Error('the log is down (test)'));
          acts.push({ member, act });
          return Promise.resolve();
        },
      },
    });
  });
  afterAll(async () => {
    await alliance?.stop();
  });

  const post = (member: string, path: string, body: unknown, headers = me): Promise<Answer> =>
    alliance.postAlerts(member, path, body, headers) as Promise<Answer>;
  const codeOf = (answer: Answer): string | undefined => answer.body.errors?.[0]?.extensions.code;
  const register = async (): Promise<Answer> => {
    const answer = await post(watcher, '/alerts/watches', { request });
    expect(answer.status).toBe(200);
    return answer;
  };

  it('registers a watch at the watcher, for the token’s analyst, sent where its agreements release each identifier', async () => {
    const answer = await post(watcher, '/alerts/watches', { request }, analyst(watcher, 'analyst.three'));
    expect(answer.status).toBe(200);
    const watch = answer.body.watch!;
    expect(watch).toMatchObject({ watcher, analyst: 'analyst.three', expiresAt: TEST_NOW + 10 * 86_400_000 });
    const got = new Map(answer.body.recipients!.map((r) => [r.member, r.watch.identifiers]));
    expect(got).toEqual(expected);
    for (const { watch: held } of answer.body.recipients!) {
      expect(held.id).toBe(watch.id);
      // The justification stays with the watcher.
      expect(held).not.toHaveProperty('justification');
    }
    // Kept whole at the watcher, with where it went; recorded with the clauses of each identifier.
    const own = alliance.memberAlerts[watcher]!.watches.get(watch.id)!;
    expect(own.watch.justification).toBe(request.justification);
    expect(own.recipients.map((r) => r.member)).toEqual([...expected.keys()]);
    const record = acts.find((a) => a.act.act === 'watch.registered' && a.act.watch.id === watch.id);
    expect(record).toMatchObject({ member: watcher, act: { change: 'created' } });
    if (record?.act.act === 'watch.registered')
      for (const recipient of record.act.recipients)
        expect('clauses' in recipient && recipient.clauses.length).toBe(recipient.watch.identifiers.length);
  });

  it('refuses, changing nothing: another country’s analyst, a bad request, a body of no known form, no gateway token', async () => {
    const before = alliance.memberAlerts[watcher]!.watches.ofAnalyst('analyst.one').length;
    const foreign = await post(watcher, '/alerts/watches', { request }, analyst(other, 'analyst.one'));
    expect([foreign.status, codeOf(foreign)]).toEqual([403, 'BAD_REQUEST']);
    const bad = await post(watcher, '/alerts/watches', {
      request: { ...request, identifiers: [{ kind: 'phone', number: '12' }], justification: 'short' },
    });
    expect([bad.status, codeOf(bad)]).toEqual([400, 'BAD_USER_INPUT']);
    expect(bad.body.errors![0]!.extensions.problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('identifiers[0]'),
        expect.stringContaining('justification'),
      ]),
    );
    // Who registers comes from the token: an analyst named in the body is refused, not taken.
    const named = await post(watcher, '/alerts/watches', {
      request: { ...request, analyst: 'someone.else' },
    });
    expect([named.status, codeOf(named)]).toEqual([400, 'BAD_USER_INPUT']);
    const shapeless = await post(watcher, '/alerts/watches', { request, cancel: 'x' });
    expect([shapeless.status, codeOf(shapeless)]).toEqual([400, 'BAD_REQUEST']);
    const direct = await fetch(new URL('/alerts/watches', alliance.subgraphUrls[watcher.toLowerCase()]), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ request }),
    });
    expect([direct.status, ((await direct.json()) as Answer['body']).errors![0]!.extensions.code]).toEqual([
      401,
      'UNAUTHENTICATED',
    ]);
    // The 401 names the realm of a subgraph, as the member's GraphQL endpoint does (RFC 6750 §3); with a
    // token it refused, invalid_token, and nothing of why.
    const realm = `Bearer realm="${AUTH_REALMS.subgraph}"`;
    expect(direct.headers.get('www-authenticate')).toBe(realm);
    const forged = await fetch(new URL('/alerts/watches', alliance.subgraphUrls[watcher.toLowerCase()]), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not.a.token' },
      body: JSON.stringify({ request }),
    });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toBe(`${realm}, error="invalid_token"`);
    expect(await forged.text()).not.toMatch(/signature|audience|expired|jwt|\.ts:|stack/i);
    expect(alliance.memberAlerts[watcher]!.watches.ofAnalyst('analyst.one')).toHaveLength(before);
    expect(alliance.memberAlerts[watcher]!.watches.ofAnalyst('someone.else')).toHaveLength(0);
  });

  it('renews and cancels for the analyst who registered only; cancelling names where to drop it, twice alike', async () => {
    const { watch } = (await register()).body;
    const colleague = analyst(watcher, 'analyst.two');
    const renewal = { renew: watch!.id, justification: 'Still expected to travel this month.', days: 20 };
    for (const body of [renewal, { cancel: watch!.id }]) {
      const refused = await post(watcher, '/alerts/watches', body, colleague);
      expect([refused.status, codeOf(refused)]).toEqual([404, 'NOT_FOUND']);
    }
    expect(alliance.memberAlerts[watcher]!.watches.get(watch!.id)).toMatchObject({ watch });

    const renewed = await post(watcher, '/alerts/watches', renewal);
    expect(renewed.status).toBe(200);
    expect(renewed.body.watch).toMatchObject({ id: watch!.id, expiresAt: TEST_NOW + 20 * 86_400_000 });
    expect(renewed.body.recipients!.map((r) => r.member)).toEqual([...expected.keys()]);
    expect(renewed.body.dropAt).toEqual([]);
    const unjustified = await post(watcher, '/alerts/watches', { renew: watch!.id, days: 5 });
    expect([unjustified.status, codeOf(unjustified)]).toEqual([400, 'BAD_USER_INPUT']);

    const cancelled = await post(watcher, '/alerts/watches', { cancel: watch!.id });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.recipients!.map((r) => r.member)).toEqual([...expected.keys()]);
    expect(cancelled.body.cancelledAt).toBe(TEST_NOW);
    expect(await post(watcher, '/alerts/watches', { cancel: watch!.id })).toEqual(cancelled);
    const late = await post(watcher, '/alerts/watches', renewal);
    expect([late.status, codeOf(late)]).toEqual([400, 'BAD_USER_INPUT']);
    expect(alliance.memberAlerts[watcher]!.watches.get(watch!.id)!.cancelledAt).toBe(TEST_NOW);
  });

  it('a recipient holds what it was sent, from the watcher’s analyst only, and drops it for that analyst only', async () => {
    const { recipients } = (await register()).body;
    const [{ member, watch: held }] = recipients! as [{ member: string; watch: HeldWatch }];
    const at = alliance.memberAlerts[member]!.alerts;
    // Another country than the watcher, another analyst of the watcher, the watcher holding its own: refused.
    const third = members.find((m) => m !== watcher && m !== member)!;
    for (const [target, headers] of [
      [member, analyst(third, 'analyst.one')],
      [member, analyst(watcher, 'analyst.two')],
      [watcher, me],
    ] as const) {
      const refused = await post(target, '/alerts/held', held, headers);
      expect([target, refused.status, codeOf(refused)]).toEqual([target, 403, 'BAD_REQUEST']);
    }
    const malformed = await post(member, '/alerts/held', {
      ...held,
      identifiers: [{ kind: 'phone', number: '12' }],
    });
    expect([malformed.status, codeOf(malformed)]).toEqual([400, 'BAD_USER_INPUT']);
    expect(at.heldWatch(held.id)).toBeUndefined();

    const accepted = await post(member, '/alerts/held', held);
    expect(accepted).toEqual({ status: 200, body: { held } });
    expect(at.heldWatch(held.id)).toEqual(held);
    expect(acts).toContainEqual({
      member,
      act: expect.objectContaining({ act: 'watch.held', change: 'held' }),
    });
    // Held again (a renewal): still one, replaced.
    expect((await post(member, '/alerts/held', held)).status).toBe(200);

    const colleague = await post(member, '/alerts/held', { drop: held.id }, analyst(watcher, 'analyst.two'));
    expect(colleague).toEqual({ status: 200, body: { dropped: false } });
    expect(at.heldWatch(held.id)).toEqual(held);
    expect(await post(member, '/alerts/held', { drop: held.id })).toEqual({
      status: 200,
      body: { dropped: true },
    });
    expect(at.heldWatch(held.id)).toBeUndefined();
    expect(await post(member, '/alerts/held', { drop: held.id })).toEqual({
      status: 200,
      body: { dropped: false },
    });
  });

  it('a registration its audit log cannot take is withdrawn: nothing kept, nothing to send, 503', async () => {
    const before = alliance.memberAlerts[watcher]!.watches.ofAnalyst('analyst.one').length;
    logDown = true;
    try {
      const answer = await post(watcher, '/alerts/watches', { request });
      expect([answer.status, codeOf(answer)]).toEqual([503, 'AUDIT_UNAVAILABLE']);
      expect(answer.body).not.toHaveProperty('recipients');
    } finally {
      logDown = false;
    }
    expect(alliance.memberAlerts[watcher]!.watches.ofAnalyst('analyst.one')).toHaveLength(before);
  });

  it('answers a path it does not serve with 404, after the token', async () => {
    const answer = await post(watcher, '/alerts/nothing', {});
    expect([answer.status, codeOf(answer)]).toEqual([404, 'NOT_FOUND']);
  });
});

describe('alerts across members: registered at the watcher, held at the owner, relayed to the hub', () => {
  let alliance: Alliance;
  let hub: NoticeHub;
  const backend = sqliteAuditBackend();
  const logs = backend.forAlliance();
  const idle: { member: string; resolve: () => void }[] = [];

  beforeAll(async () => {
    // The hub pins each owner's key from the folder the members publish it to, as the embedded hub does.
    hub = await startNoticeHub((owner) => {
      try {
        return readFileSync(publishedNoticeKeyFile(owner, alliance.dataDir), 'utf8');
      } catch {
        return undefined;
      }
    });
    alliance = await startAlliance({
      alerts: {
        hubUrl: hub.url,
        onRelayEvent: (member, event) => {
          if (event.kind !== 'idle') return;
          for (const waiter of idle.filter((w) => w.member === member)) {
            idle.splice(idle.indexOf(waiter), 1);
            waiter.resolve();
          }
        },
      },
      // Each member records its alert acts in its own log, as its process does.
      audit: logs,
    });
  });
  afterAll(async () => {
    await alliance?.stop();
    await hub?.close();
    await backend.close();
  });

  /** The procedure records of a member's log about a watch or a notice. */
  async function procedures(member: string, about: string): Promise<Record<string, unknown>[]> {
    const url = [...logs.urls].find((u) => u.endsWith(`-${member.toLowerCase()}.db`))!;
    const reader = await openAuditReader(url);
    try {
      return (await reader.query({ kinds: ['procedure'] }))
        .map((record) => record.entry!.body as unknown as Record<string, unknown>)
        .filter((body) => body['watchId'] === about || body['noticeId'] === about);
    } finally {
      await reader.close();
    }
  }

  it('a border movement at the owner reaches the hub, signed with the key the owner published', async () => {
    const post = (member: string, path: string, body: unknown, headers: Record<string, string>) =>
      alliance.postAlerts(member, path, body, headers) as Promise<Answer>;
    for (const owner of members) {
      const { store, alerts } = alliance.memberAlerts[owner]!;
      const ids = Array.from({ length: 40 }, (_, i) => `${owner}-SUS-${String(i + 1).padStart(6, '0')}`);
      const suspect = [...store.load('Suspect', ids).values()].find((s) => s.travelDocuments.length > 0);
      if (suspect === undefined) continue;
      const document = suspect.travelDocuments[0]!;
      for (const watcher of members.filter((m) => m !== owner))
        for (const purpose of PURPOSES) {
          const me = analyst(watcher, 'analyst.one');
          const registered = await post(
            watcher,
            '/alerts/watches',
            {
              request: {
                caseReference: `${watcher}-CAS-000001`,
                purpose,
                identifiers: [
                  { kind: 'passport', number: document.number, issuingCountry: document.issuingCountry },
                ],
                justification: 'Expected to cross a border this week.',
                days: 7,
              },
            },
            me,
          );
          const sent = registered.body.recipients!.find((r) => r.member === owner);
          if (sent === undefined) continue;
          expect((await post(owner, '/alerts/held', sent.watch, me)).status).toBe(200);
          const delivered = new Promise<void>((resolve) => idle.push({ member: owner, resolve }));
          const applied = alerts.apply({
            kind: 'border_movement',
            suspect: suspect.id,
            movement: {
              direction: 'EXIT',
              crossingPoint: 'Test crossing',
              country: owner,
              at: new Date(TEST_NOW - 60_000).toISOString(),
              documentNumber: document.number,
            },
          });
          if (applied.notices.length === 0) {
            expect((await post(owner, '/alerts/held', { drop: sent.watch.id }, me)).body.dropped).toBe(true);
            continue;
          }
          await delivered;
          expect(alerts.pending()).toEqual([]);
          for (const { notice } of applied.notices)
            expect(hub.held.get(`${owner}/${notice.noticeId}`)).toEqual(notice);

          // Recorded on each side: registered at the watcher (with the clause that let the passport go to
          // the owner), held and the notice emitted at the owner (its system acting, for the watcher's analyst).
          await alliance.memberAlerts[owner]!.settled();
          const requester = { country: watcher, analysts: ['analyst.one'] };
          expect(await procedures(watcher, sent.watch.id)).toEqual([
            expect.objectContaining({
              act: 'watch.registered',
              actor: { id: 'analyst.one', country: watcher, role: 'analyst' },
              requester,
              recipients: registered.body.recipients!.map((r) => r.member),
              basis: expect.arrayContaining([expect.objectContaining({ member: owner })]),
            }),
          ]);
          const system = { id: MATCHING_SERVICE, country: owner, role: 'system' };
          expect(await procedures(owner, sent.watch.id)).toEqual(
            expect.arrayContaining([
              expect.objectContaining({ act: 'watch.held', actor: system, requester }),
              ...applied.notices.map(({ notice }): unknown =>
                expect.objectContaining({
                  act: 'notice.emitted',
                  actor: system,
                  requester,
                  noticeId: notice.noticeId,
                  eventReference: notice.eventReference,
                  subjects: [notice.subject],
                }),
              ),
            ]),
          );
          return;
        }
    }
    throw new Error('no owner, watcher and purpose of the agreements let a border movement be told');
  });
});
