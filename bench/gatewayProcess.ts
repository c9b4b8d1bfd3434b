/**
 * A gateway in a child process of its own, for the peers scenario: each variant's CPU time and resident
 * memory are then its own process's, read by the child itself (process.cpuUsage, memoryUsage().rss) on
 * request. The child speaks bench/peers/child.cjs's protocol: `ready`, then `start` → `started` | `failed`,
 * `stats` → `stats`, `stop`. Accord's child (bench/accordGatewayProcess.ts) runs compiled, as Accord
 * ships (bench/compiledEntries.ts); the peers' children (bench/peers/*.cjs) under bare `node`, as their users run them.
 */
import { fork } from 'node:child_process';

export type GatewayChildMessage =
  | { type: 'ready' }
  | { type: 'started'; url: string }
  | { type: 'failed'; message: string }
  | { type: 'profiled' }
  | {
      type: 'stats';
      cpuMicros: number;
      rssBytes: number;
      heapUsedBytes: number;
      heapTotalBytes: number;
      externalBytes: number;
      heapSpaces?: readonly HeapSpace[];
    };

/** One of V8's heap spaces: reserved and in use, bytes. */
export interface HeapSpace {
  readonly name: string;
  readonly sizeBytes: number;
  readonly usedBytes: number;
}

export interface GatewayStats {
  /** CPU time the gateway's process has used so far (user + system), µs. */
  readonly cpuMicros: number;
  /** Its resident set size now, bytes. */
  readonly rssBytes: number;
  /** Of which V8's heap: in use, and reserved (process.memoryUsage()). */
  readonly heapUsedBytes: number;
  readonly heapTotalBytes: number;
  /** Memory of JavaScript objects held outside V8's heap (buffers), bytes. */
  readonly externalBytes: number;
  /** V8's heap space by space, when the child reports them (bench/peers/child.cjs does). */
  readonly heapSpaces?: readonly HeapSpace[];
}

export interface GatewayProcess {
  readonly url: string;
  readonly pid: number;
  stats(): Promise<GatewayStats>;
  /**
   * Accord's child only (bench/accordGatewayProcess.ts): starts the inspector's CPU profiler;
   * `stopProfile` writes what it sampled since to `file` (bench/cpuProfileSummary.ts reads it).
   */
  startProfile(): Promise<void>;
  stopProfile(file: string): Promise<void>;
  stop(): Promise<void>;
}

export interface GatewayProcessOptions {
  /** The child's entry file. */
  readonly entry: string;
  /** `[]` for bare node; undefined to inherit this process's (the tsx loader). */
  readonly execArgv?: readonly string[];
  /** What the child's `start` receives. */
  readonly settings: Readonly<Record<string, unknown>>;
  readonly env?: NodeJS.ProcessEnv;
}

const START_TIMEOUT_MS = 90_000;
const ANSWER_TIMEOUT_MS = 10_000;

/** Starts a gateway child and waits until it listens; throws (and kills it) when it cannot start. */
export async function startGatewayProcess(options: GatewayProcessOptions): Promise<GatewayProcess> {
  const child = fork(options.entry, [], {
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    ...(options.execArgv ? { execArgv: [...options.execArgv] } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  // Kept for the failure message: a child that dies at start says why on stderr.
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-2_000);
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });

  function next<T extends GatewayChildMessage['type']>(
    type: T,
    timeoutMs: number,
  ): Promise<Extract<GatewayChildMessage, { type: T | 'failed' }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`The gateway process did not answer "${type}" within ${timeoutMs} ms.`)),
        timeoutMs,
      );
      const onMessage = (message: GatewayChildMessage) => {
        if (message.type === type || message.type === 'failed')
          finish(undefined, message as Extract<GatewayChildMessage, { type: T | 'failed' }>);
      };
      const onExit = (code: number | null) =>
        finish(
          new Error(
            `The gateway process exited (code ${code}) before answering "${type}": ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
          ),
        );
      function finish(error?: Error, message?: Extract<GatewayChildMessage, { type: T | 'failed' }>) {
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
  const kill = () => {
    if (!exited) child.kill('SIGKILL');
  };

  let answer;
  try {
    await next('ready', START_TIMEOUT_MS);
    const started = next('started', START_TIMEOUT_MS);
    child.send({ type: 'start', settings: options.settings });
    answer = await started;
  } catch (error) {
    kill();
    throw error;
  }
  if (answer.type === 'failed') {
    kill();
    throw new Error(answer.message);
  }
  return {
    url: answer.url,
    pid: child.pid!,
    async stats() {
      const reply = next('stats', ANSWER_TIMEOUT_MS);
      child.send({ type: 'stats' });
      const message = await reply;
      if (message.type !== 'stats') throw new Error(message.message);
      const { type: _, ...stats } = message;
      return stats;
    },
    async startProfile() {
      const reply = next('profiled', ANSWER_TIMEOUT_MS);
      child.send({ type: 'profile-start' });
      const message = await reply;
      if (message.type !== 'profiled') throw new Error(message.message);
    },
    async stopProfile(file: string) {
      const reply = next('profiled', ANSWER_TIMEOUT_MS);
      child.send({ type: 'profile-stop', file });
      const message = await reply;
      if (message.type !== 'profiled') throw new Error(message.message);
    },
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'stop' });
      const timer = setTimeout(kill, ANSWER_TIMEOUT_MS);
      await gone;
      clearTimeout(timer);
    },
  };
}
