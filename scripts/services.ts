import {
  GATEWAY_DEFAULT_PORT,
  HUB_DEFAULT_PORT,
  HUB_NAME,
  MEMBERS,
  subgraphName,
  type Member,
} from '../schema';
import { DEFAULT_HOST, hostFromEnv } from '../lib/process';
import { CLOCK_VARIABLE, parseInstant } from '../lib/clock';
import { EnvError, SERVICE_SWITCHES, envFlag } from '../lib/env';
import { UsageError, parseCommandLine, type OptionSpecs } from '../lib/cliArgs';

/**
 * What `npm start` runs: every service, its entry file and its port, from the command line and the
 * environment. Pure: nothing here starts a process.
 *
 * Ports, most specific first:
 * - `PORT` for the gateway; `ACCORD_PORT_<NAME>` for a subgraph (`ACCORD_PORT_KR`, `ACCORD_PORT_ALLIANCE`);
 * - `--free-ports` or `ACCORD_PORTS=0`: every other service on a free port the system picks (tests);
 * - `--port-base <n>` or `ACCORD_PORT_BASE=<n>`: the default layout moved to start at n (gateway n,
 *   hub n+100, members n+101…);
 * - the defaults of schema/members.ts: gateway 4000, hub 4100, members 4101…
 */

export interface ServiceSpec {
  /** The subgraph name (`kr`, `alliance`) or `gateway`. */
  readonly name: string;
  /** Entry file, relative to the repository root. */
  readonly entry: string;
  /** 0 = a free port. */
  readonly port: number;
}

export interface StartPlan {
  /** The hub and the national subgraphs, started first. */
  readonly subgraphs: readonly ServiceSpec[];
  /** Started once every subgraph is ready, with their URLs. */
  readonly gateway: ServiceSpec;
  /** `--dev`: every service runs with `ACCORD_DEV=1` (field suggestions in errors; ACCORD_CLOCK). */
  readonly dev: boolean;
  /** The address every service listens on (`HOST`, read once for all of them by lib/process.ts hostFromEnv). */
  readonly host: string;
  /** `ACCORD_CLOCK`, checked: the instant every service's clock is fixed at (ISO 8601 UTC). */
  readonly clock?: string;
  /**
   * `compiled` (the default): every service runs its bundle in dist/, compiled first when a source changed
   * (scripts/serviceBuild.ts). `source` (`--from-source`, `ACCORD_FROM_SOURCE=1`): the TypeScript entry
   * under the tsx loader, as before; a restart after an edit runs the edit.
   */
  readonly runtime: Runtime;
}

export type Runtime = 'compiled' | 'source';

export const GATEWAY_NAME = 'gateway';

/** Where a member's alert relay sends its notices: the hub's URL, given to every member once the hub is ready. */
export const HUB_URL_VARIABLE = 'ACCORD_HUB_URL';

export const USAGE = `Usage: npm start -- [--dev] [--free-ports] [--port-base <n>] [--from-source]

  --dev             every service runs with ACCORD_DEV=1: field suggestions in errors, and
                    ACCORD_CLOCK (development only)
  --free-ports      every service listens on a free port the system picks (same as ACCORD_PORTS=0)
  --port-base <n>   gateway on n, hub on n+100, members on n+101… (same as ACCORD_PORT_BASE=n)
  --from-source     every service runs its TypeScript sources under tsx, not its compiled bundle in
                    dist/ (same as ACCORD_FROM_SOURCE=1)

Environment: PORT (gateway), ACCORD_PORT_<NAME> (a subgraph: ACCORD_PORT_KR, ACCORD_PORT_ALLIANCE, …),
ACCORD_PORTS=0, ACCORD_PORT_BASE, ACCORD_FROM_SOURCE, HOST (every service; default ${DEFAULT_HOST}, also when empty), ACCORD_DATA_DIR,
ACCORD_SEED, ACCORD_SIZE, ACCORD_CLOCK (with --dev only: every service's clock fixed at an instant, e.g. 2026-06-15T09:00:00Z).`;

/** A mistake on the command line or in the environment; the message says what is expected. */
export class StartConfigError extends Error {
  override readonly name = 'StartConfigError';
}

export function startPlanFrom(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  members: readonly Member[] = MEMBERS,
): StartPlan {
  const flags = parseFlags(argv);
  checkServiceSwitches(env);
  const freePorts = flags.freePorts || parseFreePorts(env['ACCORD_PORTS']);
  const base = flags.portBase ?? parsePort('ACCORD_PORT_BASE', env['ACCORD_PORT_BASE']);
  let host: string;
  try {
    host = hostFromEnv(env);
  } catch (error) {
    throw new StartConfigError((error as Error).message);
  }

  /** The port of one service: its own variable, else 0 under free ports, else the (moved) default. */
  const portOf = (variable: string, defaultPort: number): number => {
    const own = parsePort(variable, env[variable]);
    if (own !== undefined) return own;
    if (freePorts) return 0;
    if (base === undefined) return defaultPort;
    return checkPort(`${variable} (from the port base ${base})`, base + defaultPort - GATEWAY_DEFAULT_PORT);
  };

  const subgraphs: ServiceSpec[] = [
    {
      name: HUB_NAME,
      entry: `subgraphs/${HUB_NAME}/main.ts`,
      port: portOf(portVariable(HUB_NAME), HUB_DEFAULT_PORT),
    },
    ...members.map((member) => {
      const name = subgraphName(member.code);
      return {
        name,
        entry: `subgraphs/${name}/main.ts`,
        port: portOf(portVariable(name), member.defaultPort),
      };
    }),
  ];
  const gateway: ServiceSpec = {
    name: GATEWAY_NAME,
    entry: 'gateway/main.ts',
    port: portOf('PORT', GATEWAY_DEFAULT_PORT),
  };
  checkDistinctPorts([...subgraphs, gateway]);
  const clock = parseClock(env, flags.dev);
  const runtime: Runtime = flags.fromSource || fromSourceEnv(env) ? 'source' : 'compiled';
  return { subgraphs, gateway, dev: flags.dev, host, runtime, ...(clock ? { clock } : {}) };
}

/** `ACCORD_PORT_KR` for `kr`. */
export function portVariable(name: string): string {
  return `ACCORD_PORT_${name.toUpperCase()}`;
}

interface Flags {
  dev: boolean;
  freePorts: boolean;
  fromSource: boolean;
  portBase: number | undefined;
}

/** The options `npm start` takes (lib/cliArgs.ts: strict, with did-you-mean); `--help` is start.ts's. */
const START_OPTIONS: OptionSpecs = {
  dev: { type: 'boolean' },
  'free-ports': { type: 'boolean' },
  'port-base': { type: 'string' },
  'from-source': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

function parseFlags(argv: readonly string[]): Flags {
  let values;
  try {
    ({ values } = parseCommandLine(argv, { options: START_OPTIONS }));
  } catch (error) {
    if (error instanceof UsageError) throw new StartConfigError(`${error.message}\n\n${USAGE}`);
    throw error;
  }
  const portBase = values['port-base'];
  return {
    dev: values['dev'] === true,
    freePorts: values['free-ports'] === true,
    fromSource: values['from-source'] === true,
    portBase: typeof portBase === 'string' ? parsePort('--port-base', portBase) : undefined,
  };
}

/**
 * `ACCORD_CLOCK`, checked before any service starts (each service checks it again, lib/clock.ts): a bad
 * value, or one outside development mode, is refused here with one message instead of seven crashes.
 */
function parseClock(env: NodeJS.ProcessEnv, dev: boolean): string | undefined {
  const raw = env[CLOCK_VARIABLE];
  if (raw === undefined || raw === '') return undefined;
  let at: number;
  try {
    at = parseInstant(raw);
  } catch (error) {
    throw new StartConfigError((error as Error).message);
  }
  if (!dev && !devFromEnv(env)) {
    throw new StartConfigError(
      `${CLOCK_VARIABLE} (${JSON.stringify(raw)}) fixes every service's clock, for development and tests only: add --dev (npm start -- --dev), or unset ${CLOCK_VARIABLE}.`,
    );
  }
  return new Date(at).toISOString();
}

/** Every switch a service reads, checked before any starts: a bad one stops npm start with its name. */
function checkServiceSwitches(env: NodeJS.ProcessEnv): void {
  for (const [name, unset] of Object.entries(SERVICE_SWITCHES)) {
    try {
      envFlag(env, name, unset);
    } catch (error) {
      if (error instanceof EnvError) throw new StartConfigError(error.message);
      throw error;
    }
  }
}

/** `ACCORD_DEV`, by the one convention for switches (lib/env.ts), refused here like every other setting. */
function devFromEnv(env: NodeJS.ProcessEnv): boolean {
  try {
    return envFlag(env, 'ACCORD_DEV', false);
  } catch (error) {
    if (error instanceof EnvError) throw new StartConfigError(error.message);
    throw error;
  }
}

/** `ACCORD_FROM_SOURCE`, a switch like every other (lib/env.ts; checked with them above). */
function fromSourceEnv(env: NodeJS.ProcessEnv): boolean {
  return envFlag(env, 'ACCORD_FROM_SOURCE', false);
}

function parseFreePorts(raw: string | undefined): boolean {
  if (raw === undefined || raw === '') return false;
  if (raw === '0') return true;
  throw new StartConfigError(
    `ACCORD_PORTS may only be 0 (every service on a free port), not ${JSON.stringify(raw)}.`,
  );
}

function parsePort(what: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (raw === '' && what.startsWith('--')) throw new StartConfigError(`${what} needs a port number.`);
  if (raw === '') return undefined;
  return checkPort(what, Number(raw), raw);
}

function checkPort(what: string, port: number, raw: string = String(port)): number {
  if (!/^\d+$/.test(raw) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new StartConfigError(`${what} must be a port number from 0 to 65535, not ${JSON.stringify(raw)}.`);
  }
  return port;
}

function checkDistinctPorts(services: readonly ServiceSpec[]): void {
  const byPort = new Map<number, string>();
  for (const service of services) {
    if (service.port === 0) continue;
    const other = byPort.get(service.port);
    if (other)
      throw new StartConfigError(`${other} and ${service.name} would both listen on port ${service.port}.`);
    byPort.set(service.port, service.name);
  }
}
