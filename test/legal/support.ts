/**
 * Helpers for the legal workbench tests: copies of the scenario's agreements with deliberate edits, the
 * command line run in-process with its output captured, and a fixed "today" (tests never read the clock).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_AGREEMENTS_DIR } from '../../policy';
import { main } from '../../legal/cli';

/** Every scenario instrument is in force on this day. */
export const TODAY = Date.parse('2026-06-01T12:00:00Z');
export const TODAY_TEXT = '2026-06-01';

const made: string[] = [];

/** A copy of the shipped agreements/ with `edits` applied: file (relative) → [search, replacement][]. */
export function scenarioCopy(edits: Readonly<Record<string, readonly (readonly [string | RegExp, string])[]>> = {}): string {
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
  return scenarioCopy({ 'instruments/kr-th-police-mou-2019.yaml': [['      person.biometrics: hit-only', '      person.biometrics: release']] });
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
  const status = main(argv, { out: (text) => (out += text), err: (text) => (err += text), cwd, now: () => TODAY });
  return { status, out, err };
}
