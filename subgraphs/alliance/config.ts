import { HUB_DEFAULT_PORT } from '../../schema';
import { clockFromEnv, type Clock } from '../../lib/clock';
import { envFlag, type Env } from '../../lib/env';
import { dataDir, hostFromEnv, portFromEnv } from '../../lib/process';

/**
 * Everything the hub's process (subgraphs/alliance/main.ts) reads from its environment, read here, once,
 * at start-up (docs/operations.md has the table):
 *
 * - `ACCORD_CLOCK` with `ACCORD_DEV` (lib/clock.ts), first: a clock refused outside development mode
 *   stops the hub before anything else is read
 * - `HOST` (lib/process.ts hostFromEnv: default 127.0.0.1), `PORT` (default 4100)
 * - `ACCORD_DATA_DIR`: the registry of emergencies and its key, under `alliance/`
 * - `ACCORD_METRICS`: serve GET /metrics (lib/metrics.ts; default on)
 *
 * Two groups are read by the module that owns them, from the `env` kept here: its audit log of
 * registrations (audit/fromEnv.ts: `ACCORD_AUDIT*`; default `<data>/audit/alliance.db`, instance
 * `alliance`), the gateway keys it trusts and the state its processes share
 * (subgraphs/kit/gatewayTrust.ts: `ACCORD_GATEWAY_JWKS`, `ACCORD_SHARED_STATE_URL`), and its alert log
 * (subgraphs/alliance/alertLog/openAlertLog.ts: `ACCORD_ALERTS_URL`, default
 * `<data>/alliance-alerts.sqlite`; the owners' notice keys, `ACCORD_NOTICE_KEYS`, default the folder
 * `<data>/alerts/notice-keys/`).
 */
export interface HubConfig {
  readonly clock: Clock;
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** Serve GET /metrics and count (`ACCORD_METRICS`, default on). */
  readonly metrics: boolean;
  readonly env: Env;
}

export function hubConfigFromEnv(env: Env = process.env): HubConfig {
  const clock = clockFromEnv(env);
  return {
    clock,
    host: hostFromEnv(env),
    port: portFromEnv('PORT', HUB_DEFAULT_PORT, env),
    dataDir: dataDir(env),
    metrics: envFlag(env, 'ACCORD_METRICS', true),
    env,
  };
}
