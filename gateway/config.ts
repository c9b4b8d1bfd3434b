import { GATEWAY_DEFAULT_PORT, HUB_NAME, MEMBERS, subgraphName } from '../schema';
import { join } from 'node:path';
import { dataDir, hostFromEnv, portFromEnv } from '../lib/process';
import {
  DEFAULT_ANALYST_AUDIENCE,
  DEFAULT_ANALYST_TOKEN_MAX_AGE_SECONDS,
  createAnalystVerifier,
  createGatewaySigner,
  ensureGatewayKeys,
} from '../trust';
import { GATEWAY_ISSUER, identityProvidersFromEnv } from './identityProviders';
import { openEmergencyReader } from '../emergencies';
import { DEFAULT_SUBGRAPH_TIMEOUT_MS, type GatewayOptions } from './server';
import { openAuditLogFromEnv, type AuditFromEnv } from '../audit';
import { clockFromEnv } from '../lib/clock';
import { envFlag } from '../lib/env';

/** The gateway's writer instance in the audit log, unless `ACCORD_GATEWAY_INSTANCE` names another. */
export const DEFAULT_GATEWAY_INSTANCE = 'gateway-1';

/**
 * The gateway's settings from the environment, checked eagerly with messages that show the bad value:
 * - `PORT` (default 4000), `HOST` (default 127.0.0.1, also when empty; lib/process.ts hostFromEnv)
 * - `ACCORD_SUBGRAPH_URLS`: JSON object, subgraph name → URL (`{"kr": "http://10.0.0.5:4101/graphql"}`);
 *   or one variable per subgraph: `ACCORD_KR_URL`, `ACCORD_ALLIANCE_URL`
 * - `ACCORD_SUBGRAPH_TIMEOUT_MS` (default 5000)
 * - `ACCORD_DEV=1`: field suggestions in error messages; `ACCORD_COMPOSE=1`: compose at start-up (development only)
 * - `ACCORD_LEGAL_PAGE=0`: no /legal page
 * Switches take 1/true/yes/on or 0/false/no/off, anything else stops the gateway (lib/env.ts); every variable
 * of every process: docs/operations.md.
 * - `ACCORD_ANALYST_TOKEN_MAX_AGE`: the oldest analyst token accepted, in seconds from its `iat`
 *   (default 43200, 12 h; at most 7 days); a token must carry `iat` and live no longer than this
 * - `ACCORD_CLOCK`: the clock decisions are made at, fixed (with `ACCORD_DEV=1` only; lib/clock.ts)
 * - identity providers (gateway/identityProviders.ts): `ACCORD_<CC>_ISSUER` and `ACCORD_<CC>_JWKS` per
 *   member; a member without them gets a demo provider under `<data>/idp` (local use only)
 * - the gateway's signing keys: `ACCORD_GATEWAY_KEYS` (a key folder), default `<data>/gateway`
 * - its audit log: gatewayAuditFromEnv below
 */
export function gatewayOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayOptions {
  // First: a clock refused outside development mode stops the gateway before it creates anything.
  const clock = clockFromEnv(env);
  // The switches next, before anything is created: a bad value stops the gateway with its name.
  const dev = envFlag(env, 'ACCORD_DEV', false);
  // The legal workbench page shows the agreements in force; turn it off where no access control guards it.
  const legalPage = envFlag(env, 'ACCORD_LEGAL_PAGE', true);
  const composeAtStartup = envFlag(env, 'ACCORD_COMPOSE', false);
  const metrics = envFlag(env, 'ACCORD_METRICS', true);
  const subgraphUrls: Record<string, string> = {};
  const raw = env['ACCORD_SUBGRAPH_URLS'];
  if (raw) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new Error(
        `ACCORD_SUBGRAPH_URLS must be a JSON object of subgraph name → URL, not ${JSON.stringify(raw)}.`,
      );
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error(`ACCORD_SUBGRAPH_URLS must be a JSON object of subgraph name → URL, not ${raw}.`);
    }
    for (const [name, url] of Object.entries(parsed))
      subgraphUrls[name] = checkUrl(`ACCORD_SUBGRAPH_URLS.${name}`, url);
  }
  for (const name of [HUB_NAME, ...MEMBERS.map((m) => subgraphName(m.code))]) {
    const variable = `ACCORD_${name.toUpperCase()}_URL`;
    if (env[variable]) subgraphUrls[name] = checkUrl(variable, env[variable]);
  }
  const timeout = env['ACCORD_SUBGRAPH_TIMEOUT_MS'];
  const subgraphTimeoutMs = timeout ? Number(timeout) : DEFAULT_SUBGRAPH_TIMEOUT_MS;
  if (!Number.isInteger(subgraphTimeoutMs) || subgraphTimeoutMs < 1) {
    throw new Error(
      `ACCORD_SUBGRAPH_TIMEOUT_MS must be a whole number of milliseconds, not ${JSON.stringify(timeout)}.`,
    );
  }
  const maxTokenAgeSeconds = maxTokenAgeFromEnv(env);
  const host = hostFromEnv(env);
  const keyDir = env['ACCORD_GATEWAY_KEYS'] || join(dataDir(), 'gateway');
  ensureGatewayKeys(keyDir);
  return {
    analysts: createAnalystVerifier({
      issuers: identityProvidersFromEnv(env),
      audience: DEFAULT_ANALYST_AUDIENCE,
      maxTokenAgeSeconds,
    }),
    signer: createGatewaySigner({ keys: keyDir, issuer: GATEWAY_ISSUER }),
    host,
    port: portFromEnv('PORT', GATEWAY_DEFAULT_PORT, env),
    subgraphUrls,
    subgraphTimeoutMs,
    dev,
    // Decisions, declarations and audit records at the clock; token lifetimes stay on real time (lib/clock.ts).
    now: clock.now,
    legalPage,
    composeAtStartup,
    metrics,
    // The hub's registry of emergencies, read-only, in the same data folder (docs/decisions/0015-registered-emergencies.md).
    emergencies: openEmergencyReader({ dataDir: dataDir() }),
  };
}

/** A week: beyond it a "maximum age" no longer bounds what a stolen token is worth. */
const MAX_TOKEN_AGE_CEILING_SECONDS = 7 * 24 * 60 * 60;

function maxTokenAgeFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env['ACCORD_ANALYST_TOKEN_MAX_AGE'];
  if (raw === undefined || raw === '') return DEFAULT_ANALYST_TOKEN_MAX_AGE_SECONDS;
  const seconds = Number(raw);
  if (!/^\d+$/.test(raw) || seconds < 60 || seconds > MAX_TOKEN_AGE_CEILING_SECONDS) {
    throw new Error(
      `ACCORD_ANALYST_TOKEN_MAX_AGE must be a whole number of seconds from 60 to ${MAX_TOKEN_AGE_CEILING_SECONDS} (default ${DEFAULT_ANALYST_TOKEN_MAX_AGE_SECONDS}, 12 h), not ${JSON.stringify(raw)}.`,
    );
  }
  return seconds;
}

function checkUrl(variable: string, value: unknown): string {
  if (typeof value === 'string') {
    try {
      const url = new URL(value);
      if (url.protocol === 'http:' || url.protocol === 'https:') return value;
    } catch {
      // fall through to the error below
    }
  }
  throw new Error(`${variable} must be an http(s) URL, not ${JSON.stringify(value)}.`);
}

/**
 * The gateway's audit log (consultations), from `ACCORD_AUDIT_URL`, `ACCORD_AUDIT_KEYS` and `ACCORD_AUDIT`
 * (audit/fromEnv.ts), written as `ACCORD_GATEWAY_INSTANCE` (default gateway-1; unique per gateway process).
 */
export function gatewayAuditFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<AuditFromEnv> {
  return openAuditLogFromEnv({
    instance: env['ACCORD_GATEWAY_INSTANCE'] || DEFAULT_GATEWAY_INSTANCE,
    dataDir: dataDir(),
    env,
  });
}
