import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { devAssert } from '../vocabulary';
import type { RunningServer } from './http';

/**
 * The common life of an Accord service process: announce readiness (a line for people, and an IPC
 * message for the supervisor of `npm start`), and stop cleanly on SIGTERM/SIGINT.
 */
export function announceAndHold(
  name: string,
  running: RunningServer,
  onStop: () => Promise<void> = () => running.stop(),
): void {
  console.log(`${name} ready at ${running.url}`);
  process.send?.({ type: 'ready', name, url: running.url });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    onStop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`${name} failed to stop cleanly:`, error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // The supervisor's death must not leave an orphan holding a port.
  process.once('disconnect', stop);
}

/**
 * The exit code of a service whose port another program holds. Restarting it cannot help (the port stays
 * taken), so `npm start`'s supervisor stops at once on it and says how to move Accord's ports, instead of
 * retrying it as a crash (scripts/supervisedProcess.ts). 98 is Linux's errno for EADDRINUSE.
 */
export const EXIT_PORT_TAKEN = 98;

/**
 * The end of a service that could not start: one line that says why (no stack), then exit — with
 * EXIT_PORT_TAKEN when its address was in use, naming the address, else 1.
 */
export function exitOnStartFailure(what: string, error: unknown): never {
  const { code, address, port } = (error ?? {}) as { code?: unknown; address?: unknown; port?: unknown };
  if (code === 'EADDRINUSE') {
    const where =
      typeof port === 'number'
        ? `port ${port}${typeof address === 'string' ? ` on ${address}` : ''}`
        : 'its port';
    console.error(`${what} could not start: ${where} is already in use by another program.`);
    process.exit(EXIT_PORT_TAKEN);
  }
  console.error(`${what} could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

/** A port from an environment variable, or the default; a clear error for anything that is not one. */
export function portFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  // The fallback comes from our own code (the registry's default ports): a bad one is our bug, not the user's.
  devAssert(isPort(fallback), `portFromEnv(${name}): the default ${fallback} is not a port number.`);
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!isPort(port))
    throw new Error(`${name} must be a port number from 0 to 65535, not ${JSON.stringify(raw)}.`);
  return port;
}

function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 65535;
}

/** The address every Accord service listens on unless `HOST` names another: this machine only. */
export const DEFAULT_HOST = '127.0.0.1';

/** A host name as DNS allows it (letters, digits, hyphens, dots; labels of at most 63 characters). */
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/**
 * The address a service listens on, from `HOST`: the one reading of it for every service (gateway, hub,
 * members, `npm start`). Unset or empty means DEFAULT_HOST, loopback: an empty value once meant "every
 * interface" to the gateway (node's listen) and loopback to the members; exposing a service beyond this
 * machine must be asked for by name (`HOST=0.0.0.0`, `HOST=::`). Anything that is not an IP address or a
 * host name is refused with a message that shows it.
 */
export function hostFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env['HOST'];
  if (raw === undefined || raw === '') return DEFAULT_HOST;
  if (isIP(raw) !== 0 || HOST_NAME.test(raw)) return raw;
  throw new Error(
    `HOST must be an IP address or a host name to listen on (empty or unset: ${DEFAULT_HOST}), not ${JSON.stringify(raw)}.`,
  );
}

/** Where Accord keeps what it creates at run time (stores, keys): `ACCORD_DATA_DIR`, or `data/` in the project. */
export function dataDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const configured = env['ACCORD_DATA_DIR'];
  return configured ? resolve(configured) : join(__dirname, '..', 'data');
}

/**
 * What a command that works on `npm start`'s data folder says when the folder holds nothing Accord made
 * (`npm run token`, `npm run desk`, `accord login`, `npm run policy -- explain --request`): the folder it
 * looked in, what it looked for, and how to point it at the right one. Said, never filled: keys or a desk
 * made in the wrong folder sign tokens nobody trusts and hold requests nobody files.
 */
export function noAccordIn(folder: string, missing: string, how: string = dataDirHint()): string {
  return `No Accord runs in ${folder}: ${missing} is not there. Start Accord first (npm start), or point this command at npm start's data folder (${how}). Nothing was changed.`;
}

/** How to name npm start's data folder through ACCORD_DATA_DIR, from what `env` says now. */
export function dataDirHint(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const configured = env['ACCORD_DATA_DIR'];
  return configured
    ? `ACCORD_DATA_DIR is ${configured}: set it to the folder npm start was given`
    : 'this is the default folder: if npm start was given ACCORD_DATA_DIR, give the same here';
}
