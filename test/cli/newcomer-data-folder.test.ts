/**
 * A newcomer runs `npm run token` or `npm run desk` with a data folder no Accord runs in (another
 * ACCORD_DATA_DIR than npm start's, or none): each says so, naming the folder and ACCORD_DATA_DIR, exits 2
 * and leaves the folder as it found it: no fresh keys that sign tokens nobody trusts, no empty desk, no
 * audit log. Where npm start has made its keys and desk, the same commands work.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MEMBERS } from '../../schema';
import { tokenCommand } from '../../scripts/token';
import { deskCommand } from '../../subgraphs/desk/cli';
import { deskFile, openRequestStore } from '../../subgraphs/desk';
import { localTrust } from '../../trust';
import { ROOT, cleanEnv } from '../support/accordCli';

const COUNTRY = MEMBERS[0]!.code;

/** Every file and folder under `dir`, relative to it. */
function contents(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

function token(dataDir: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  return tokenCommand(['--country', COUNTRY, '--analyst', 'kim.j'], {
    out: (text) => (out += text),
    err: (text) => (err += text),
    env: { ACCORD_DATA_DIR: dataDir },
    root: '/nonexistent',
  }).then((code) => ({ code, out, err }));
}

function desk(dataDir: string, ...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = deskCommand(argv, {
    out: (text) => (out += text),
    err: (text) => (err += text),
    dataDir,
  });
  return { code, out, err };
}

/** `npm run desk -- args` as its own process (the entry that opens the owner's audit log for an act). */
function deskProcess(
  dataDir: string,
  args: readonly string[],
): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      join(ROOT, 'node_modules', '.bin', 'tsx'),
      [join(ROOT, 'subgraphs', 'desk', 'cli.ts'), ...args],
      { cwd: ROOT, env: { ...cleanEnv(), ACCORD_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, err }));
  });
}

let empty: string;
let started: string;

beforeAll(() => {
  empty = mkdtempSync(join(tmpdir(), 'accord-newcomer-empty-'));
  started = mkdtempSync(join(tmpdir(), 'accord-newcomer-started-'));
  // What npm start leaves in its folder: every member's demo identity provider, and the member's desk.
  localTrust(
    started,
    MEMBERS.map((member) => member.code),
  );
  openRequestStore({ owner: COUNTRY, file: deskFile(COUNTRY, started) }).close();
});

afterAll(() => {
  rmSync(empty, { recursive: true, force: true });
  rmSync(started, { recursive: true, force: true });
});

const NAMES_THE_FOLDER = (folder: string): RegExp =>
  new RegExp(`No Accord runs in ${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\s\\S]*ACCORD_DATA_DIR`);

describe('npm run token', () => {
  it('refuses a folder without npm start’s keys, naming it, and makes none', async () => {
    const run = await token(empty);
    expect({ code: run.code, out: run.out }).toEqual({ code: 2, out: '' });
    expect(run.err).toMatch(NAMES_THE_FOLDER(empty));
    expect(contents(empty)).toEqual([]);
  });

  it('signs with the keys npm start made', async () => {
    const run = await token(started);
    expect({ code: run.code, err: run.err }).toEqual({ code: 0, err: '' });
    expect(run.out).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });
});

describe('npm run desk', () => {
  it('refuses a folder without the member’s desk, naming it, and creates none', () => {
    const run = desk(empty, 'list', '--country', COUNTRY);
    expect({ code: run.code, out: run.out }).toEqual({ code: 2, out: '' });
    expect(run.err).toMatch(NAMES_THE_FOLDER(empty));
    expect(contents(empty)).toEqual([]);
  });

  it('an act there opens no audit log either: the folder stays empty', async () => {
    const run = await deskProcess(empty, [
      'revoke',
      '--country',
      COUNTRY,
      '--officer',
      'desk.one',
      '--grant',
      `${COUNTRY}-FUR-2026-0000000000`,
    ]);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(NAMES_THE_FOLDER(empty));
    expect(contents(empty)).toEqual([]);
  }, 60_000);

  it('lists the desk npm start made', () => {
    const run = desk(started, 'list', '--country', COUNTRY);
    expect({ code: run.code, err: run.err }).toEqual({ code: 0, err: '' });
    expect(run.out).toMatch(/^Requests \(0, 0 overdue\):/);
  });
});
