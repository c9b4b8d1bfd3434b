// Registering, renewing and cancelling a watch through the gateway's alert API, over HTTP
// (gateway/alerts/httpAlertBackend.ts), with the reference members' own alert routes (subgraphs/reference)
// and the real hub with its alert log (subgraphs/alliance), all in this process: the watcher decides where
// the watch goes, the hub registers it before anyone holds it, each recipient holds its part, and a
// cancellation reaches them all. Which members receive it is the watcher's policy's, read from the answer
// and from the members' own stores, never listed here.
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MATCHING_SERVICE, eventCategory, identifierCategory } from '../../alerts';
import { startGateway, type RunningGateway } from '../../gateway';
import { HUB_NAME, MEMBERS } from '../../schema';
import {
  DEFAULT_ANALYST_AUDIENCE,
  createAnalystVerifier,
  createGatewayTokenVerifier,
  ensureDemoIdentityProviders,
  ensureGatewayKeys,
  signDemoAnalystToken,
} from '../../trust';
import {
  folderNoticeKeys,
  noticeKeyFolder,
  openSqliteAlertLog,
  startHub,
  type AlertLog,
} from '../../subgraphs/alliance';
import { loadDefaultPolicy } from '../../policy';
import { PURPOSES } from '../../vocabulary';
import type { RunningServer } from '../../subgraphs/kit';
import { TEST_NOW, startAlliance, type Alliance } from '../support/alliance';
import { ALERTS_SUBSCRIPTION, openStream, postAlerts } from './alertsSupport';

const CODES = MEMBERS.map((member) => member.code);
const WATCHER = CODES[0]!;
const analyst = 'members.t';

let alliance: Alliance;
let log: AlertLog;
let hub: RunningServer;
let gateway: RunningGateway;
let alertsUrl: string;
let token: string;

beforeAll(async () => {
  alliance = await startAlliance({ alerts: {} });
  // The keys the members published when they started, as the hub reads them on one machine. A log of this
  // test's own hub, beside the alliance's (whose relays deliver to the alliance's hub): the test appends
  // the owner's outbox here itself.
  log = openSqliteAlertLog({
    file: join(alliance.dataDir, 'test-hub-alerts.sqlite'),
    keys: folderNoticeKeys(noticeKeyFolder(alliance.dataDir), CODES),
  });
  hub = await startHub({
    gatewayTokens: createGatewayTokenVerifier({
      trusted: ensureGatewayKeys(alliance.gatewayKeyDir).jwksFile,
      audience: HUB_NAME,
    }),
    alerts: log,
    metrics: false,
    now: () => TEST_NOW,
  });
  gateway = await startGateway({
    analysts: createAnalystVerifier({
      issuers: ensureDemoIdentityProviders(alliance.idpDir, CODES),
      audience: DEFAULT_ANALYST_AUDIENCE,
    }),
    signer: alliance.signer,
    port: 0,
    now: () => TEST_NOW,
    subgraphUrls: { ...alliance.subgraphUrls, [HUB_NAME]: hub.url },
    legalPage: false,
    explorer: false,
    metrics: false,
  });
  alertsUrl = gateway.url.replace(/\/graphql$/, '/alerts');
  token = await signDemoAnalystToken({
    dir: alliance.idpDir,
    country: WATCHER,
    analyst,
    audience: DEFAULT_ANALYST_AUDIENCE,
  });
});

afterAll(async () => {
  await gateway?.stop();
  await hub?.stop();
  await log?.close();
  await alliance?.stop();
});

const ask = (query: string, variables?: Record<string, unknown>) =>
  postAlerts(alertsUrl, token, { query, ...(variables && { variables }) });

interface Registration {
  watch: { id: string; recipients: string[]; running: boolean; expiresAt: string };
  unreached: string[];
}

const FIELDS = 'watch { id recipients running expiresAt } unreached';

it('registers, renews and cancels a watch at the real members and hub', async () => {
  const registered = await ask(
    `mutation ($input: WatchInput!) { registerWatch(input: $input) { ${FIELDS} } }`,
    {
      input: {
        caseReference: `${WATCHER}-CAS-000001`,
        purpose: 'investigation',
        identifiers: [{ kind: 'passport', number: 'M1234567', issuingCountry: WATCHER }],
        justification: 'The suspect is believed to travel to the region this month.',
        days: 7,
      },
    },
  );
  expect(registered.body.errors).toBeUndefined();
  const { watch, unreached } = registered.body.data!['registerWatch'] as Registration;
  expect(unreached).toEqual([]);
  expect(watch.running).toBe(true);
  // The watcher keeps it whole; exactly the recipients it named hold it; the hub registered it for them.
  expect(alliance.memberAlerts[WATCHER]!.watches.get(watch.id)?.watch.analyst).toBe(analyst);
  const holding = CODES.filter(
    (code) => alliance.memberAlerts[code]!.alerts.heldWatch(watch.id) !== undefined,
  );
  expect([...holding].sort()).toEqual(watch.recipients);
  expect(await log.watch(watch.id)).toEqual(
    expect.objectContaining({
      watcher: WATCHER,
      analyst,
      recipients: expect.arrayContaining(watch.recipients),
    }),
  );

  const renewed = await ask(
    `mutation { renewWatch(id: "${watch.id}", justification: "Still expected to travel, per the liaison officer.", days: 3) { ${FIELDS} } }`,
  );
  expect(renewed.body.errors).toBeUndefined();
  const after = (renewed.body.data!['renewWatch'] as Registration).watch;
  expect(after.expiresAt).toBe(new Date(TEST_NOW + 3 * 86_400_000).toISOString());
  expect((await log.watch(watch.id))?.expiresAt).toBe(TEST_NOW + 3 * 86_400_000);
  for (const code of watch.recipients)
    expect(alliance.memberAlerts[code]!.alerts.heldWatch(watch.id)?.expiresAt).toBe(
      TEST_NOW + 3 * 86_400_000,
    );

  const cancelled = await ask(`mutation { cancelWatch(id: "${watch.id}") { ${FIELDS} } }`);
  expect(cancelled.body.errors).toBeUndefined();
  expect((cancelled.body.data!['cancelWatch'] as Registration).watch.running).toBe(false);
  expect((await log.watch(watch.id))?.cancelledAt).toBe(TEST_NOW);
  for (const code of CODES) expect(alliance.memberAlerts[code]!.alerts.heldWatch(watch.id)).toBeUndefined();
});

it('answers a watch the member does not know of as not found', async () => {
  const { body } = await ask(
    `mutation { renewWatch(id: "${WATCHER}-WCH-00000000-0000-4000-8000-000000000000", justification: "Still expected to travel, per the liaison officer.", days: 3) { ${FIELDS} } }`,
  );
  expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
});

it('says why a renewal was refused, in the message itself', async () => {
  const registered = await ask(
    `mutation ($input: WatchInput!) { registerWatch(input: $input) { ${FIELDS} } }`,
    {
      input: {
        caseReference: `${WATCHER}-CAS-000002`,
        purpose: 'investigation',
        identifiers: [{ kind: 'passport', number: 'M7654321', issuingCountry: WATCHER }],
        justification: 'The suspect is believed to travel to the region this month.',
        days: 7,
      },
    },
  );
  const { id } = (registered.body.data!['registerWatch'] as Registration).watch;
  const renew = (justification: string) =>
    ask(
      `mutation ($id: ID!, $justification: String!) { renewWatch(id: $id, justification: $justification, days: 3) { ${FIELDS} } }`,
      { id, justification },
    );
  const messageOf = (answer: Awaited<ReturnType<typeof ask>>) => {
    expect(answer.body.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const [error] = answer.body.errors!;
    const problems = error!.extensions?.['problems'] ?? [];
    expect(problems.length).toBeGreaterThan(0);
    // Every reason is in the message, not only in problems.
    for (const problem of problems) expect(error!.message).toContain(problem);
    return error!.message;
  };
  expect(messageOf(await renew(''))).toMatch(/not renewed: justification/);
  await ask(`mutation { cancelWatch(id: "${id}") { ${FIELDS} } }`);
  expect(messageOf(await renew('Still expected to travel, per the liaison officer.'))).toMatch(
    /not renewed: .*cancelled; register a new one/,
  );
});

/**
 * A watcher, an owner and a purpose such that the watcher's rules send a passport to the owner and the
 * owner's give the watcher at least a hit on it and on a border movement (the shipped policy, read here).
 */
function crossing(): { watcher: string; owner: string; purpose: (typeof PURPOSES)[number] } {
  const policy = loadDefaultPolicy();
  for (const watcher of CODES)
    for (const owner of CODES.filter((code) => code !== watcher))
      for (const purpose of PURPOSES) {
        const sends = policy.decide({
          owner: watcher,
          requester: {
            country: owner,
            analyst: MATCHING_SERVICE,
            roles: [],
            purpose,
            caseReference: `${watcher}-CAS-000001`,
          },
          category: identifierCategory(watcher, 'passport'),
          at: TEST_NOW,
          grants: new Map(),
        });
        const requester = {
          country: watcher,
          analyst,
          roles: [],
          purpose,
          caseReference: `${watcher}-CAS-000001`,
        };
        const tells = [identifierCategory(owner, 'passport'), eventCategory(owner, 'border_movement')].every(
          (category) =>
            policy.decide({ owner, requester, category, at: TEST_NOW, grants: new Map() }).effect !==
            'withhold',
        );
        if (sends.effect === 'release' && tells) return { watcher, owner, purpose };
      }
  throw new Error('test setup: no watcher sends a passport to an owner that would tell it of a crossing');
}

it("end to end: a watched passport crosses a border at its owner, and the watcher's analyst is told, references only", async () => {
  const { watcher, owner, purpose } = crossing();
  const { store, alerts } = alliance.memberAlerts[owner]!;
  const ids = Array.from({ length: 40 }, (_, i) => `${owner}-SUS-${String(i + 1).padStart(6, '0')}`);
  const suspect = [...store.load('Suspect', ids).values()].find((found) => found.travelDocuments.length > 0)!;
  const document = suspect.travelDocuments[0]!;
  const own = await signDemoAnalystToken({
    dir: alliance.idpDir,
    country: watcher,
    analyst,
    audience: DEFAULT_ANALYST_AUDIENCE,
  });
  const registered = await postAlerts(alertsUrl, own, {
    query: `mutation ($input: WatchInput!) { registerWatch(input: $input) { ${FIELDS} } }`,
    variables: {
      input: {
        caseReference: `${watcher}-CAS-000001`,
        purpose,
        identifiers: [{ kind: 'passport', number: document.number, issuingCountry: document.issuingCountry }],
        justification: 'Expected to cross a border this week, per the liaison officer.',
        days: 7,
      },
    },
  });
  const { watch } = registered.body.data!['registerWatch'] as Registration;
  expect(watch.recipients).toContain(owner);

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
  expect(applied.notices.map(({ notice }) => notice.watchId)).toEqual([watch.id]);
  // What the owner's relay does: its outbox's bytes and signatures, unchanged, to the hub.
  const outcomes = await log.append(
    alerts.pending().map((entry) => ({ body: entry.body, signature: entry.signed.signature })),
    TEST_NOW,
  );
  expect(outcomes.map((outcome) => outcome.status)).toEqual(['stored']);

  const stream = await openStream(alertsUrl, own, { query: ALERTS_SUBSCRIPTION });
  const event = await stream.next();
  stream.close();
  expect(event?.event).toBe('next');
  const alert = (JSON.parse(event!.data) as { data: { alerts: Record<string, unknown> } }).data.alerts;
  const notice = applied.notices[0]!.notice;
  expect(alert).toEqual(
    expect.objectContaining({
      cursor: event!.id,
      owner,
      noticeId: notice.noticeId,
      watchId: watch.id,
      event: 'border_movement',
      subject: suspect.id,
      eventReference: applied.eventReference,
    }),
  );
  // References only: no value of the suspect's record is in what the analyst got.
  for (const value of [document.number, suspect.fullName, 'Test crossing'])
    expect(JSON.stringify(alert)).not.toContain(value);
  // And the analyst can check the owner's signature with the key the owner published.
  const signature = alert['signature'] as { value: string; signedBytes: string };
  const key = createPublicKey({
    key: Buffer.from(
      readFileSync(join(noticeKeyFolder(alliance.dataDir), `${owner}.spki`), 'utf8').trim(),
      'base64',
    ),
    format: 'der',
    type: 'spki',
  });
  expect(verify(null, Buffer.from(signature.signedBytes), key, Buffer.from(signature.value, 'base64'))).toBe(
    true,
  );
});
