/**
 * What running TypeScript through the tsx loader costs a service, against the compiled bundle `npm start`
 * runs (docs/decisions/0017): a gateway process started as the supervisor starts it, either
 * `node --enable-source-maps dist/gateway/main.js` or `node --import tsx gateway/main.ts`, in interleaved
 * rounds, each round a fresh process. Measured per process: the time from spawn to its `ready` message,
 * its resident memory (with any child it started) once ready and after a load of searches, and the
 * load's throughput. The five reference members and the hub run in a child process of their own
 * (bench/remoteMembers.ts) and are the same for both variants. The machine is shared: ratios count.
 */
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { MEMBERS } from '../../schema';
import { buildServicesIfStale, compiledEntry } from '../../scripts/serviceBuild';
import { startPlanFrom } from '../../scripts/services';
import { presentEntries } from '../../scripts/supervisor';
import { closedLoop, graphqlClient, interleave, median, ratio, type Scenario } from '../harness';
import { analystHeaders, benchTrust } from '../federation';
import { startRemoteMembers } from '../remoteMembers';
import { benchRequester } from '../synthetic';
import { TERM } from './gateway-search';

const ROOT = join(__dirname, '..', '..');
const ENTRY = 'gateway/main.ts';
const TSX_LOADER = pathToFileURL(require.resolve('tsx')).href;
const VARIANTS = {
  compiled: ['--enable-source-maps', compiledEntry(ROOT, ENTRY)],
  tsx: ['--import', TSX_LOADER, join(ROOT, ENTRY)],
} as const;
const SEARCH = `query Search($term: String!) { search(term: $term) { country suspects { id fullName } } }`;
const CONCURRENCY = 8;
const READY_TIMEOUT_MS = 120_000;
const run = promisify(execFile);

interface Round {
  readonly startupMs: number;
  readonly readyRssMb: number;
  readonly loadedRssMb: number;
  readonly throughput: number;
}

/** Resident memory of `pid` and every process under it, in MB (ps: Linux and macOS alike). */
async function treeRssMb(pid: number): Promise<number> {
  const { stdout } = await run('ps', ['-A', '-o', 'pid=,ppid=,rss=']);
  const rows = stdout
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number, number]);
  const tree = new Set([pid]);
  // Parents before children is not guaranteed: repeat until nothing joins.
  for (let grown = true; grown;) {
    grown = false;
    for (const [child, parent] of rows)
      if (tree.has(parent) && !tree.has(child)) {
        tree.add(child);
        grown = true;
      }
  }
  return rows.filter(([child]) => tree.has(child)).reduce((sum, [, , kb]) => sum + kb, 0) / 1024;
}

export const compiledRuntime: Scenario = {
  name: 'compiled-runtime',
  description:
    'a gateway process compiled (dist/, node) against the same under the tsx loader: start-up, RSS, search throughput',
  timeoutS: 600,
  async run(ctx) {
    // Built as npm ci builds it (every service, so that npm start finds dist/ fresh afterwards).
    const built = await buildServicesIfStale(ROOT, presentEntries(ROOT, startPlanFrom([], {})));
    if (built !== undefined) ctx.log(`  compiled the services first (${built})`);

    const trustDir = await ctx.tempDir('accord-bench-runtime-');
    const trust = benchTrust(trustDir, MEMBERS);
    const members = await startRemoteMembers({ kind: 'reference', uncheckedTokens: false }, trustDir);
    ctx.defer(() => members.stop());
    const headers = await analystHeaders(trust, benchRequester(MEMBERS[0]!.code));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ACCORD_DATA_DIR: trustDir,
      ACCORD_DEMO_IDENTITY: '1',
      ACCORD_SUBGRAPH_URLS: JSON.stringify(members.subgraphUrls),
      PORT: '0',
      HOST: '127.0.0.1',
      // The runtime alone: no audit log on disk, no legal workbench build (a child process of its own).
      ACCORD_AUDIT: '0',
      ACCORD_LEGAL_PAGE: '0',
      LOG_LEVEL: 'warn',
    };
    const load = { concurrency: CONCURRENCY, durationMs: ctx.quick ? 1_500 : 5_000, signal: ctx.signal };
    const warmup = { ...load, durationMs: ctx.quick ? 300 : 1_000 };

    /** One fresh gateway process of `variant`: started, measured, loaded, measured, stopped. */
    async function once(argv: readonly string[]): Promise<Round> {
      const started = performance.now();
      const child = spawn(process.execPath, [...argv], {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
      try {
        const url = await new Promise<string>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error('the gateway was not ready in time')),
            READY_TIMEOUT_MS,
          );
          child.on('message', (message: { type?: string; url?: string }) => {
            if (message.type === 'ready' && message.url) {
              clearTimeout(timer);
              resolve(message.url);
            }
          });
          child.once('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`the gateway exited (${code}) before it was ready:\n${stderr}`));
          });
        });
        const startupMs = performance.now() - started;
        const readyRssMb = await treeRssMb(child.pid!);
        const client = graphqlClient(url, CONCURRENCY);
        try {
          // An answer with the search in it; fields an agreement withholds come back as errors, the same for both.
          const send = client.sender({ query: SEARCH, variables: { term: TERM } }, headers, (text) =>
            text.includes('"search":[') ? undefined : `no search in the answer: ${text.slice(0, 200)}`,
          );
          await closedLoop(send, warmup);
          const result = await closedLoop(send, load);
          return {
            startupMs,
            readyRssMb,
            loadedRssMb: await treeRssMb(child.pid!),
            throughput: result.throughput,
          };
        } finally {
          client.close();
        }
      } finally {
        child.kill('SIGTERM');
        await exited;
      }
    }

    const rounds = ctx.quick ? 1 : 4;
    ctx.log(
      `  ${rounds} round(s): a fresh gateway process per variant, ${load.durationMs} ms of searches each`,
    );
    const results = await interleave(
      { compiled: () => once(VARIANTS.compiled), tsx: () => once(VARIANTS.tsx) },
      rounds,
      ctx.signal,
    );
    const of = (name: 'compiled' | 'tsx', pick: (round: Round) => number): number =>
      median(results[name]!.map(pick));
    const figures = (['compiled', 'tsx'] as const).flatMap((name) => [
      { name: `${name}: start-up to ready`, value: of(name, (r) => r.startupMs), unit: 'ms' },
      { name: `${name}: RSS when ready`, value: of(name, (r) => r.readyRssMb), unit: 'MB' },
      { name: `${name}: RSS after the load`, value: of(name, (r) => r.loadedRssMb), unit: 'MB' },
      { name: `${name}: searches`, value: of(name, (r) => r.throughput), unit: 'req/s' },
    ]);
    const compiledTo = (pick: (round: Round) => number) => [of('compiled', pick), of('tsx', pick)] as const;
    return {
      figures,
      ratios: [
        // Goals: the compiled runtime is no slower to start and holds no more memory. Throughput is shown,
        // without a goal: both run the same JavaScript once loaded, and on a shared host it is mostly noise.
        ratio('start-up compiled / tsx', ...compiledTo((r) => r.startupMs), { max: 1 }),
        ratio('RSS when ready compiled / tsx', ...compiledTo((r) => r.readyRssMb), { max: 1 }),
        ratio('RSS after the load compiled / tsx', ...compiledTo((r) => r.loadedRssMb), { max: 1 }),
        ratio('searches/s compiled / tsx', ...compiledTo((r) => r.throughput)),
      ],
    };
  },
};
