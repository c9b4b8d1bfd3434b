import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { pipeLines, prefixed, SUPERVISOR_NAME, type Output } from './output';
import { DEFAULT_RESTART_POLICY, RestartTracker, type RestartPolicy } from './restartPolicy';
import { EXIT_PORT_TAKEN } from '../lib/process';

/**
 * One service process, kept running: `node <execArgv> <entry>` (a compiled bundle, or TypeScript under
 * the tsx loader), ready when it sends `{ type: 'ready', url }` over
 * IPC (lib/process.ts), restarted with backoff when it exits on its own, on the port it had so that the
 * URLs the gateway was given stay right.
 */

export interface SupervisedProcessOptions {
  /** Prefix of its output and name in messages. */
  readonly name: string;
  /** Absolute path of the entry file: a compiled bundle (dist/…/main.js) or a TypeScript source. */
  readonly entry: string;
  /** Node's options before the entry; default: the tsx loader, for a TypeScript entry. */
  readonly execArgv?: readonly string[];
  readonly cwd: string;
  /** 0 = a free port; a restart reuses the port the first run reported. */
  readonly port: number;
  /** Its environment; `PORT` is set from `port`. */
  readonly env: NodeJS.ProcessEnv;
  readonly output: Output;
  readonly policy?: RestartPolicy;
  /** A start that has not sent `ready` by then is killed and counts as a crash. */
  readonly readyTimeoutMs?: number;
  /** Between SIGTERM and SIGKILL when stopping. */
  readonly stopGraceMs?: number;
  /** Called once, when it has crashed too often in a row and will not be started again. */
  readonly onGiveUp?: (message: string) => void;
  /** Called at every `ready`, the first and each after a restart, with the URL and pid it runs as. */
  readonly onReady?: (url: string, pid: number | undefined) => void;
}

export const DEFAULT_READY_TIMEOUT_MS = 120_000;
export const DEFAULT_STOP_GRACE_MS = 5_000;

/** tsx's loader as a file URL: `--import tsx` works from Node 20.6 on (Node 20 and 24 alike). */
const TSX_LOADER = pathToFileURL(require.resolve('tsx')).href;

/**
 * Node's settings for every service, whichever way it runs: `--expose-gc` lets the gateway collect once
 * after loading its supergraph, when most of what the load allocated is garbage, so that the memory
 * returns to the system rather than staying reserved (gateway/supergraphLoad.ts,
 * docs/decisions/0022-gateway-memory.md). The other services never call it.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--expose-gc'];
/**
 * How far the gateway's old generation may grow past what was live after V8's last full collection before
 * the next one: half again. V8's own choice on a host with memory to spare is up to four times, and under
 * load the gateway's old generation fills with what each request held while in flight (promoted from the
 * young generation, dead once answered): over 30 members about 90 MB live grew to 250 MB and more before a
 * full collection, and V8 keeps the pages it grew to. With this bound the old generation stays within
 * 1.5 times its live size plus the young generation, and full collections run more often: about 6% more
 * CPU per request over 30 members (docs/decisions/0022-gateway-memory.md). The gateway's only: the
 * members were not measured.
 */
export const GATEWAY_HEAP_GROWING_PERCENT = 50;
/** The major version of the Node running this process. */
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);
/**
 * The gateway's young generation, each of its two semi-spaces at most this many MB. V8 lets the old
 * generation grow by one semi-space on top of the factor above before a full collection, and keeps the
 * young generation's pages once it has grown them. Node 20's and 22's V8 stop at 16 MB, which is given
 * here so that it stays so; Node 24's (V8 13) grows them to 64 MB, and there the gateway held 380 to 480
 * MB under load over 30 members, and 298 to 304 MB with 16 MB and the factor above: 8 MB holds it at 276
 * to 283 MB (docs/decisions/0022-gateway-memory.md).
 */
export const GATEWAY_SEMI_SPACE_MB = NODE_MAJOR >= 24 ? 8 : 16;
/**
 * Node's settings for the gateway, on top of every service's, whichever way it runs: the young
 * generation's size, then the old generation's bound. Measured on Node 20 and 24 under the gateway's
 * load, and with test/start/gateway-heap.test.ts's stand-in on Node 20, 22 and 24; that test holds both
 * on the Node it runs under.
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = [
  `--max-semi-space-size=${GATEWAY_SEMI_SPACE_MB}`,
  `--heap-growing-percent=${GATEWAY_HEAP_GROWING_PERCENT}`,
];
/** A TypeScript entry, compiled as it loads (`npm start -- --from-source`). */
export const SOURCE_EXEC_ARGV: readonly string[] = [...SERVICE_NODE_FLAGS, '--import', TSX_LOADER];
/** The gateway's TypeScript entry, compiled as it loads. */
export const SOURCE_GATEWAY_EXEC_ARGV: readonly string[] = [...SOURCE_EXEC_ARGV, ...GATEWAY_NODE_FLAGS];
/** A compiled bundle: its stack traces name the TypeScript file and line through its source map. */
export const COMPILED_EXEC_ARGV: readonly string[] = [...SERVICE_NODE_FLAGS, '--enable-source-maps'];
/**
 * The gateway's bundle, without source maps: node's `--enable-source-maps` also reads and keeps the maps
 * of every package that ships them (@apollo/*, graphql), about 20 MB of the gateway's resident memory over
 * 100 members (docs/decisions/0022-gateway-memory.md). Its stack traces name the bundle's line and the
 * function (names are kept); an operator who wants the TypeScript lines sets
 * `NODE_OPTIONS=--enable-source-maps`.
 */
export const COMPILED_GATEWAY_EXEC_ARGV: readonly string[] = [...SERVICE_NODE_FLAGS, ...GATEWAY_NODE_FLAGS];

/** How a compiled service starts: the gateway without source maps and with its heap bound, every other service with maps. */
export function compiledExecArgv(role: 'gateway' | 'service'): readonly string[] {
  return role === 'gateway' ? COMPILED_GATEWAY_EXEC_ARGV : COMPILED_EXEC_ARGV;
}

/** How a service starts from its TypeScript source: the gateway with its heap bound. */
export function sourceExecArgv(role: 'gateway' | 'service'): readonly string[] {
  return role === 'gateway' ? SOURCE_GATEWAY_EXEC_ARGV : SOURCE_EXEC_ARGV;
}

/** Why `start()` was refused: the service gave up before its first `ready`, or was stopped first. */
export class ServiceStartError extends Error {
  override readonly name = 'ServiceStartError';
}

interface ReadyMessage {
  type: 'ready';
  url: string;
}

export class SupervisedProcess {
  private readonly tracker: RestartTracker;
  private child: ChildProcess | undefined;
  /** Settles when the current child's process and streams have closed. */
  private closed: Promise<void> = Promise.resolve();
  private port: number;
  private currentUrl: string | undefined;
  private stopping = false;
  private gaveUp = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private firstReady: { resolve: (url: string) => void; reject: (error: Error) => void } | undefined;

  constructor(private readonly options: SupervisedProcessOptions) {
    this.tracker = new RestartTracker(options.policy ?? DEFAULT_RESTART_POLICY);
    this.port = options.port;
  }

  get name(): string {
    return this.options.name;
  }

  /** The URL it reported, once ready. */
  get url(): string | undefined {
    return this.currentUrl;
  }

  /** The pid of the process now running, if any. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Spawns it; resolves with its URL at its first `ready`, through restarts if it crashes on the way. */
  start(): Promise<string> {
    if (this.child || this.firstReady) throw new Error(`${this.name} was started twice.`);
    return new Promise<string>((resolve, reject) => {
      this.firstReady = { resolve, reject };
      this.spawnOnce();
    });
  }

  /** SIGTERM, then SIGKILL after the grace period; resolves once it has exited. Never restarts after. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    this.rejectStart(`${this.name} was stopped before it was ready.`);
    const child = this.child;
    if (!child) return;
    const grace = this.options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
    const killTimer = setTimeout(() => {
      this.note(`did not stop within ${grace / 1000} s of SIGTERM; sending SIGKILL`);
      child.kill('SIGKILL');
    }, grace);
    child.kill('SIGTERM');
    await this.closed;
    clearTimeout(killTimer);
  }

  private spawnOnce(): void {
    const startedAt = Date.now();
    const execArgv = this.options.execArgv ?? SOURCE_EXEC_ARGV;
    const child = spawn(process.execPath, [...execArgv, this.options.entry], {
      cwd: this.options.cwd,
      env: { ...this.options.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Its own process group: a Ctrl-C in the terminal reaches the supervisor only, which stops the
      // children in order instead of mistaking their exit for a crash.
      detached: true,
    });
    this.child = child;
    pipeLines(child.stdout!, this.name, (line) => this.options.output.out(line));
    pipeLines(child.stderr!, this.name, (line) => this.options.output.err(line));

    const readyTimeoutMs = this.options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    const readyTimer = setTimeout(() => {
      this.note(`not ready after ${readyTimeoutMs / 1000} s; killing it`);
      child.kill('SIGKILL');
    }, readyTimeoutMs);

    child.on('message', (message: unknown) => {
      if (!isReadyMessage(message)) return;
      clearTimeout(readyTimer);
      this.onReady(message.url, child.pid);
    });

    this.closed = new Promise<void>((resolve) => {
      let handled = false;
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (handled) return;
        handled = true;
        clearTimeout(readyTimer);
        if (this.child === child) this.child = undefined;
        resolve();
        this.onExit(code, signal, Date.now() - startedAt);
      };
      child.once('close', onExit);
      child.once('error', (error) => {
        this.note(`could not be started: ${error.message}`);
        // A process that never started emits no 'close'.
        if (child.pid === undefined) onExit(null, null);
      });
    });
  }

  private onReady(url: string, pid: number | undefined): void {
    const previous = this.currentUrl;
    this.currentUrl = url;
    const port = Number(new URL(url).port);
    if (this.port === 0 && Number.isInteger(port) && port > 0) this.port = port;
    this.options.onReady?.(url, pid);
    if (this.firstReady) {
      this.firstReady.resolve(url);
      this.firstReady = undefined;
    } else if (previous !== undefined && previous !== url) {
      this.note(
        `restarted (pid ${pid}) at ${url}, not at ${previous} as before: the gateway still uses the old URL`,
      );
    } else {
      this.note(`restarted (pid ${pid}) at ${url}`);
    }
  }

  /** Never restarts it again: says why (to the terminal and to whoever awaits its start). */
  private giveUp(message: string): void {
    this.gaveUp = true;
    this.options.output.err(prefixed(SUPERVISOR_NAME, message));
    this.rejectStart(message);
    this.options.onGiveUp?.(message);
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null, ranForMs: number): void {
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    if (this.stopping) {
      this.note(`stopped (${how.replace(/^was /, '')})`);
      return;
    }
    const after = `after ${(ranForMs / 1000).toFixed(1)} s`;
    if (code === EXIT_PORT_TAKEN) {
      // Another program holds its port: a restart would meet the same port, so give up now with the way out.
      this.giveUp(
        `${this.name} ${how} ${after}: its port is taken by another program (see its line above). ` +
          `Stop that program, or start Accord on other ports: npm start -- --free-ports (each service on ` +
          `a free port) or npm start -- --port-base <n> (the default layout moved to n).`,
      );
      return;
    }
    const decision = this.tracker.onCrash(ranForMs);
    if (decision.action === 'give-up') {
      const crashes = decision.fastCrashes === 1 ? '1 crash' : `${decision.fastCrashes} crashes`;
      this.giveUp(
        `${this.name} ${how} ${after}: ${crashes} in a row, each soon after it started. ` +
          `Not restarting it; the error is in its output above (lines prefixed "${this.name}").`,
      );
      return;
    }
    this.note(
      `${how} ${after}; restarting in ${(decision.delayMs / 1000).toFixed(1)} s (crash ${decision.fastCrashes} in a row)`,
    );
    this.restartTimer = setTimeout(() => {
      if (!this.stopping) this.spawnOnce();
    }, decision.delayMs);
  }

  /** True once it has crashed too often and will not be restarted. */
  get hasGivenUp(): boolean {
    return this.gaveUp;
  }

  private rejectStart(message: string): void {
    this.firstReady?.reject(new ServiceStartError(message));
    this.firstReady = undefined;
  }

  private note(text: string): void {
    this.options.output.out(prefixed(SUPERVISOR_NAME, `${this.name} ${text}`));
  }
}

function isReadyMessage(message: unknown): message is ReadyMessage {
  if (message === null || typeof message !== 'object') return false;
  const { type, url } = message as Record<string, unknown>;
  return type === 'ready' && typeof url === 'string';
}
