import { validateSearchTermsPerMinute } from '../kit';
import { clockFromEnv, type Clock } from '../../lib/clock';
import { envFlag, envText, type Env } from '../../lib/env';
import { dataDir, hostFromEnv, portFromEnv } from '../../lib/process';
import { DEFAULT_DATA_DIR } from './store';

/**
 * Everything a reference member's process (subgraphs/<cc>/main.ts) reads from its environment, read
 * here, once, at start-up, each value checked with a message that names its variable (docs/operations.md
 * has the table):
 *
 * - `HOST` (lib/process.ts hostFromEnv: default 127.0.0.1, also when empty), `PORT` (default the member's
 *   defaultPort in schema/members.ts)
 * - `ACCORD_DATA_DIR` (default `<project>/data`; the store is `<dir>/<cc>.sqlite`), `ACCORD_SEED` and
 *   `ACCORD_SIZE` (the reference world, world/)
 * - `ACCORD_SEARCH_TERMS_PER_MINUTE`: the member's query budget (distinct search terms one foreign
 *   analyst may put to it per minute; subgraphs/kit/search/searchBudget.ts)
 * - `ACCORD_CLOCK` with `ACCORD_DEV` (lib/clock.ts)
 * - `ACCORD_METRICS`: serve GET /metrics (lib/metrics.ts; default on)
 * - `ACCORD_MEMBER_INSTANCE`: this process's writer instance in the audit log, `<cc>` (the default) or
 *   `<cc>-<suffix>` (`kr-1`, `kr-2`): each of a member's processes writes its own chain, so each needs its own
 *   name; the log stays the member's (`<data>/audit/<cc>.db` by default), beside its desk's chain
 * - `ACCORD_HUB_URL`: the hub's base URL (`http://127.0.0.1:4100`), where the member's relay delivers its
 *   notices (subgraphs/reference/relay.ts); unset: no relay runs and notices wait in the outbox
 * - `ACCORD_SIMULATE` (a switch, default off; `npm start` turns it on): the demo's activity simulator changes
 *   one of the member's synthetic records every few seconds (subgraphs/reference/simulator.ts)
 *
 * Three groups of variables are read by the module that owns them, from the `env` kept here: the audit
 * log (audit/fromEnv.ts: `ACCORD_AUDIT*`), the gateway keys it trusts and the state its processes share
 * (subgraphs/kit/gatewayTrust.ts: `ACCORD_GATEWAY_JWKS`, `ACCORD_SHARED_STATE_URL`) and its desk's identity provider (subgraphs/desk/mountDesk.ts:
 * `ACCORD_<CC>_ISSUER`, `ACCORD_<CC>_JWKS`, `ACCORD_DEMO_IDENTITY`).
 */
export interface MemberConfig {
  readonly host: string;
  readonly port: number;
  /** Where the member's store, desk and keys are (`ACCORD_DATA_DIR`, as given, or the default). */
  readonly storeDir: string;
  /** The same folder, resolved (lib/process.ts dataDir): the audit log's and the demo providers' home. */
  readonly dataDir: string;
  readonly seed?: string;
  readonly size?: number;
  readonly searchTermsPerMinute?: number;
  readonly clock: Clock;
  /** Serve GET /metrics and count (`ACCORD_METRICS`, default on). */
  readonly metrics: boolean;
  /** This process's writer instance in the member's audit log (`ACCORD_MEMBER_INSTANCE`, default `<cc>`). */
  readonly auditInstance: string;
  /** The hub's base URL the relay posts notices to (`ACCORD_HUB_URL`); absent: no relay. */
  readonly hubUrl?: string;
  /** Run the demo's activity simulator (`ACCORD_SIMULATE`, default off). */
  readonly simulate: boolean;
  /** For the modules that read their own group of variables (above). */
  readonly env: Env;
}

export function memberConfigFromEnv(
  defaultPort: number,
  env: Env = process.env,
  country: string,
): MemberConfig {
  // The budget first: a bad one stops the start before anything else is read or opened.
  const searchTermsPerMinute = searchBudgetFromEnv(env, 'ACCORD_SEARCH_TERMS_PER_MINUTE');
  const host = hostFromEnv(env);
  const port = portFromEnv('PORT', defaultPort, env);
  const storeDir = envText(env, 'ACCORD_DATA_DIR') ?? DEFAULT_DATA_DIR;
  const clock = clockFromEnv(env);
  const seed = envText(env, 'ACCORD_SEED');
  const size = sizeFromEnv(env, 'ACCORD_SIZE');
  const metrics = envFlag(env, 'ACCORD_METRICS', true);
  const auditInstance = memberInstanceFromEnv(env, country.toLowerCase());
  const hubUrl = hubUrlFromEnv(env);
  const simulate = envFlag(env, 'ACCORD_SIMULATE', false);
  return {
    host,
    port,
    storeDir,
    dataDir: dataDir(env),
    ...(seed !== undefined && { seed }),
    ...(size !== undefined && { size }),
    ...(searchTermsPerMinute !== undefined && { searchTermsPerMinute }),
    clock,
    metrics,
    auditInstance,
    ...(hubUrl !== undefined && { hubUrl }),
    simulate,
    env,
  };
}

/** The variable that names the hub the member's relay delivers notices to. */
export const HUB_URL = 'ACCORD_HUB_URL';

function hubUrlFromEnv(env: Env): string | undefined {
  const raw = envText(env, HUB_URL);
  if (raw === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (
    url === undefined ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.username !== '' ||
    url.password !== '' ||
    url.search !== '' ||
    url.hash !== ''
  )
    throw new Error(
      `${HUB_URL} is the hub's base URL, http(s)://host:port with no credentials, query or fragment (e.g. http://127.0.0.1:4100), not ${JSON.stringify(raw.replace(/\/\/[^/@]*@/, '//***@'))}.`,
    );
  return url.href;
}

/** The variable that names a member process's writer instance in the audit log. */
export const MEMBER_INSTANCE = 'ACCORD_MEMBER_INSTANCE';

/**
 * `<cc>` unless `ACCORD_MEMBER_INSTANCE` names `<cc>-<suffix>`: a name of the member's, so that every chain
 * of its log says whose it is, and never its desk's (`<cc>-desk`, `npm run desk`).
 */
function memberInstanceFromEnv(env: Env, name: string): string {
  const raw = envText(env, MEMBER_INSTANCE);
  if (raw === undefined || raw === name) return name;
  const suffix = raw.startsWith(`${name}-`) ? raw.slice(name.length + 1) : undefined;
  if (suffix === undefined || !/^[a-z0-9][a-z0-9._-]{0,39}$/.test(suffix) || suffix === 'desk') {
    throw new Error(
      `${MEMBER_INSTANCE} is "${name}" or "${name}-<suffix>" (a suffix of up to 40 lower-case letters, digits and . _ -, not "desk"), one per process of the member, not ${JSON.stringify(raw)}.`,
    );
  }
  return raw;
}

function sizeFromEnv(env: Env, name: string): number | undefined {
  const raw = envText(env, name);
  if (raw === undefined) return undefined;
  const size = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(size) || size < 1) {
    throw new Error(
      `${name} must be a positive integer (about that many records per member), not ${JSON.stringify(raw)}.`,
    );
  }
  return size;
}

function searchBudgetFromEnv(env: Env, name: string): number | undefined {
  const raw = envText(env, name);
  if (raw === undefined) return undefined;
  return validateSearchTermsPerMinute(/^\d+$/.test(raw) ? Number(raw) : raw, name);
}
