import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Output piped into a reader that stops early (`npm run policy -- matrix | head`): every command line
 * ends quietly with exit 0, never with node's EPIPE stack trace (lib/closedOutput.ts). The reader here
 * is gone before the command writes its first byte, so the write fails every time, whatever the timing.
 * The commands come from package.json (every script that runs a file with tsx, and every bin), as in
 * test/house/cli-args.test.ts: a new command is checked the day it is added.
 */

const ROOT = join(__dirname, '..', '..');

function packageCommands(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
    bin: Record<string, string>;
  };
  const files = Object.values(pkg.scripts).flatMap((script) =>
    [...script.matchAll(/\b(?:tsx|--import tsx)\s+(\S+\.ts)\b/g)].map((match) => match[1]!),
  );
  return [...new Set([...files, ...Object.values(pkg.bin)])].sort();
}

interface Run {
  readonly code: number | null;
  readonly stderr: string;
}

/** Runs `command args` with its standard output's reader already gone; what it says on stderr and its exit. */
function runIntoClosedPipe(command: string, args: readonly string[], dataDir: string): Promise<Run> {
  const file = join(ROOT, command);
  const [program, argv] = command.endsWith('.ts')
    ? [join(ROOT, 'node_modules', '.bin', 'tsx'), [file, ...args]]
    : [process.execPath, [file, ...args]];
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('ACCORD_')) env[name] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(program, argv, {
      cwd: ROOT,
      env: { ...env, ACCORD_DATA_DIR: dataDir, ACCORD_CLI_HOME: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // `| head` that has read all it wanted: the read end closes before the first write.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

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
    const run = await runIntoClosedPipe(command, args, dataDir);
    expect(run.stderr).not.toMatch(STACK);
    expect(run.code).toBe(0);
  });

  it.each(packageCommands())('%s --help ends quietly, exit 0', async (command) => {
    const run = await runIntoClosedPipe(command, ['--help'], dataDir);
    expect(run.stderr).not.toMatch(STACK);
    expect(run.code).toBe(0);
  });
});
