/**
 * What a benchmark scenario is made of, and the helpers scenarios measure with: percentiles, a bounded
 * closed-loop load generator, interleaved A/B rounds and a keep-alive GraphQL client.
 *
 * This machine (and CI) is small, shared and noisy, so a scenario reports RATIOS of two variants measured
 * side by side in one run; absolute numbers are printed for context only. Every loop here is bounded in
 * count and in time. Add a scenario: see bench/README.md.
 */
import { Agent, request as httpRequest } from 'node:http';

/** One measured number, with its unit: `{ name: 'gateway p50', value: 12.3, unit: 'ms' }`. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

/** A goal on a ratio: the ratio must be at most `max` and/or at least `min`. */
export interface Goal {
  readonly max?: number;
  readonly min?: number;
}

/** A measured value divided by its baseline, with the goal it is held to (if it has one). */
export interface Ratio {
  /** What is divided by what: 'wall / slowest member'. */
  readonly metric: string;
  readonly value: number;
  /** '≤ 1.3'; absent when the ratio is reported for information only. */
  readonly goal?: string;
  readonly met?: boolean;
}

export interface ScenarioResult {
  readonly figures: readonly Figure[];
  readonly ratios?: readonly Ratio[];
}

export interface ScenarioContext {
  /** Shorter runs (fewer rounds, shorter loads): for checking that a scenario works, not for figures. */
  readonly quick: boolean;
  /** Aborted when the scenario runs out of time; pass it to `closedLoop`. */
  readonly signal: AbortSignal;
  /** Progress for the person watching (stderr); results go in the returned figures. */
  log(message: string): void;
  /**
   * Registers a clean-up (stop a server, remove a directory). Clean-ups run after the scenario, in reverse
   * order, whether it succeeded, failed or timed out.
   */
  defer(cleanup: () => unknown): void;
  /** A fresh temporary directory, removed after the scenario. */
  tempDir(prefix: string): Promise<string>;
}

export interface Scenario {
  /** Kebab-case, unique; what `--only` takes. */
  readonly name: string;
  /** One line: what is measured against what. */
  readonly description: string;
  /** Hard limit of the whole scenario, set-up included (default 180 s). */
  readonly timeoutS?: number;
  run(ctx: ScenarioContext): Promise<ScenarioResult>;
}

// ---------------------------------------------------------------------------------------------------------
// Statistics

/**
 * The p-th percentile (0–100) by the nearest-rank method: the smallest sample with at least p% of the
 * samples at or below it. p = 0 gives the minimum, p = 100 the maximum. Does not modify `samples`.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`A percentile is between 0 and 100, not ${p}.`);
  if (samples.length === 0) throw new RangeError('A percentile of no samples is undefined.');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** The median (mean of the two middle samples when the count is even). */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new RangeError('A median of no samples is undefined.');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** `measured / baseline`, held to `goal` when given: `ratio('wall / slowest member', 61, 50, { max: 1.3 })`. */
export function ratio(metric: string, measured: number, baseline: number, goal?: Goal): Ratio {
  if (!(baseline > 0))
    throw new RangeError(`The baseline of "${metric}" must be a positive number, not ${baseline}.`);
  const value = measured / baseline;
  if (!goal || (goal.max === undefined && goal.min === undefined)) return { metric, value };
  const met = (goal.max === undefined || value <= goal.max) && (goal.min === undefined || value >= goal.min);
  const text = [goal.min !== undefined ? `≥ ${goal.min}` : '', goal.max !== undefined ? `≤ ${goal.max}` : '']
    .filter(Boolean)
    .join(' and ');
  return { metric, value, goal: text, met };
}

// ---------------------------------------------------------------------------------------------------------
// Load

export interface LoadOptions {
  /** Requests in flight at any time (each worker sends its next request when its last one answered). */
  readonly concurrency: number;
  /** Measure for this long... */
  readonly durationMs?: number;
  /** ...or for this many requests; the first bound reached ends the load. At least one is required. */
  readonly requests?: number;
  /** Load sent before measuring, not counted: a duration and/or a request count (first bound wins). */
  readonly warmupMs?: number;
  readonly warmupRequests?: number;
  /** Hard stop of each phase whatever the bounds above (default: durationMs × 2 + 10 s, at most 120 s). */
  readonly maxDurationMs?: number;
  /** Stops the load early (the scenario's `ctx.signal`). */
  readonly signal?: AbortSignal;
  /** Throw after the load when any request failed (default true): figures with errors in them mislead. */
  readonly failOnError?: boolean;
}

export interface LoadResult {
  /** Requests answered successfully in the measured phase. */
  readonly requests: number;
  readonly errors: number;
  readonly firstError?: string;
  readonly elapsedMs: number;
  /** Successful requests per second over the measured phase. */
  readonly throughput: number;
  /** Latency of every successful request, in ms, in completion order. */
  readonly latenciesMs: readonly number[];
  readonly p50: number;
  readonly p99: number;
}

/**
 * A closed-loop load: `concurrency` workers each call `send` in a loop, so the offered load adapts to the
 * server (no coordinated-omission queue builds up in the client). Bounded by duration and/or count, by a
 * hard time limit and by `signal`.
 */
export async function closedLoop(send: () => Promise<void>, options: LoadOptions): Promise<LoadResult> {
  const { concurrency, durationMs, requests } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`concurrency must be a whole number ≥ 1, not ${concurrency}.`);
  if (durationMs === undefined && requests === undefined)
    throw new RangeError('A load needs a bound: durationMs or requests.');
  const maxDurationMs = options.maxDurationMs ?? Math.min(120_000, (durationMs ?? 0) * 2 + 10_000);

  if (options.warmupMs !== undefined || options.warmupRequests !== undefined) {
    await phase(send, concurrency, options.warmupMs, options.warmupRequests, maxDurationMs, options.signal);
  }
  const result = await phase(send, concurrency, durationMs, requests, maxDurationMs, options.signal);
  if ((options.failOnError ?? true) && result.errors > 0) {
    throw new Error(
      `${result.errors} of ${result.errors + result.requests} requests failed; the first: ${result.firstError}`,
    );
  }
  return result;
}

/** A closed-loop round with this process's CPU time (servers and client in one process) per request. */
export interface CpuRound extends LoadResult {
  readonly cpuMs: number;
}

/**
 * One measured round for `interleave`: a warm-up at the same load, then the load itself, timed and with
 * the CPU this process spent on it, per request.
 */
export function cpuMeasuredRound(
  send: () => Promise<void>,
  load: LoadOptions,
  warmup: LoadOptions,
): () => Promise<CpuRound> {
  return async () => {
    await closedLoop(send, warmup);
    const cpu = process.cpuUsage();
    const result = await closedLoop(send, load);
    const used = process.cpuUsage(cpu);
    return { ...result, cpuMs: (used.user + used.system) / 1000 / result.requests };
  };
}

async function phase(
  send: () => Promise<void>,
  concurrency: number,
  durationMs: number | undefined,
  count: number | undefined,
  maxDurationMs: number,
  signal: AbortSignal | undefined,
): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let issued = 0;
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const end = start + Math.min(durationMs ?? Infinity, maxDurationMs);
  const more = () => performance.now() < end && (count === undefined || issued < count) && !signal?.aborted;

  async function worker(): Promise<void> {
    while (more()) {
      issued += 1;
      const sent = performance.now();
      try {
        await send();
        latenciesMs.push(performance.now() - sent);
      } catch (error) {
        errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  }

  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - start;
  const ok = latenciesMs.length;
  return {
    requests: ok,
    errors,
    ...(firstError !== undefined ? { firstError } : {}),
    elapsedMs,
    throughput: ok / (elapsedMs / 1000),
    latenciesMs,
    p50: ok ? percentile(latenciesMs, 50) : NaN,
    p99: ok ? percentile(latenciesMs, 99) : NaN,
  };
}

/**
 * Runs the variants in interleaved rounds (A B A B …, `rounds` of each), so that whatever else the
 * machine does during the run hits every variant alike. Returns each variant's per-round results, in
 * order; summarize them with `median`.
 */
export async function interleave<T>(
  variants: Readonly<Record<string, () => Promise<T>>>,
  rounds: number,
  signal?: AbortSignal,
): Promise<Record<string, T[]>> {
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new RangeError(`rounds must be a whole number ≥ 1, not ${rounds}.`);
  const names = Object.keys(variants);
  if (names.length === 0) throw new RangeError('interleave needs at least one variant.');
  const results: Record<string, T[]> = Object.fromEntries(names.map((name) => [name, [] as T[]]));
  for (let round = 0; round < rounds; round += 1) {
    for (const name of names) {
      signal?.throwIfAborted();
      results[name]!.push(await variants[name]!());
    }
  }
  return results;
}

// ---------------------------------------------------------------------------------------------------------
// HTTP

export interface GraphQLClient {
  /**
   * Posts a GraphQL request and returns the parsed answer. Throws on a non-200 status or when the answer
   * carries `errors`, so a load never counts a failure as a fast success.
   */
  post(body: { query: string; variables?: Record<string, unknown> }, headers?: Headers): Promise<unknown>;
  /**
   * A sender for `closedLoop`: the body is serialized once, and the answer is checked for status 200 and
   * for the absence of `"errors"` without parsing it (parsing would load the client, not the server).
   * `check` replaces the second test, for a variant whose answers carry expected refusals: it returns
   * what is wrong with the answer's text, or undefined.
   */
  sender(
    body: { query: string; variables?: Record<string, unknown> },
    headers?: Headers,
    check?: (text: string) => string | undefined,
  ): () => Promise<void>;
  /** Closes the kept-alive connections. */
  close(): void;
}

/**
 * Request headers, or a function of the exact body that makes them for each request (a subgraph call
 * needs a fresh gateway token per request, bound to the body's bytes).
 */
export type Headers =
  Readonly<Record<string, string>> | ((payload: string) => Readonly<Record<string, string>>);

/** A GraphQL client over node:http with kept-alive connections (at most `maxSockets`), for 127.0.0.1. */
export function graphqlClient(url: string, maxSockets = 64): GraphQLClient {
  const target = new URL(url);
  // An idle kept-alive socket is dropped after 4 s, before Node's servers drop theirs (keepAliveTimeout
  // 5 s): otherwise a variant left idle for the other variants' round (interleave) can send its next request
  // on a socket the server is closing, and fail with "socket hang up" (seen in shield-list under load).
  const agent = new Agent({ keepAlive: true, maxSockets, timeout: 4_000 });

  function postRaw(payload: string, headersOrMaker: Headers): Promise<string> {
    const headers = typeof headersOrMaker === 'function' ? headersOrMaker(payload) : headersOrMaker;
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            ...headers,
          },
          timeout: 30_000,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (response.statusCode !== 200)
              reject(new Error(`HTTP ${response.statusCode} from ${url}: ${text.slice(0, 300)}`));
            else resolve(text);
          });
          response.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`No answer from ${url} within 30 s.`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  return {
    async post(body, headers = {}) {
      const answer = JSON.parse(await postRaw(JSON.stringify(body), headers)) as { errors?: unknown };
      if (answer.errors !== undefined)
        throw new Error(`GraphQL errors from ${url}: ${JSON.stringify(answer.errors).slice(0, 500)}`);
      return answer;
    },
    sender(body, headers = {}, check) {
      const payload = JSON.stringify(body);
      return async () => {
        const text = await postRaw(payload, headers);
        if (check) {
          const wrong = check(text);
          if (wrong !== undefined)
            throw new Error(`Unexpected answer from ${url}: ${wrong}: ${text.slice(0, 500)}`);
        } else if (text.includes('"errors"'))
          throw new Error(`GraphQL errors from ${url}: ${text.slice(0, 500)}`);
      };
    },
    close() {
      agent.destroy();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Servers

/**
 * Servers a scenario started, stopped together (in parallel, each once). Register `stopAll` with
 * `ctx.defer` so a failing or timed-out scenario leaves nothing listening, and call it yourself to stop a
 * set early (between the sizes of a sweep).
 */
export class ServerGroup {
  private running: { stop(): Promise<void> }[] = [];

  add<T extends { stop(): Promise<void> }>(server: T): T {
    this.running.push(server);
    return server;
  }

  async stopAll(): Promise<void> {
    const stopping = this.running;
    this.running = [];
    const outcomes = await Promise.allSettled(stopping.map((server) => server.stop()));
    const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed.length > 0)
      throw new Error(`${failed.length} server(s) did not stop: ${String(failed[0]!.reason)}`);
  }
}
