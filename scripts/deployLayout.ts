/**
 * A deployment's layout (deploy/README.md), read from a JSON file and checked: how many gateway processes,
 * how many processes per member, the databases, where the data folder is and which ports. Pure: it reads
 * the file and the environment it is given, and nothing else.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { GATEWAY_DEFAULT_PORT, MEMBERS, subgraphName } from '../schema';

export interface Layout {
  /** Where every frontend and process listens (one host); default 127.0.0.1. */
  readonly host: string;
  /** The data folder every process shares (keys, the members' stores, the writers' audit keys). */
  readonly dataDir: string;
  /** How many gateway processes (`gateway-1` … `gateway-<n>`), behind one frontend. */
  readonly gateways: number;
  /** How many processes each member runs (`kr-1` … `kr-<n>`), behind its own frontend. */
  readonly memberProcesses: number;
  /** `free`: every port picked at run time; a number: the gateways' frontend there (the layout below). */
  readonly ports: 'free' | number;
  /** The audit log every process writes its own chain into: `postgres://…` (`ACCORD_AUDIT_URL`). */
  readonly auditUrl: string;
  /** The state a member's processes share, `postgres://…` (`ACCORD_SHARED_STATE_URL`). */
  readonly sharedStateUrl: string;
  /** Per member (its code), a database of its own for either, when it keeps its own. */
  readonly members: Readonly<
    Record<string, { readonly auditUrl?: string; readonly sharedStateUrl?: string }>
  >;
  /** The HAProxy program; default `haproxy` on the PATH (Debian's package puts it in /usr/sbin). */
  readonly haproxy: string;
  /** The reference world, on the members' first start (`ACCORD_SEED`, `ACCORD_SIZE`). */
  readonly seed?: string;
  readonly size?: number;
}

/** A mistake in the layout file; the message names the key. */
export class LayoutError extends Error {
  override readonly name = 'LayoutError';
}

const KEYS = [
  'host',
  'dataDir',
  'gateways',
  'memberProcesses',
  'ports',
  'auditUrl',
  'sharedStateUrl',
  'members',
  'haproxy',
  'seed',
  'size',
];

/**
 * The layout in `file` (JSON), relative paths taken from the file's folder. The database URLs may be left
 * out of the file (they may hold a password): then `ACCORD_AUDIT_URL` and `ACCORD_SHARED_STATE_URL` give them.
 */
export function readLayout(file: string, env: NodeJS.ProcessEnv = process.env): Layout {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new LayoutError(`${file}: not a JSON layout (${(error as Error).message}).`);
  }
  return layoutFrom(raw, resolve(file, '..'), env);
}

export function layoutFrom(raw: unknown, base: string, env: NodeJS.ProcessEnv = {}): Layout {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new LayoutError('A layout is a JSON object (deploy/README.md).');
  const value = raw as Record<string, unknown>;
  for (const key of Object.keys(value))
    if (!KEYS.includes(key))
      throw new LayoutError(`Unknown key "${key}" in the layout; known: ${KEYS.join(', ')}.`);
  const text = (key: string, fallback?: string): string => {
    const found = value[key] ?? fallback;
    if (typeof found !== 'string' || found.trim() === '')
      throw new LayoutError(`"${key}" must be a non-empty string.`);
    return found;
  };
  const count = (key: string): number => {
    const found = value[key] ?? 2;
    if (typeof found !== 'number' || !Number.isInteger(found) || found < 1 || found > 20)
      throw new LayoutError(`"${key}" must be a whole number from 1 to 20, not ${JSON.stringify(found)}.`);
    return found;
  };
  const postgres = (key: string, fallback: string | undefined): string => {
    const url = value[key] ?? fallback;
    if (typeof url !== 'string' || !/^postgres(ql)?:\/\/./.test(url))
      throw new LayoutError(
        `"${key}" must be a postgres://user@host:port/db URL (in the layout, or ${key === 'auditUrl' ? 'ACCORD_AUDIT_URL' : 'ACCORD_SHARED_STATE_URL'}).`,
      );
    return url;
  };
  const ports = value['ports'] ?? 'free';
  if (
    ports !== 'free' &&
    !(typeof ports === 'number' && Number.isInteger(ports) && ports >= 1 && ports + 20_000 <= 65_535)
  )
    throw new LayoutError(
      `"ports" is "free" or the gateways' frontend port (1 to 45535), not ${JSON.stringify(ports)}.`,
    );
  const members = value['members'] ?? {};
  if (members === null || typeof members !== 'object' || Array.isArray(members))
    throw new LayoutError('"members" maps a member code to { "auditUrl", "sharedStateUrl" }.');
  const perMember: Record<string, { auditUrl?: string; sharedStateUrl?: string }> = {};
  for (const [code, urls] of Object.entries(members as Record<string, unknown>)) {
    if (!MEMBERS.some((member) => member.code === code))
      throw new LayoutError(`"members.${code}": not a member (schema/members.ts).`);
    const entry = (urls ?? {}) as Record<string, unknown>;
    perMember[code] = {
      ...(entry['auditUrl'] !== undefined && {
        auditUrl: postgresOf(`members.${code}.auditUrl`, entry['auditUrl']),
      }),
      ...(entry['sharedStateUrl'] !== undefined && {
        sharedStateUrl: postgresOf(`members.${code}.sharedStateUrl`, entry['sharedStateUrl']),
      }),
    };
  }
  const size = value['size'];
  if (size !== undefined && !(typeof size === 'number' && Number.isInteger(size) && size >= 1))
    throw new LayoutError(`"size" must be a whole number ≥ 1, not ${JSON.stringify(size)}.`);
  const dataDir = text('dataDir');
  return {
    host: text('host', '127.0.0.1'),
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(base, dataDir),
    gateways: count('gateways'),
    memberProcesses: count('memberProcesses'),
    ports: ports,
    auditUrl: postgres('auditUrl', env['ACCORD_AUDIT_URL'] || undefined),
    sharedStateUrl: postgres('sharedStateUrl', env['ACCORD_SHARED_STATE_URL'] || undefined),
    members: perMember,
    haproxy: text('haproxy', 'haproxy'),
    ...(typeof value['seed'] === 'string' && { seed: value['seed'] }),
    ...(typeof size === 'number' && { size }),
  };
}

function postgresOf(key: string, url: unknown): string {
  if (typeof url !== 'string' || !/^postgres(ql)?:\/\/./.test(url))
    throw new LayoutError(`"${key}" must be a postgres://user@host:port/db URL.`);
  return url;
}

/** The services of a layout, in start order: the hub, then each member; the gateways are apart. */
export function subgraphServices(): string[] {
  return ['alliance', ...MEMBERS.map((member) => subgraphName(member.code))];
}

/**
 * The fixed ports of a layout at `base`: a service's frontend where `npm start` would put the service
 * (gateway `base`, hub `base`+100, a member its registry offset), and its process k (from 1) at the
 * frontend's port + 1000·k, so `base` 4000 puts the gateways' frontend on 4000, `gateway-1` on 5000,
 * KR's frontend on 4101 and `kr-2` on 6101.
 */
export function fixedPort(base: number, defaultPort: number, processIndex: number): number {
  return base + (defaultPort - GATEWAY_DEFAULT_PORT) + 1000 * processIndex;
}
