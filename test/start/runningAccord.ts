import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `npm start` as the tests run it: a process whose output is collected, the services its ready banner
 * lists (name, URL, pid), and a cleanup that leaves no process behind. Every pid is kept; nothing is
 * ever killed by name.
 */

export const ROOT = join(__dirname, '..', '..');
/** Readiness of seven processes on two cores, with other test files running beside: generous. */
export const READY_TIMEOUT_MS = 180_000;

export interface ServiceLine {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export class RunningAccord {
  readonly process: ChildProcess;
  readonly exited: Promise<Exit>;
  readonly dataDir: string;
  private text = '';
  private readonly waiters = new Set<() => void>();
  /** Every pid seen in the output (banner and restarts), for the cleanup. */
  private readonly pids = new Set<number>();
  private exit: Exit | undefined;

  /** Spawns `command args` in the repository root with free ports and a fresh data folder (and `env` on top). */
  constructor(
    command: string,
    args: readonly string[],
    options: { detached?: boolean; env?: NodeJS.ProcessEnv } = {},
  ) {
    this.dataDir = mkdtempSync(join(tmpdir(), 'accord-start-'));
    this.process = spawn(command, args, {
      cwd: ROOT,
      env: { ...testEnv(this.dataDir), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: options.detached ?? false,
    });
    const collect = (chunk: Buffer): void => {
      this.text += chunk.toString('utf8');
      for (const match of this.text.matchAll(/\(pid (\d+)\)/g)) this.pids.add(Number(match[1]));
      for (const wake of this.waiters) wake();
    };
    this.process.stdout!.on('data', collect);
    this.process.stderr!.on('data', collect);
    // 'close', not 'exit': the output is complete, and so is every process that shared its pipes.
    this.exited = new Promise<Exit>((resolve) => {
      this.process.once('close', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
        for (const wake of this.waiters) wake();
      });
    });
  }

  get output(): string {
    return this.text;
  }

  /** Resolves with the first match of `pattern` in the output after `from`; rejects at the deadline or exit. */
  waitFor(pattern: RegExp, timeoutMs: number, from = 0): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const match = this.text.slice(from).match(pattern);
        if (match) done(() => resolve(match));
        else if (this.exit)
          done(() =>
            reject(
              new Error(
                `Exited (${JSON.stringify(this.exit)}) before printing ${pattern}. Output:\n${this.text}`,
              ),
            ),
          );
      };
      const timer = setTimeout(
        () =>
          done(() => reject(new Error(`Not seen within ${timeoutMs} ms: ${pattern}. Output:\n${this.text}`))),
        timeoutMs,
      );
      const done = (settle: () => void): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        settle();
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Waits for the ready banner and returns the services it lists, by name. */
  async ready(): Promise<Map<string, ServiceLine>> {
    await this.waitFor(/^Stop with Ctrl-C\.$/m, READY_TIMEOUT_MS);
    const banner = this.text.slice(this.text.indexOf('Accord is ready:'));
    const services = new Map<string, ServiceLine>();
    for (const match of banner.matchAll(/^ {2}(\S+) +(http:\/\/\S+) +\(pid (\d+)\)$/gm)) {
      services.set(match[1]!, { name: match[1]!, url: match[2]!, pid: Number(match[3]) });
    }
    return services;
  }

  /** Stops whatever is still running (the supervisor, then any service pid seen) and removes the data. */
  async cleanup(): Promise<void> {
    if (!this.exit && this.process.pid !== undefined) {
      this.process.kill('SIGTERM');
      const timer = setTimeout(() => this.process.kill('SIGKILL'), 10_000);
      await this.exited;
      clearTimeout(timer);
    }
    for (const pid of this.pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * How the supervisor said it ended, from its own last line (scripts/start.ts): `clean` is printed only on
 * the path that exits 0 once every service has stopped, `error` on the path that exits 1, `none` when it
 * never got that far. This is the supervisor's own report, unlike the exit status of an `npm start`
 * around it, which depends on which process of the group handles a Ctrl-C first.
 */
export function supervisorEnding(output: string): 'clean' | 'error' | 'none' {
  // Its lines are "accord   | …" (scripts/output.ts); a service's output never starts with its name.
  const lines = output.split('\n').filter((line) => /^accord +\| every service has stopped/.test(line));
  if (lines.some((line) => /\| every service has stopped; exiting with an error$/.test(line))) return 'error';
  if (lines.some((line) => /\| every service has stopped$/.test(line))) return 'clean';
  return 'none';
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This environment without anything that would pin a port or a URL, plus free ports and `dataDir`. */
function testEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name === 'PORT' || name === 'ACCORD_SUBGRAPH_URLS' || /^ACCORD_(PORT_\w+|\w+_URL)$/.test(name))
      continue;
    env[name] = value;
  }
  return { ...env, ACCORD_PORTS: '0', ACCORD_DATA_DIR: dataDir, HOST: '127.0.0.1' };
}

/** POSTs a GraphQL query to `url` with `headers`; returns the parsed body. */
export async function graphql(
  url: string,
  query: string,
  headers: Readonly<Record<string, string>>,
): Promise<{ data?: Record<string, unknown> | null; errors?: unknown[] }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: Record<string, unknown> | null; errors?: unknown[] };
}
