/**
 * Small agreement sets written to a temporary folder, for loader and engine tests. Files are YAML text,
 * so a test can point at the line it expects a problem on.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const MEMBERS = `members:
  - code: KR
    name: Republic of Korea
    domesticGate: optional
  - code: KH
    name: Kingdom of Cambodia
    domesticGate: optional
  - code: TH
    name: Kingdom of Thailand
    domesticGate: optional
`;

/** A valid instrument. Lines: 10 `until`, 14 `- id: records`, 16 `basis`, 17 `purposes`, 19 `person.identity`, 22 `requestReference`. */
export const MLAT = `# a test instrument
id: kr-kh-test
title: KR–KH Test MLAT
kind: bilateral
parties: [KR, KH]
instrument:
  citation: Test treaty
inForce:
  from: 2020-01-01
  until: 2030-12-31
clauses:
  # the only clause
  # (line 14 is its first line)
  - id: records
    citation: art. 1
    basis: MLAT
    purposes: [investigation]
    categories:
      person.identity: release
    direction: both
    conditions:
      requestReference: true
    obligations:
      handlingCode: H2
      onwardTransfer: with_consent
      evidentiaryUse: allowed
      retentionDays: 365
      notifySource: false
`;

export const OBLIGATIONS = `    obligations:
      handlingCode: H1
      onwardTransfer: forbidden
      evidentiaryUse: forbidden
      retentionDays: 365
      notifySource: false
`;

/** An instrument from its header fields and clause blocks (each block starts with `  - id:`). */
export function instrument(
  head: { id: string; title?: string; kind?: string; parties: string; from?: string; until?: string },
  ...clauses: string[]
): string {
  return `id: ${head.id}
title: ${head.title ?? head.id}
kind: ${head.kind ?? 'bilateral'}
parties: ${head.parties}
instrument:
  citation: ${head.id} instrument
inForce:
  from: ${head.from ?? '2020-01-01'}
${head.until !== undefined ? `  until: ${head.until}\n` : ''}clauses:
${clauses.join('')}`;
}

const made: string[] = [];

/** Writes `files` (path → text) under a new temporary folder and returns it. */
export function writeSet(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'accord-agreements-'));
  made.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

export function removeSets(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
