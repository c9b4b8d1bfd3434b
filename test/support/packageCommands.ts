import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The command lines package.json runs, for the house tests that check every one of them
 * (test/house/cli-args.test.ts, test/house/closed-output.test.ts): a new command is checked the day it is
 * added.
 */

const ROOT = join(__dirname, '..', '..');

/** Every file a script runs with tsx (`tsx file.ts` or `node --import tsx file.ts`), and every bin. */
export function packageCommands(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
    bin: Record<string, string>;
  };
  const files = Object.values(pkg.scripts).flatMap((script) =>
    [...script.matchAll(/\btsx\s+(\S+\.ts)\b/g)].map((match) => match[1]!),
  );
  return [...new Set([...files, ...Object.values(pkg.bin)])].sort();
}

export interface CommandRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `command args` (a file of the repository: TypeScript under tsx, a bin under node) with no
 * ACCORD_ variable of this environment, its data and CLI folders in `dataDir`. With `readerGone`, its
 * standard output's reader is gone before it writes (`| head` that has read all it wanted).
 */
export function runCommand(
  command: string,
  args: readonly string[],
  dataDir: string,
  { readerGone = false } = {},
): Promise<CommandRun> {
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
    let stdout = '';
    let stderr = '';
    if (readerGone) child.stdout.destroy();
    else child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
