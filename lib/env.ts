import { devAssert } from '../vocabulary';

/**
 * How every Accord process reads a switch from its environment: one convention for all of them
 * (`ACCORD_DEV`, `ACCORD_COMPOSE`, `ACCORD_LEGAL_PAGE`, `ACCORD_DEMO_IDENTITY`, `ACCORD_AUDIT`,
 * `ACCORD_DEBUG`, `ACCORD_FROM_SOURCE`; docs/operations.md lists them). Before, one variable was on only
 * at `1`, another off only at `0`, a third took `on`/`off`: `ACCORD_DEV=true` was silently off. Now:
 *
 * - on:  `1`, `true`, `yes`, `on`
 * - off: `0`, `false`, `no`, `off`
 * - unset or empty: the variable's default
 * - anything else stops the process with a message that names the variable and the value.
 *
 * Case does not matter (`TRUE`, `Off`).
 */

const ON = ['1', 'true', 'yes', 'on'];
const OFF = ['0', 'false', 'no', 'off'];

/** A setting in the environment that is not what its variable takes: the message names both. */
export class EnvError extends Error {
  override readonly name = 'EnvError';
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The switches Accord's services (and `npm start` itself: ACCORD_FROM_SOURCE) read, each with what unset
 * means. `npm start` checks every one before it starts anything (scripts/services.ts), so a bad value is
 * one message, not services restarted until the supervisor gives up. test/house/env-config.test.ts keeps
 * this table equal to the services' envFlag calls.
 */
export const SERVICE_SWITCHES: Readonly<Record<string, boolean>> = {
  ACCORD_DEV: false,
  ACCORD_LEGAL_PAGE: true,
  ACCORD_COMPOSE: false,
  ACCORD_DEMO_IDENTITY: false,
  ACCORD_AUDIT: true,
  ACCORD_METRICS: true,
  ACCORD_FROM_SOURCE: false,
  ACCORD_SIMULATE: false,
};

/** The switch `name` in `env`: on, off, or `fallback` when unset or empty; EnvError for anything else. */
export function envFlag(env: Env, name: string, fallback: boolean): boolean {
  // The name comes from our own code: a malformed one is our bug, not the operator's.
  devAssert(/^[A-Z][A-Z0-9_]*$/.test(name), `envFlag: ${JSON.stringify(name)} is not a variable name.`);
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = raw.trim().toLowerCase();
  if (ON.includes(value)) return true;
  if (OFF.includes(value)) return false;
  throw new EnvError(
    `${name} is a switch: ${ON.join(', ')} (on) or ${OFF.join(', ')} (off); unset means ${fallback ? 'on' : 'off'}. Not ${JSON.stringify(raw)}.`,
  );
}

/** The text of `name` in `env`, or undefined when unset or empty (an empty value means the default). */
export function envText(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : raw;
}
