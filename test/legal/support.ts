/**
 * Helpers for the legal workbench tests: copies of the scenario's agreements with deliberate edits, the
 * command line run in-process with its output captured, and a fixed "today" (tests never read the clock).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { legalTeamAccess } from '../../gateway';
import { legalRoutes, type LegalRoutes, type LegalRoutesOptions } from '../../legal';
import { createLogger } from '../../lib/logger';
import { DEFAULT_AGREEMENTS_DIR } from '../../policy';
import { MEMBERS } from '../../schema';
import { LEGAL_TEAM_ROLE, localTrust, type LocalTrust } from '../../trust';
import { main } from '../../legal/cli';

/** Every scenario instrument is in force on this day. */
export const TODAY = Date.parse('2026-06-01T12:00:00Z');
export const TODAY_TEXT = '2026-06-01';

const made: string[] = [];

/** A copy of the shipped agreements/ with `edits` applied: file (relative) → [search, replacement][]. */
export function scenarioCopy(
  edits: Readonly<Record<string, readonly (readonly [string | RegExp, string])[]>> = {},
): string {
  const dir = mkdtempSync(join(tmpdir(), 'accord-legal-'));
  made.push(dir);
  cpSync(DEFAULT_AGREEMENTS_DIR, dir, { recursive: true, filter: (source) => !source.endsWith('.ts') });
  for (const [file, replacements] of Object.entries(edits)) {
    const path = join(dir, file);
    let text = readFileSync(path, 'utf8');
    for (const [search, replacement] of replacements) {
      const next = text.replace(search, replacement);
      if (next === text) throw new Error(`test setup: '${String(search)}' not found in ${file}`);
      text = next;
    }
    writeFileSync(path, text);
  }
  return dir;
}

/** The deliberately widened copy: the KR–TH police MoU releases biometrics instead of giving hits only. */
export function widenedCopy(): string {
  return scenarioCopy({
    'instruments/kr-th-police-mou-2019.yaml': [
      ['      person.biometrics: hit-only', '      person.biometrics: release'],
    ],
  });
}

export function removeCopies(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface CliRun {
  readonly status: number;
  readonly out: string;
  readonly err: string;
}

/** The command line, in-process (no tsx start-up per call). */
export function cli(argv: readonly string[], cwd: string = process.cwd()): CliRun {
  let out = '';
  let err = '';
  const status = main(argv, {
    out: (text) => (out += text),
    err: (text) => (err += text),
    cwd,
    now: () => TODAY,
  });
  return { status, out, err };
}

export interface ServedWorkbench {
  /** http://127.0.0.1:<port> */
  readonly base: string;
  readonly workbench: LegalRoutes;
  /** The members' demo identity providers, as the gateway trusts them. */
  readonly trust: LocalTrust;
  /** A token of a member's legal team (the role the workbench requires). */
  legalToken(country?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The workbench's routes on a bare node:http server on 127.0.0.1, port 0 (no gateway), guarded the way the
 * gateway guards them: gateway/legalAccess.ts over the members' demo identity providers.
 */
export async function serveWorkbench(
  options: Omit<LegalRoutesOptions, 'authorize'>,
): Promise<ServedWorkbench> {
  const dir = mkdtempSync(join(tmpdir(), 'accord-legal-trust-'));
  const trust = localTrust(
    dir,
    MEMBERS.map((member) => member.code),
  );
  const workbench = legalRoutes({
    ...options,
    authorize: legalTeamAccess(trust.analysts(), MEMBERS, createLogger('legal-test')),
  });
  const server: Server = createServer((request, response) => {
    const handler = workbench.routes[new URL(request.url ?? '/', 'http://localhost').pathname];
    if (handler !== undefined && request.method === 'GET') handler(request, response);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    workbench,
    trust,
    legalToken: (country = MEMBERS[0]!.code) =>
      trust.analystToken(country, 'legal.reviewer', [LEGAL_TEAM_ROLE]),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await workbench.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
