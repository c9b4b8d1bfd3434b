import { MEMBERS } from '../../schema';
import { devAssert } from '../../vocabulary';
import {
  DEFAULT_SEARCH_TERMS_PER_MINUTE,
  cursorKeysFrom,
  gatewayTokensFromEnv,
  sharedSearchBudgetFromEnv,
  startSubgraph,
  type NationalSystem,
  type PostgresSearchBudget,
} from '../kit';
import { announceAndHold, exitOnStartFailure } from '../../lib/process';
import { openAuditLogFromEnv } from '../../audit';
import { createLogger } from '../../lib/logger';
import { openStore, storeFile } from './store';
import { memberConfigFromEnv } from './config';
import {
  deskActRecorder,
  deskFile,
  deskIssuerFromEnv,
  ensureGrantKey,
  ensureHitKey,
  grantKeyFile,
  hitKeyFile,
  mountDesk,
  openGrantStore,
  openRequestStore,
} from '../desk';
import { loadDefaultPolicy } from '../../policy';
import { ensureNoticeKey } from '../../alerts';
import { openMemberAlerts, type MemberAlerts } from './memberAlerts';
import { createActivitySimulator, type ActivitySimulator } from './simulator';
import { noticeKeyFile } from './noticeKeys';
import { alertActRecorder } from './alertRecords';
import type { NationalSystemOptions } from './system';
import type { ReferenceRecords } from './resolvers';
import type { RelayEvent } from './relay';

/**
 * What a harness that drives a member's process may add (bench/alertOwnerProcess.ts: the alerts scenario's
 * owner, whose record changes come from the benchmark): told of the relay's events, and given the member's
 * alerts once it serves. A member's own process passes none.
 */
export interface NationalSubgraphHarness {
  readonly onRelayEvent?: (event: RelayEvent) => void;
  readonly onRunning?: (alerts: MemberAlerts) => void;
}

/**
 * The life of a reference member's process (subgraphs/<cc>/main.ts): read the environment, open (and on
 * first start seed) the member's store, serve its subgraph, announce readiness, and stop cleanly.
 *
 * Environment: read once by subgraphs/reference/config.ts (memberConfigFromEnv), which says which
 * variables and who reads the rest (the audit log, the gateway's keys, the desk's identity provider).
 * When listening it prints one line and, under a supervisor, sends `{ type: 'ready', name: '<cc>', url }`;
 * SIGTERM/SIGINT stop the server, close the store, exit 0.
 */
export function runNationalSubgraph(
  country: string,
  createSystem: (options: NationalSystemOptions) => NationalSystem<ReferenceRecords>,
  harness: NationalSubgraphHarness = {},
): void {
  start(country, createSystem, harness).catch((error: unknown) =>
    exitOnStartFailure(`The ${country.toLowerCase()} subgraph`, error),
  );
}

async function start(
  country: string,
  createSystem: (options: NationalSystemOptions) => NationalSystem<ReferenceRecords>,
  harness: NationalSubgraphHarness,
): Promise<void> {
  const member = MEMBERS.find((m) => m.code === country);
  // The country comes from the member's own folder (subgraphs/<cc>/main.ts), not from the environment.
  devAssert(
    member,
    `"${country}" is not a member (schema/members.ts lists ${MEMBERS.map((m) => m.code).join(', ')}).`,
  );
  // Every setting, read and checked before the store opens: a bad one stops the start with a clear message.
  const config = memberConfigFromEnv(member.defaultPort, process.env, country);
  const { host, port, clock, searchTermsPerMinute } = config;
  const dir = config.storeDir;
  const store = openStore({
    country,
    file: storeFile(country, dir),
    seed: config.seed,
    size: config.size,
  });
  // The owner's grants, beside its records: what its desk approved (npm run desk).
  const grants = openGrantStore({
    owner: country,
    file: deskFile(country, dir),
    key: ensureGrantKey(grantKeyFile(country, dir)),
  });
  // Its desk (/desk on this server, for its own officers only): the formal requests filed with it, which
  // its subgraph files into (fileFollowUpRequest<CC>); and the secret its hit tokens are signed with.
  const requests = openRequestStore({ owner: country, file: deskFile(country, dir) });
  const hitKey = ensureHitKey(hitKeyFile(country, dir));
  // Its notice key, beside its grant key: the owner signs its alert notices with it (alerts/notice.ts).
  const noticeKey = ensureNoticeKey(noticeKeyFile(country, dir));
  const policy = loadDefaultPolicy();
  let running;
  let alerts: MemberAlerts | undefined;
  let sharedBudget: PostgresSearchBudget | undefined;
  let audit;
  let gatewayTokens;
  let deskRecorder: ReturnType<typeof deskActRecorder> | undefined;
  try {
    // Each process its own chain (ACCORD_MEMBER_INSTANCE), in the member's log.
    audit = await openAuditLogFromEnv({
      instance: config.auditInstance,
      logOf: country.toLowerCase(),
      dataDir: config.dataDir,
      env: config.env,
    });
    createLogger(`subgraph-${country.toLowerCase()}`).info(audit.summary);
    const deskLogger = createLogger(`desk-${country.toLowerCase()}`);
    deskRecorder =
      audit.log &&
      deskActRecorder(
        audit.log,
        country,
        {
          request: (id) => requests.get(id),
          grant: (id) => grants.get(id),
          revoke: (id, at, by) => grants.revoke(id, at, by),
        },
        (error, record) =>
          deskLogger.error(
            { err: error, act: record.act },
            'a desk act could not be recorded in the audit log',
          ),
      );
    // In memory, or shared with the member's other processes (ACCORD_SHARED_STATE_URL): reached now, or no start.
    gatewayTokens = await gatewayTokensFromEnv(country.toLowerCase(), config.env, config.dataDir);
    // The query budget, in the same shared database when there is one: n processes, one budget.
    sharedBudget = await sharedSearchBudgetFromEnv(
      country,
      searchTermsPerMinute ?? DEFAULT_SEARCH_TERMS_PER_MINUTE,
      config.env,
    );
    // Alerts (docs/decisions/0019-alert-delivery.md): its /alerts routes for the gateway, its public notice key
    // published for the hub, and the relay of its outbox to the hub when ACCORD_HUB_URL names one.
    const alertLogger = createLogger(`alerts-${country.toLowerCase()}`);
    if (config.hubUrl === undefined)
      alertLogger.warn('ACCORD_HUB_URL is not set: alert notices stay in the outbox until it is');
    alerts = openMemberAlerts({
      store,
      policy,
      key: noticeKey,
      members: MEMBERS.map((m) => m.code),
      gatewayTokens,
      logger: alertLogger,
      now: clock.now,
      publishDir: config.dataDir,
      ...(config.hubUrl !== undefined && { hubUrl: config.hubUrl }),
      ...(harness.onRelayEvent !== undefined && { onRelayEvent: harness.onRelayEvent }),
      // Its alert acts join its audit log (procedure records), beside its disclosures and its desk's acts.
      ...(audit.log && { record: alertActRecorder(audit.log, country) }),
    });
    running = await startSubgraph(createSystem({ store }), {
      host,
      port,
      gatewayTokens,
      now: clock.now,
      metrics: config.metrics,
      ...(audit.log ? { audit: audit.log } : {}),
      grants,
      followUpRequests: requests,
      hitKey,
      // Derived from the member's secret in its data folder: every process of the member reads the
      // cursors of the others, and a cursor outlives a restart (a load balancer may send the next page
      // to another process).
      cursorKeys: cursorKeysFrom(hitKey),
      policy,
      ...(searchTermsPerMinute !== undefined ? { searchTermsPerMinute } : {}),
      ...(sharedBudget ? { searchBudget: sharedBudget } : {}),
      // The desk's acts join the owner's audit log (procedure records), beside its disclosures.
      prefixRoutes: {
        ...alerts.routes,
        ...mountDesk({
          owner: country,
          policy,
          requests,
          grants,
          issuer: deskIssuerFromEnv(country, config.env, config.dataDir),
          logger: deskLogger,
          now: clock.now,
          ...(deskRecorder !== undefined && { record: deskRecorder.record }),
        }),
      },
    });
  } catch (error) {
    await alerts?.stop();
    await sharedBudget?.close();
    await gatewayTokens?.close();
    await audit?.log?.close();
    requests.close();
    grants.close();
    store.close();
    throw error;
  }
  const server = running;
  const log = audit.log;
  const verifier = gatewayTokens;
  const budget = sharedBudget;
  const memberAlerts = alerts;
  // The demo's activity (ACCORD_SIMULATE, on under npm start): a record changes every few seconds, so that
  // a watch registered from the README fires soon. Stopped before the relay and the store.
  const simulator = config.simulate ? startSimulator(memberAlerts, clock.now) : undefined;
  // The relay stops first (it reads the store); stopping the server closes the system, which closes the
  // store; then the log is sealed and closed.
  announceAndHold(country.toLowerCase(), server, async () => {
    simulator?.stop();
    await memberAlerts.stop();
    await server.stop();
    await budget?.close();
    await verifier.close();
    // The desk's acts still being recorded are durable before the log is sealed.
    await deskRecorder?.settled();
    requests.close();
    grants.close();
    await log?.close();
  });
  harness.onRunning?.(memberAlerts);
}

/**
 * The activity simulator over the member's alerts. A change that gave notices is logged at info (a
 * newcomer's watch fired); the others at debug, so that npm start's banner does not scroll away.
 */
function startSimulator(memberAlerts: MemberAlerts, now: () => number): ActivitySimulator {
  const logger = createLogger(`simulator-${memberAlerts.store.country.toLowerCase()}`);
  const simulator = createActivitySimulator({
    store: memberAlerts.store,
    alerts: memberAlerts.alerts,
    now,
    onChange: ({ change, applied, watched }) =>
      logger[applied.notices.length > 0 ? 'info' : 'debug'](
        { change: change.kind, event: applied.eventReference, notices: applied.notices.length, watched },
        'simulated a record change',
      ),
    onError: (error) => logger.warn({ err: error }, 'a simulated record change was not applied'),
  });
  simulator.start();
  logger.info('the activity simulator changes a record every few seconds (ACCORD_SIMULATE; demo only)');
  return simulator;
}
