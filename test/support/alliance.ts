import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HUB_NAME, MEMBERS } from '../../schema';
import { DESK_AUDIENCE, DESK_ROLE, localTrust, signDemoAnalystToken, type GatewaySigner } from '../../trust';
import { startGateway, type GatewayOptions, type RunningGateway } from '../../gateway';
import { openAlertLogFromEnv, startHub, type AlertLog } from '../../subgraphs/alliance';
import {
  startSubgraph,
  type MonotonicClock,
  type RunningServer,
  type StartSubgraphOptions,
} from '../../subgraphs/kit';
import { generateKeyPairSync } from 'node:crypto';
import {
  ALERTS_BASE_PATH,
  alertActRecorder,
  openMemberAlerts,
  openStore,
  type AlertAct,
  type MemberAlerts,
  type RelayEvent,
} from '../../subgraphs/reference';
import { DESK_BASE_PATH, deskActRecorder, mountDesk, type GrantStore } from '../../subgraphs/desk';
import { createLogger } from '../../lib/logger';
import { loadDefaultPolicy, type Policy } from '../../policy';
import type { AuditLog } from '../../audit';
import {
  openEmergencyReader,
  openEmergencyRegistry,
  registrationWindowHours,
  type EmergencyReader,
  type EmergencyRegistry,
} from '../../emergencies';
import { MEMBER_MODULES } from './members';
import { startTamperingMember, type Tamper } from './tamperingMember';

/** A fixed instant inside every scenario agreement's validity window, so tests do not age. */
export const TEST_NOW = Date.parse('2026-06-15T09:00:00Z');

export interface AllianceOptions {
  /** Subgraph name → URL that replaces the member's own (a faulty server, say); the member is not started. */
  readonly replace?: Readonly<Record<string, string>>;
  readonly subgraphTimeoutMs?: number;
  readonly onQueryPlan?: GatewayOptions['onQueryPlan'];
  readonly now?: () => number;
  readonly policy?: Policy;
  /** The gateway's own policy, when it must differ from the owners' (disagreement tests). */
  readonly gatewayPolicy?: Policy;
  readonly gatewayLogger?: GatewayOptions['logger'];
  readonly onSubgraphCall?: GatewayOptions['onSubgraphCall'];
  /** Every request made through `query`, with its answer (the explain-agrees-with-live check). */
  readonly record?: Exchange[];
  /**
   * Audit logs: the gateway writes consultations as `gateway-1`, every member its disclosures under its
   * subgraph name (`kr`, …); `open` may leave an instance without one. The alliance opens them before it
   * starts and closes them once stopped.
   */
  readonly audit?: { open(instance: string): Promise<AuditLog | undefined> };
  /** Each member's grants (subgraphs/desk), by member code; a member without holds none. */
  readonly grants?: Readonly<Record<string, GrantStore>>;
  /**
   * Each member's register of follow-up requests and hit-token secret (subgraphs/desk), by member code; a
   * member without signs no hits and takes no filings. `followUpDesks()` (test/support/followUp.ts) gives every member both.
   */
  readonly followUp?: Readonly<
    Record<
      string,
      { readonly requests: NonNullable<StartSubgraphOptions['followUpRequests']>; readonly hitKey: Buffer }
    >
  >;
  /**
   * Serve each member's desk under /desk on its own server, as subgraphs/reference/run.ts does: over the
   * member's `followUp` register and its `grants`, for officers of the member's own identity provider
   * (`Alliance.deskToken`), on the alliance's clock. A member lacking either store has no desk.
   */
  readonly desk?: boolean;
  /**
   * Serve the legal workbench under /legal (default false here, unlike production): every gateway builds
   * it at start-up in a child process, which costs seconds of CPU no other test reads. Tests of /legal
   * ask for it.
   */
  readonly legalPage?: boolean;
  /** Called as each build of the legal workbench starts. */
  readonly onLegalBuild?: GatewayOptions['onLegalBuild'];
  /** Every member's query budget (distinct search terms per foreign analyst per minute); the kit's default otherwise. */
  readonly searchTermsPerMinute?: number;
  /** Every member's query-budget clock (monotonic otherwise): the budget's minute does not run on `now`. */
  readonly searchClock?: MonotonicClock;
  /** The size of the reference world the members' stores are seeded with (the default world otherwise): for tests that need many records. */
  readonly worldSize?: number;
  /**
   * Members turned hostile, by subgraph name (`vn`): the member runs as usual, and the gateway reaches it
   * through a process of the member's that rewrites each of its answers (test/support/tamperingMember.ts).
   */
  readonly tamper?: Readonly<Record<string, Tamper>>;
  /**
   * Alerts in every member, as subgraphs/reference/run.ts opens them (subgraphs/reference/memberAlerts.ts):
   * its `/alerts` routes, a notice key of its own (published under the alliance's data folder), and, with
   * `hubUrl`, the relay of its outbox to that hub. Off by default: a test that does not ask pays nothing.
   */
  readonly alerts?: {
    /**
     * The hub the relays deliver to. Absent: the alliance's own hub, with an alert log (SQLite in the
     * alliance's folder, or PostgreSQL at `hubLogUrl`) that reads the notice keys the members publish there.
     */
    readonly hubUrl?: string;
    /** A PostgreSQL URL for the own hub's alert log (`ACCORD_ALERTS_URL`); default SQLite. */
    readonly hubLogUrl?: string;
    readonly onRelayEvent?: (member: string, event: RelayEvent) => void;
    /** Records each member's alert acts; default: into the member's audit log, with the `audit` option. */
    readonly record?: (member: string, act: AlertAct) => Promise<void>;
  };
}

/** The audit writer instance of the gateway in a test alliance. */
export const GATEWAY_INSTANCE = 'gateway-1';

export interface Exchange {
  readonly headers: Record<string, string>;
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  readonly answer: GraphQLAnswer;
  /** The gateway's id for the request (`Accord-Request-Id`), when it got that far. */
  readonly requestId?: string;
}

export interface GraphQLAnswer {
  readonly status: number;
  readonly body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
    extensions?: Record<string, unknown>;
  };
}

export interface Alliance {
  readonly gatewayUrl: string;
  readonly subgraphUrls: Readonly<Record<string, string>>;
  /**
   * POSTs an operation to the gateway. Headers made by `analyst()` are turned into what a real client
   * sends: a bearer token from the analyst's national identity provider, and the declaration headers.
   */
  query(
    query: string,
    options?: { headers?: Record<string, string>; variables?: Record<string, unknown> },
  ): Promise<GraphQLAnswer>;
  /** What a real client sends for `analyst()` headers: the analyst's bearer token and the declaration. */
  clientHeaders(headers: Record<string, string>): Promise<Record<string, string>>;
  /** POSTs straight to a subgraph as the gateway would: signed for it, with the analyst's context. */
  postAsGateway(subgraph: string, body: unknown, headers: Record<string, string>): Promise<GraphQLAnswer>;
  /** The demo identity providers' folder (tests sign their own analyst tokens with it). */
  readonly idpDir: string;
  /**
   * The data folder of this alliance's hub: its registry of emergencies (`alliance/emergencies.sqlite`) and
   * registration key, which the gateway reads (read-only) as in production.
   */
  readonly dataDir: string;
  /** The gateway's signer (tests forge and replay with it), and its key folder. */
  readonly signer: GatewaySigner;
  readonly gatewayKeyDir: string;
  /** The audit logs by writer instance (`gateway-1`, `kr`, …), with the `audit` option. */
  readonly auditLogs: ReadonlyMap<string, AuditLog>;
  /** Each member's desk (`http://127.0.0.1:<port>/desk`) by member code, with the `desk` option. */
  readonly deskUrls: Readonly<Record<string, string>>;
  /** Each member's alerts by member code, with the `alerts` option. */
  readonly memberAlerts: Readonly<Record<string, MemberAlerts>>;
  /** The own hub's alert log, with the `alerts` option and no `hubUrl`. */
  readonly hubAlertLog?: AlertLog;
  /**
   * POSTs a JSON body to a member's alert route (`/alerts/watches`, `/alerts/held`) as the gateway would:
   * signed for the member, with the analyst's context (`analyst()` headers). Answers the status and body.
   */
  postAlerts(
    country: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<{ status: number; body: unknown }>;
  /** A token of `country`'s identity provider for the desk's audience, with the desk role unless `roles` say otherwise. */
  deskToken(country: string, officer: string, roles?: readonly string[]): Promise<string>;
  stop(): Promise<void>;
}

/** The whole alliance in this process, every server on 127.0.0.1 with port 0, stores in memory. */
export async function startAlliance(options: AllianceOptions = {}): Promise<Alliance> {
  const now = options.now ?? (() => TEST_NOW);
  const policy = options.policy ?? loadDefaultPolicy();
  const servers: RunningServer[] = [];
  const subgraphUrls: Record<string, string> = { ...options.replace };
  const deskUrls: Record<string, string> = {};
  const memberAlerts: Record<string, MemberAlerts> = {};
  // Each member's own server (a tampering member's proxy aside): where its alert routes are.
  const memberUrls: Record<string, string> = {};
  // Keys of this alliance only: the members' demo identity providers and the gateway's signing key.
  const trustDir = mkdtempSync(join(tmpdir(), 'accord-trust-'));
  const trust = localTrust(
    trustDir,
    MEMBERS.map((m) => m.code),
  );
  const { idpDir, gatewayKeyDir: gatewayKeys } = trust;
  const signer = trust.signer();
  const gatewayTokens = (audience: string) => trust.gatewayTokens(audience);
  const tokens = new Map<string, string>();
  const auditLogs = new Map<string, AuditLog>();
  const openAudit = async (instance: string): Promise<AuditLog | undefined> => {
    if (!options.audit) return undefined;
    const log = await options.audit.open(instance);
    if (log) auditLogs.set(instance, log);
    return log;
  };
  // The hub's registry of emergencies and the gateway's read-only view of it, in this alliance's own folder.
  let emergencies: EmergencyRegistry | undefined;
  let alertLog: AlertLog | undefined;
  let emergencyReader: EmergencyReader | undefined;
  const stopAll = async (): Promise<void> => {
    // The relays first: they read the stores the servers close.
    await Promise.all(Object.values(memberAlerts).map((alerts) => alerts.stop()));
    await Promise.all(servers.map((server) => server.stop()));
    await alertLog?.close();
    emergencyReader?.close();
    emergencies?.close();
    // Once nothing writes any more: each log is sealed with its writer's final checkpoint.
    await Promise.all([...auditLogs.values()].map((log) => log.close()));
    rmSync(trustDir, { recursive: true, force: true });
  };
  async function clientHeaders(headers: Record<string, string>): Promise<Record<string, string>> {
    const { 'accord-country': country, 'accord-analyst': analystId, ...rest } = headers;
    if (!country || !analystId) return headers;
    const key = `${country}/${analystId}`;
    let token = tokens.get(key);
    if (!token) {
      token = await trust.analystToken(country, analystId);
      tokens.set(key, token);
    }
    return { ...rest, authorization: `Bearer ${token}` };
  }
  try {
    // The hub first, as npm start starts it: the members' alert relays deliver to it.
    let hubOrigin = options.alerts?.hubUrl;
    if (!options.replace?.[HUB_NAME]) {
      emergencies = openEmergencyRegistry({
        dataDir: trustDir,
        windowHours: registrationWindowHours(policy.set),
      });
      // The hub records its registrations in its own log (instance `alliance`), as its process does.
      const hubAudit = await openAudit(HUB_NAME);
      // Its alert log when the members' alerts go to it, opened as its process opens it (from the environment).
      if (options.alerts && options.alerts.hubUrl === undefined)
        alertLog = await openAlertLogFromEnv({
          env: options.alerts.hubLogUrl ? { ACCORD_ALERTS_URL: options.alerts.hubLogUrl } : {},
          dataDir: trustDir,
          members: MEMBERS.map((m) => m.code),
          now,
        });
      const hub = await startHub({
        host: '127.0.0.1',
        port: 0,
        gatewayTokens: gatewayTokens(HUB_NAME),
        now,
        emergencies,
        ...(hubAudit ? { audit: hubAudit } : {}),
        ...(alertLog ? { alerts: alertLog } : {}),
      });
      servers.push(hub);
      subgraphUrls[HUB_NAME] = hub.url;
      if (alertLog) hubOrigin = new URL(hub.url).origin;
    }
    for (const member of MEMBER_MODULES) {
      const name = member.COUNTRY.toLowerCase();
      if (options.replace?.[name]) continue;
      const store = openStore({
        country: member.COUNTRY,
        file: ':memory:',
        ...(options.worldSize !== undefined ? { size: options.worldSize } : {}),
      });
      const audit = await openAudit(name);
      const grants = options.grants?.[member.COUNTRY];
      const followUp = options.followUp?.[member.COUNTRY];
      // The desk as the member's own process mounts it (subgraphs/reference/run.ts), with this alliance's
      // identity provider of the member.
      // With the audit on, its acts are recorded in the member's log before each answer, as run.ts does.
      const deskLogger = createLogger(`desk-${name}`);
      const recorder =
        options.desk && followUp && grants && audit
          ? deskActRecorder(
              audit,
              member.COUNTRY,
              {
                request: (id) => followUp.requests.get(id),
                grant: (id) => grants.get(id),
                revoke: (id, at, by) => grants.revoke(id, at, by),
              },
              (error, record) =>
                deskLogger.error(
                  { err: error, act: record.act },
                  'a desk act could not be recorded in the audit log',
                ),
            )
          : undefined;
      const desk =
        options.desk && followUp && grants
          ? mountDesk({
              owner: member.COUNTRY,
              policy,
              requests: followUp.requests,
              grants,
              issuer: trust.issuers[member.COUNTRY],
              logger: deskLogger,
              now,
              ...(recorder !== undefined && { record: recorder.record }),
            })
          : undefined;
      const verifier = gatewayTokens(name);
      const alertOptions = options.alerts;
      const alerts =
        alertOptions &&
        openMemberAlerts({
          store,
          policy,
          key: generateKeyPairSync('ed25519').privateKey,
          members: MEMBERS.map((m) => m.code),
          gatewayTokens: verifier,
          logger: createLogger(`alerts-${name}`),
          now,
          publishDir: trustDir,
          ...(hubOrigin !== undefined && { hubUrl: hubOrigin }),
          ...(alertOptions.onRelayEvent && {
            onRelayEvent: (event: RelayEvent) => alertOptions.onRelayEvent!(member.COUNTRY, event),
          }),
          // The test's own recorder, or else the member's audit log, as run.ts records them.
          ...(alertOptions.record
            ? { record: (act: AlertAct) => alertOptions.record!(member.COUNTRY, act) }
            : audit && { record: alertActRecorder(audit, member.COUNTRY) }),
        });
      if (alerts) memberAlerts[member.COUNTRY] = alerts;
      const running = await startSubgraph(member.createSystem({ store }), {
        host: '127.0.0.1',
        port: 0,
        policy,
        now,
        gatewayTokens: verifier,
        ...(audit ? { audit } : {}),
        ...(grants ? { grants } : {}),
        ...(followUp ? { followUpRequests: followUp.requests, hitKey: followUp.hitKey } : {}),
        ...(desk || alerts ? { prefixRoutes: { ...desk, ...alerts?.routes } } : {}),
        ...(options.searchTermsPerMinute !== undefined
          ? { searchTermsPerMinute: options.searchTermsPerMinute }
          : {}),
        ...(options.searchClock ? { searchClock: options.searchClock } : {}),
      });
      servers.push(running);
      subgraphUrls[name] = running.url;
      memberUrls[name] = running.url;
      const tamper = options.tamper?.[name];
      if (tamper) {
        const hostile = await startTamperingMember(running.url, tamper);
        servers.push(hostile);
        subgraphUrls[name] = hostile.url;
      }
      if (desk) deskUrls[member.COUNTRY] = `${new URL(running.url).origin}${DESK_BASE_PATH}`;
    }
    const gatewayAudit = await openAudit(GATEWAY_INSTANCE);
    emergencyReader = openEmergencyReader({ dataDir: trustDir });
    const gateway: RunningGateway = await startGateway({
      ...(gatewayAudit ? { audit: gatewayAudit } : {}),
      analysts: trust.analysts(),
      signer,
      host: '127.0.0.1',
      port: 0,
      subgraphUrls,
      subgraphTimeoutMs: options.subgraphTimeoutMs,
      onQueryPlan: options.onQueryPlan,
      onSubgraphCall: options.onSubgraphCall,
      policy: options.gatewayPolicy ?? policy,
      logger: options.gatewayLogger,
      now,
      legalPage: options.legalPage ?? false,
      emergencies: emergencyReader,
      ...(options.onLegalBuild ? { onLegalBuild: options.onLegalBuild } : {}),
    });
    servers.push(gateway);
    return {
      gatewayUrl: gateway.url,
      subgraphUrls,
      idpDir,
      dataDir: trustDir,
      signer,
      gatewayKeyDir: gatewayKeys,
      auditLogs,
      deskUrls,
      memberAlerts,
      ...(alertLog ? { hubAlertLog: alertLog } : {}),
      async postAlerts(country, path, body, headers) {
        const name = country.toLowerCase();
        const text = JSON.stringify(body);
        const ctx = Object.fromEntries(
          Object.entries(headers).filter(([header]) => header.startsWith('accord-')),
        );
        const token = signer.sign({ audience: name, scope: 'query', ctx, body: text });
        const url = new URL(
          path.startsWith(ALERTS_BASE_PATH) ? path : `${ALERTS_BASE_PATH}${path}`,
          memberUrls[name],
        );
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: text,
        });
        return { status: response.status, body: (await response.json()) as unknown };
      },
      deskToken: (country, officer, roles = [DESK_ROLE]) =>
        signDemoAnalystToken({ dir: idpDir, country, analyst: officer, roles, audience: DESK_AUDIENCE }),
      clientHeaders,
      async query(query, { headers = {}, variables } = {}) {
        const { answer, requestId } = await postReading(
          gateway.url,
          { query, variables },
          await clientHeaders(headers),
        );
        options.record?.push({ headers, query, variables, answer, ...(requestId ? { requestId } : {}) });
        return answer;
      },
      postAsGateway(subgraph, body, headers) {
        const text = JSON.stringify(body);
        const ctx = Object.fromEntries(
          Object.entries(headers).filter(([name]) => name.startsWith('accord-')),
        );
        const token = signer.sign({ audience: subgraph, scope: 'query', ctx, body: text });
        return post(subgraphUrls[subgraph]!, text, { authorization: `Bearer ${token}` });
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<GraphQLAnswer> {
  return (await postReading(url, body, headers)).answer;
}

/** POSTs, and reads the gateway's request id from the answer's headers. */
async function postReading(
  url: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ answer: GraphQLAnswer; requestId?: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: GraphQLAnswer['body'];
  try {
    parsed = JSON.parse(text) as GraphQLAnswer['body'];
  } catch {
    throw new Error(`Not JSON (HTTP ${response.status}): ${text.slice(0, 200)}`);
  }
  const requestId = response.headers.get('accord-request-id');
  return { answer: { status: response.status, body: parsed }, ...(requestId ? { requestId } : {}) };
}

/**
 * Headers of an analyst's request: who asks (`Alliance.query` turns the country and analyst into a token
 * of the country's identity provider) and why (the `Accord-*` declaration).
 */
export function analyst(
  country: string,
  analystId: string,
  declaration: Record<string, string> = {},
): Record<string, string> {
  const headers: Record<string, string> = { 'accord-country': country, 'accord-analyst': analystId };
  for (const [name, value] of Object.entries(declaration)) headers[`accord-${name}`] = value;
  return headers;
}
