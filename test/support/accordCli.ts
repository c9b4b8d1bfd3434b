import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * The built `accord` command as an analyst runs it: `cli/bin/accord` (package.json "bin") in its own
 * process, with an environment of the test's choosing. Built once before the tests (as npm ci's prepare
 * builds it), so that no test pays for, or races, a rebuild.
 */

export const ROOT = join(__dirname, '..', '..');
export const BIN = join(ROOT, 'cli', 'bin', 'accord');

export function buildAccord(): void {
  execFileSync(process.execPath, [join(ROOT, 'cli', 'build.js')], { cwd: ROOT, stdio: 'pipe' });
}

export interface AccordRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** This process's environment without anything that would point accord at another gateway, home or data. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!/^(ACCORD_|XDG_CONFIG_HOME$)/.test(name)) env[name] = value;
  return env;
}

/** Runs `accord args` with `env` (on top of cleanEnv) and `input` on standard input (none: a closed pipe). */
export function accord(args: readonly string[], env: NodeJS.ProcessEnv, input?: string): Promise<AccordRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...cleanEnv(), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A command that does not read its input may exit before the input is written: the write then fails
    // with EPIPE, which says nothing about the command (its exit code and output are what the tests judge).
    child.stdin.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') reject(error);
    });
    child.stdin.end(input ?? '');
  });
}

/** Nothing of the machinery in what accord says: no stack frame, no library error, no system error code. */
export const INTERNAL = /\n\s+at |TypeError|ReferenceError|ECONN|EADDR|node:internal|undici|\.ts:\d+/;

/** PATH with the `accord` command first, as `npm link` (or the README's `export PATH=…`) leaves it. */
export function pathWithAccord(env: NodeJS.ProcessEnv = process.env): string {
  return `${join(ROOT, 'cli', 'bin')}:${env['PATH'] ?? ''}`;
}
