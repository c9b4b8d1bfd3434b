/**
 * A synthetic alliance's members and hub served from a child process (bench/memberProcess.ts). In
 * production every member runs on its own machine; on a 2-core bench host, serving 30 members in the
 * gateway's own process would add their CPU time to the gateway's wall time and measure the host, not
 * the fan-out.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';

/**
 * Which alliance the child serves: synthetic members answering after a delay, or the five reference members;
 * either as Accord's subgraphs, or as plain ones (`plain`: bench/plainMembers.ts, no shield, no token check).
 * `auditUrl`: each member logs its disclosures there; `{instance}` in it stands for the subgraph name (`kr`).
 */
export type RemoteAlliance =
  | { kind: 'synthetic'; size: number; delayMs: number; auditUrl?: string; plain?: boolean }
  /**
   * `grantsDir`: each member reads its grants from its store in that folder (bench/grants.ts), where the
   * parent issues them.
   */
  | { kind: 'reference'; uncheckedTokens: boolean; auditUrl?: string; grantsDir?: string; plain?: boolean };
export type ParentMessage =
  | { type: 'start'; alliance: RemoteAlliance; trustDir: string }
  | { type: 'cpu' }
  | { type: 'profile-start' }
  | { type: 'profile-stop'; file: string }
  | { type: 'stop' };
export type ChildMessage =
  | { type: 'ready' }
  | { type: 'started'; subgraphUrls: Record<string, string> }
  | { type: 'failed'; message: string }
  | { type: 'cpu'; usage: NodeJS.CpuUsage }
  | { type: 'profiled' };

export interface RemoteMembers {
  /** Subgraph name (`aa`, `alliance`) → URL. */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  /** CPU time the member process has used so far (user + system, µs). */
  cpuMicros(): Promise<number>;
  /**
   * Starts the inspector's CPU profiler in the member process; `stopProfile` writes what it sampled since
   * to `file` (a .cpuprofile: bench/cpuProfileSummary.ts reads it).
   */
  startProfile(): Promise<void>;
  stopProfile(file: string): Promise<void>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
const ANSWER_TIMEOUT_MS = 10_000;

export interface RemoteMembersOptions {
  /**
   * The child's entry: this checkout's memberProcess.ts by default; another checkout's (same messages) to
   * compare two versions of the members side by side (bench/membersCpu.ts).
   */
  readonly entry?: string;
  /**
   * Node's options for the child instead of this process's own (which carry tsx's loader): a compiled
   * entry's (bench/compiledEntries.ts), run as the services ship.
   */
  readonly execArgv?: readonly string[];
  /** Node options added to the child's (after this process's own, or `execArgv`): `--cpu-prof`, say. */
  readonly nodeArgs?: readonly string[];
}

/** Starts an alliance's members, plus the hub, in a child process. */
export async function startRemoteMembers(
  alliance: RemoteAlliance,
  trustDir: string,
  options: RemoteMembersOptions = {},
): Promise<RemoteMembers> {
  // Unless told otherwise, the child inherits this process's execArgv, hence tsx's loader: it runs the
  // TypeScript entry as is.
  const child = fork(options.entry ?? join(__dirname, 'memberProcess.ts'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [...(options.execArgv ?? process.execArgv), ...(options.nodeArgs ?? [])],
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });

  function next<T extends ChildMessage['type']>(
    type: T,
    timeoutMs: number,
  ): Promise<Extract<ChildMessage, { type: T | 'failed' }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`The member process did not answer "${type}" within ${timeoutMs} ms.`)),
        timeoutMs,
      );
      const onMessage = (message: ChildMessage) => {
        if (message.type === type || message.type === 'failed')
          finish(undefined, message as Extract<ChildMessage, { type: T | 'failed' }>);
      };
      const onExit = (code: number | null) =>
        finish(new Error(`The member process exited (code ${code}) before answering "${type}".`));
      function finish(error?: Error, message?: Extract<ChildMessage, { type: T | 'failed' }>) {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (error) reject(error);
        else resolve(message!);
      }
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  }

  function kill(): void {
    if (!exited) child.kill('SIGKILL');
  }

  let answer;
  try {
    // The child says when it listens: a message sent while it still loads its modules would be lost.
    await next('ready', START_TIMEOUT_MS);
    const started = next('started', START_TIMEOUT_MS);
    child.send({ type: 'start', alliance, trustDir } satisfies ParentMessage);
    answer = await started;
  } catch (error) {
    kill();
    throw error;
  }
  if (answer.type === 'failed') {
    kill();
    throw new Error(`The member process could not start the members: ${answer.message}`);
  }
  return {
    subgraphUrls: answer.subgraphUrls,
    async cpuMicros() {
      const reply = next('cpu', ANSWER_TIMEOUT_MS);
      child.send({ type: 'cpu' } satisfies ParentMessage);
      const message = await reply;
      if (message.type !== 'cpu') throw new Error(message.message);
      return message.usage.user + message.usage.system;
    },
    async startProfile() {
      const reply = next('profiled', ANSWER_TIMEOUT_MS);
      child.send({ type: 'profile-start' } satisfies ParentMessage);
      const message = await reply;
      if (message.type !== 'profiled') throw new Error(message.message);
    },
    async stopProfile(file: string) {
      const reply = next('profiled', ANSWER_TIMEOUT_MS);
      child.send({ type: 'profile-stop', file } satisfies ParentMessage);
      const message = await reply;
      if (message.type !== 'profiled') throw new Error(message.message);
    },
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'stop' } satisfies ParentMessage);
      const timer = setTimeout(kill, ANSWER_TIMEOUT_MS);
      await gone;
      clearTimeout(timer);
    },
  };
}
