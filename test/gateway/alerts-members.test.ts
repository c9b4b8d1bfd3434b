// Registering, renewing and cancelling a watch through the gateway's alert API, over HTTP
// (gateway/alerts/httpAlertBackend.ts), with the reference members' own alert routes (subgraphs/reference)
// and the real hub with its alert log (subgraphs/alliance), all in this process: the watcher decides where
// the watch goes, the hub registers it before anyone holds it, each recipient holds its part, and a
// cancellation reaches them all. Which members receive it is the watcher's policy's, read from the answer
// and from the members' own stores, never listed here.
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { noticePublicKey } from '../../alerts';
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
import { openSqliteAlertLog, pinnedNoticeKeys, startHub, type AlertLog } from '../../subgraphs/alliance';
import type { RunningServer } from '../../subgraphs/kit';
import { TEST_NOW, startAlliance, type Alliance } from '../support/alliance';
import { postAlerts } from './alertsSupport';

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
  const pinned = Object.fromEntries(
    CODES.map((code) => [code, noticePublicKey(generateKeyPairSync('ed25519').privateKey)]),
  );
  log = openSqliteAlertLog({
    file: join(alliance.dataDir, 'alliance-alerts.sqlite'),
    keys: pinnedNoticeKeys(JSON.stringify(pinned), CODES),
    now: () => TEST_NOW,
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
