import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageCommands, runCommand } from '../support/packageCommands';

/**
 * Output piped into a reader that stops early (`npm run policy -- matrix | head`): every command line
 * ends quietly with exit 0, never with node's EPIPE stack trace (lib/closedOutput.ts). The reader here
 * is gone before the command writes its first byte, so the write fails every time, whatever the timing.
 * The commands come from package.json (every script that runs a file with tsx, and every bin), as in
 * test/house/cli-args.test.ts: a new command is checked the day it is added.
 */

const STACK = /EPIPE|\n\s+at /;

describe('a command whose reader has gone', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'accord-closed-output-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each([
    ['legal/cli.ts', ['matrix']],
    ['legal/bin/accord-policy', ['matrix', '--format', 'csv']],
    ['bench/run.ts', ['--list']],
  ])('%s %j ends quietly, exit 0', async (command, args) => {
    const run = await runCommand(command, args, dataDir, { readerGone: true });
    expect(run.stderr).not.toMatch(STACK);
    expect(run.code).toBe(0);
  });

  it.each(packageCommands())('%s --help ends quietly, exit 0', async (command) => {
    const run = await runCommand(command, ['--help'], dataDir, { readerGone: true });
    expect(run.stderr).not.toMatch(STACK);
    expect(run.code).toBe(0);
  });
});
