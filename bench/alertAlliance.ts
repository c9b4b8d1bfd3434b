/**
 * The alerts scenario's alliance in the production layout (bench/scenarios/alerts.ts): the hub, every member
 * and the gateway each in a process of its own, as `npm start` runs them (scripts/supervisor.ts): the same
 * compiled entries in dist/ (built first when a source changed), the same order (the hub, then the members
 * with `ACCORD_HUB_URL`, then the gateway with `ACCORD_SUBGRAPH_URLS`), one data folder with the demo
 * identity providers and the gateway's keys (trust/localTrust.ts), every audit log on SQLite as by default.
 * Two differences: the owner of the watched records runs bench/alertOwnerProcess.ts, the member's own
 * process plus the notice driver; and the activity simulator and the legal page (a build in a child
 * process) are off, so that nothing but the benchmark's load runs.
 *
 * Each process's CPU time is read from /proc/<pid>/stat (Linux; elsewhere not measured), this process's
 * (the analyst's stream and the search load) from process.cpuUsage. With `ACCORD_BENCH_CPU_PROFILE` set
 * to a folder, every process of the alliance runs under node's `--cpu-prof` and writes `<name>.cpuprofile`
 * there when it stops (read them with bench/cpuProfileSummary.ts; the profiler's cost inflates that run).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HUB_NAME, MEMBERS, subgraphName } from '../schema';
import { localTrust, type LocalTrust } from '../trust';
import { buildServicesIfStale, compiledEntry } from '../scripts/serviceBuild';
import { startPlanFrom } from '../scripts/services';
import { presentEntries } from '../scripts/supervisor';
import { compiledExecArgv } from '../scripts/supervisedProcess';
import { compiledBenchChildren } from './compiledEntries';
import type { OwnerCommand, OwnerMessage, WatchedSuspect } from './alertDriver';

const ROOT = join(__dirname, '..');
const READY_TIMEOUT_MS = 180_000;
const STOP_GRACE_MS = 10_000;
/** Linux's clock ticks per second in /proc (USER_HZ, 100 on every architecture node runs on). */
const TICKS_PER_S = 100;

export interface AlertAlliance {
  readonly gatewayUrl: string;
  readonly alertsUrl: string;
  readonly trust: LocalTrust;
  readonly owner: OwnerDriver;
  /** CPU time used so far, ms, by process name (`gateway`, `alliance`, each member, `bench`). */
  cpu(): Record<string, number>;
  stop(): Promise<void>;
}

export interface OwnerDriver {
  suspects(count: number): Promise<WatchedSuspect[]>;
  /** Starts a drive; `done` resolves with its notices, `halt` ends an open one. */
  drive(options: Omit<Extract<OwnerCommand, { type: 'drive' }>, 'type' | 'id'>): {
    done: Promise<Extract<OwnerMessage, { type: 'driven' }>>;
    halt(): void;
  };
  /** Told of every batch the hub acknowledged to the owner's relay, with the instant (shared clock). */
  onRelayed(listener: (acknowledged: readonly string[], at: number) => void): void;
}

export async function startAlertAlliance(options: {
  readonly dataDir: string;
  /** The member whose records change: its process carries the notice driver. */
  readonly owner: string;
  readonly log: (line: string) => void;
}): Promise<AlertAlliance> {
  const built = await buildServicesIfStale(ROOT, presentEntries(ROOT, startPlanFrom([], {})));
  if (built !== undefined) options.log(`  compiled the services first (${built})`);
  const bench = await compiledBenchChildren(options.log);
  const trust = localTrust(
    options.dataDir,
    MEMBERS.map((member) => member.code),
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ACCORD_DATA_DIR: options.dataDir,
    ACCORD_DEMO_IDENTITY: '1',
    ACCORD_SIMULATE: '0',
    ACCORD_LEGAL_PAGE: '0',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'error',
  };
  for (const name of Object.keys(env))
    if (/^ACCORD_(PORT_|.*_URL$)/.test(name) && name !== 'ACCORD_AUDIT_URL') delete env[name];
  const profileDir = process.env['ACCORD_BENCH_CPU_PROFILE'];
  const children: Child[] = [];
  const stop = async (): Promise<void> => {
    // The gateway first, then the members, then the hub (scripts/supervisor.ts's order).
    for (const group of [
      children.filter((c) => c.name === 'gateway'),
      children.filter((c) => c.name !== 'gateway' && c.name !== HUB_NAME),
      children.filter((c) => c.name === HUB_NAME),
    ])
      await Promise.all(group.map((child) => child.stop()));
  };
  try {
    const service = (name: string): string => compiledEntry(ROOT, `subgraphs/${name}/main.ts`);
    const profiled = (name: string, argv: string[]): string[] =>
      profileDir
        ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}.cpuprofile`, ...argv]
        : argv;
    const hub = new Child(HUB_NAME, profiled(HUB_NAME, [service(HUB_NAME)]), env);
    children.push(hub);
    const hubUrl = new URL(await hub.ready).origin;
    const memberEnv = { ...env, ACCORD_HUB_URL: hubUrl };
    const members = MEMBERS.map((member) => {
      const name = subgraphName(member.code);
      const argv =
        member.code === options.owner
          ? [bench['bench/alertOwnerProcess.ts'].entry, member.code]
          : [service(name)];
      const child = new Child(name, profiled(name, argv), memberEnv);
      children.push(child);
      return child;
    });
    const urls: Record<string, string> = { [HUB_NAME]: await hub.ready };
    for (const member of members) urls[member.name] = await member.ready;
    const gateway = new Child('gateway', profiled('gateway', [compiledEntry(ROOT, 'gateway/main.ts')]), {
      ...env,
      ACCORD_SUBGRAPH_URLS: JSON.stringify(urls),
    });
    children.push(gateway);
    const gatewayUrl = await gateway.ready;
    const ownerChild = members.find((member) => member.name === subgraphName(options.owner))!;
    return {
      gatewayUrl,
      alertsUrl: gatewayUrl.replace(/\/graphql$/, '/alerts'),
      trust,
      owner: ownerDriver(ownerChild),
      cpu() {
        const used: Record<string, number> = {};
        for (const child of children) used[child.name] = child.cpuMs();
        const self = process.cpuUsage();
        used['bench'] = (self.user + self.system) / 1000;
        return used;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** One service's process: node with the services' flags, its own process group, IPC for `ready`. */
class Child {
  readonly process: ChildProcess;
  readonly ready: Promise<string>;
  private readonly exited: Promise<void>;
  private output = '';

  constructor(
    readonly name: string,
    argv: readonly string[],
    env: NodeJS.ProcessEnv,
  ) {
    const role = name === 'gateway' ? 'gateway' : 'service';
    this.process = spawn(process.execPath, [...compiledExecArgv(role), ...argv], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: true,
    });
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString('utf8')).slice(-4_000);
    };
    this.process.stdout!.on('data', keep);
    this.process.stderr!.on('data', keep);
    this.exited = new Promise((done) => this.process.once('exit', () => done()));
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name} was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${this.output}`)),
        READY_TIMEOUT_MS,
      );
      this.process.on('message', (message: { type?: string; url?: string }) => {
        if (message.type !== 'ready' || typeof message.url !== 'string') return;
        clearTimeout(timer);
        resolve(message.url);
      });
      void this.exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`${name} exited before it was ready:\n${this.output}`));
      });
    });
    // Awaited by the caller in order; a rejection seen first elsewhere must not go unhandled.
    this.ready.catch(() => undefined);
  }

  /** CPU time (user + system) of the process so far, ms; NaN where /proc cannot say. */
  cpuMs(): number {
    try {
      const stat = readFileSync(`/proc/${this.process.pid}/stat`, 'utf8');
      // The fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S;
    } catch {
      return NaN;
    }
  }

  /** SIGTERM (the service stops cleanly: audit logs sealed, CPU profiles written), SIGKILL after a grace. */
  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const kill = setTimeout(() => this.process.kill('SIGKILL'), STOP_GRACE_MS);
    this.process.kill('SIGTERM');
    await this.exited;
    clearTimeout(kill);
  }
}

function ownerDriver(child: Child): OwnerDriver {
  let nextId = 0;
  const relayed: ((acknowledged: readonly string[], at: number) => void)[] = [];
  let failure: Error | undefined;
  child.process.on('message', (message: OwnerMessage) => {
    if (message.type === 'relay') for (const listener of relayed) listener(message.acknowledged, message.at);
    if (message.type === 'failed') failure ??= new Error(`the owner's driver failed: ${message.message}`);
  });
  function next<T extends OwnerMessage['type']>(
    type: T,
    accept: (message: Extract<OwnerMessage, { type: T }>) => boolean = () => true,
  ): Promise<Extract<OwnerMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      if (failure) return reject(failure);
      const onMessage = (message: OwnerMessage): void => {
        if (message.type === 'failed') finish(new Error(`the owner's driver failed: ${message.message}`));
        else if (message.type === type && accept(message as Extract<OwnerMessage, { type: T }>))
          finish(undefined, message as Extract<OwnerMessage, { type: T }>);
      };
      const onExit = (): void => finish(new Error(`the owner's process exited`));
      function finish(error?: Error, message?: Extract<OwnerMessage, { type: T }>): void {
        child.process.off('message', onMessage);
        child.process.off('exit', onExit);
        if (error) reject(error);
        else resolve(message!);
      }
      child.process.on('message', onMessage);
      child.process.once('exit', onExit);
    });
  }
  const send = (command: OwnerCommand): void => void child.process.send(command);
  return {
    async suspects(count) {
      const answer = next('suspects');
      send({ type: 'suspects', count });
      return (await answer).suspects;
    },
    drive(options) {
      const id = (nextId += 1);
      const done = next('driven', (message) => message.id === id);
      send({ type: 'drive', id, ...options });
      return { done, halt: () => send({ type: 'halt', id }) };
    },
    onRelayed(listener) {
      relayed.push(listener);
    },
  };
}
