/**
 * Not a scenario: where Accord's gateway holds its memory over a synthetic alliance (issue 12, "memory
 * that does not grow with the square of the members").
 *
 *   npx tsx bench/gatewayMemory.ts [--members 5,30] [--audit] [--plain] [--seconds 5] [--distinct N]
 *     [--snapshot <dir>]
 *
 * For each size: the members and hub in a child process, Accord's gateway in another, both compiled as
 * `npm start` runs them (bench/compiledEntries.ts), audit off unless `--audit`. The gateway's memory
 * (RSS, V8 heap used and reserved, external) is printed once it listens, after one search and one
 * `case(id:)` from an analyst of every member (each requester country its own redaction), and after a
 * closed loop of searches at concurrency 8. `--distinct N`: then N searches that differ by an alias (each
 * its own operation, hence its own query plan, as each redaction of one operation is), to see what the
 * plan store holds. `--snapshot <dir>`: the gateway also writes a V8 heap snapshot
 * there at the end (node's --heapsnapshot-signal); bench/heapSnapshotSummary.ts summarises one. `--plain`:
 * the same with plain @apollo/gateway (bench/peers/apollo-gateway.cjs) before plain members instead, the
 * floor Accord's gateway is compared with.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { buildSupergraph } from '../schema';
import { closedLoop, graphqlClient } from './harness';
import { analystHeaders, benchTrust } from './federation';
import { startRemoteMembers } from './remoteMembers';
import { startGatewayProcess, type GatewayProcess, type GatewayStats } from './gatewayProcess';
import { benchRequester, syntheticCaseId, syntheticMembers } from './synthetic';
import { compiledBenchChildren } from './compiledEntries';
import type { AccordGatewaySettings } from './accordGatewayProcess';
import { SEARCH_FIELDS, TERM } from './scenarios/gateway-search';
import { withSubgraphUrls } from './scenarios/peers';
import { plainAuthorization } from './plainMembers';

const SEARCH = `query Search($term: String!) { search(term: $term) { ${SEARCH_FIELDS} } }`;
const CASE = `query Case($id: ID!) { case(id: $id) { id country caseNumber leadAgency operations } }`;
const CONCURRENCY = 8;
const MB = 2 ** 20;

interface Options {
  readonly sizes: readonly number[];
  readonly audit: boolean;
  readonly plain: boolean;
  readonly seconds: number;
  readonly distinct: number;
  readonly startOnly: boolean;
  readonly nodeFlags: readonly string[];
  /** Set in the gateway's environment (`--env NAME=VALUE`), over this process's. */
  readonly env: Readonly<Record<string, string>>;
  readonly snapshotDir?: string;
}

function parse(argv: readonly string[]): Options {
  let sizes = [5, 30];
  let audit = false;
  let plain = false;
  let seconds = 5;
  let distinct = 0;
  let startOnly = false;
  const nodeFlags: string[] = [];
  const env: Record<string, string> = {};
  let snapshotDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === '--members') sizes = value().split(',').map(Number);
    else if (flag === '--audit') audit = true;
    else if (flag === '--plain') plain = true;
    else if (flag === '--seconds') seconds = Number(value());
    else if (flag === '--distinct') distinct = Number(value());
    else if (flag === '--start-only') startOnly = true;
    else if (flag === '--node-flag') nodeFlags.push(value());
    else if (flag === '--env') {
      const [name, ...rest] = value().split('=');
      if (!name || rest.length === 0) throw new Error('--env needs NAME=VALUE');
      env[name] = rest.join('=');
    } else if (flag === '--snapshot') snapshotDir = resolve(value());
    else throw new Error(`unknown option ${flag}`);
  }
  if (
    sizes.some((size) => !Number.isInteger(size) || size < 1) ||
    !(seconds > 0) ||
    !(Number.isInteger(distinct) && distinct >= 0)
  )
    throw new Error('usage: --members 5,30 (positive integers), --seconds N (> 0), --distinct N (≥ 0)');
  return {
    sizes,
    audit,
    plain,
    seconds,
    distinct,
    startOnly,
    nodeFlags,
    env,
    ...(snapshotDir ? { snapshotDir } : {}),
  };
}

function line(label: string, stats: GatewayStats): string {
  const mb = (bytes: number) => (bytes / MB).toFixed(0).padStart(5);
  const spaces = (stats.heapSpaces ?? [])
    .filter((space) => space.sizeBytes >= MB)
    .map(
      (space) =>
        `${space.name.replace(/_space$/, '')} ${mb(space.usedBytes).trim()}/${mb(space.sizeBytes).trim()}`,
    )
    .join(', ');
  return `  ${label.padEnd(44)} RSS ${mb(stats.rssBytes)} MB   heap used ${mb(stats.heapUsedBytes)} / ${mb(stats.heapTotalBytes)} MB   external ${mb(stats.externalBytes)} MB${spaces ? `\n${' '.repeat(48)}(${spaces})` : ''}`;
}

async function measure(size: number, options: Options, workDir: string): Promise<void> {
  const compiled = await compiledBenchChildren((text) => console.log(text));
  const members = syntheticMembers(size);
  const trustDir = mkdtempSync(join(workDir, 'keys-'));
  const trust = benchTrust(trustDir, members);
  const remote = await startRemoteMembers(
    { kind: 'synthetic', size, delayMs: 0, plain: options.plain },
    trustDir,
    {
      entry: compiled['bench/memberProcess.ts'].entry,
      execArgv: compiled['bench/memberProcess.ts'].execArgv,
    },
  );
  let gateway: GatewayProcess | undefined;
  try {
    const settings: AccordGatewaySettings = {
      syntheticSize: size,
      supergraphSdl: buildSupergraph(members),
      subgraphUrls: remote.subgraphUrls,
      trustDir,
      ...(options.audit ? { auditUrl: `sqlite:${join(workDir, `gateway-${size}.db`)}` } : {}),
    };
    const child = compiled['bench/accordGatewayProcess.ts'];
    const snapshotFlags = options.snapshotDir
      ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${options.snapshotDir}`]
      : [];
    const starting = performance.now();
    gateway = await startGatewayProcess(
      options.plain
        ? {
            entry: join(__dirname, 'peers', 'apollo-gateway.cjs'),
            execArgv: snapshotFlags,
            settings: { supergraphSdl: withSubgraphUrls(settings.supergraphSdl, remote.subgraphUrls) },
          }
        : {
            entry: child.entry,
            execArgv: [...child.execArgv, ...options.nodeFlags, ...snapshotFlags],
            settings: { ...settings },
            ...(Object.keys(options.env).length > 0 ? { env: { ...process.env, ...options.env } } : {}),
          },
    );
    const variant = options.plain ? 'plain @apollo/gateway' : `Accord, audit ${options.audit ? 'on' : 'off'}`;
    const startS = (performance.now() - starting) / 1000;
    console.log(
      `${size} members (${variant}), gateway pid ${gateway.pid}, fork to listening ${startS.toFixed(1)} s, load ${loadavg()[0]!.toFixed(1)}`,
    );
    console.log(line('listening', await gateway.stats()));

    const client = graphqlClient(gateway.url, CONCURRENCY);
    if (options.startOnly) {
      client.close();
      await delay(options.seconds * 1000);
      console.log(line(`idle ${options.seconds} s after listening`, await gateway.stats()));
    } else
      try {
        const check = (text: string) => (text.includes('"errors"') ? text.slice(0, 300) : undefined);
        const caseBody = { query: CASE, variables: { id: syntheticCaseId(members[size - 1]!.code) } };
        const searchBody = { query: SEARCH, variables: { term: TERM } };
        const headersOf = async (country: string): Promise<Record<string, string>> =>
          options.plain
            ? { authorization: plainAuthorization(benchRequester(country)) }
            : analystHeaders(trust, benchRequester(country));
        const headers = await headersOf(members[0]!.code);
        await client.sender(searchBody, headers, check)();
        console.log(line('after one search', await gateway.stats()));
        for (const member of members) {
          const asMember = await headersOf(member.code);
          await client.sender(searchBody, asMember, check)();
          await client.sender(caseBody, asMember, check)();
        }
        console.log(line(`after a search and a case from all ${size}`, await gateway.stats()));
        const beforeLoad = await gateway.stats();
        const load = await closedLoop(client.sender(searchBody, headers, check), {
          concurrency: CONCURRENCY,
          durationMs: options.seconds * 1000,
        });
        const afterSearches = await gateway.stats();
        const cpuPer = (from: GatewayStats, to: GatewayStats, requests: number) =>
          ((to.cpuMicros - from.cpuMicros) / 1000 / requests).toFixed(2);
        console.log(
          line(
            `after ${options.seconds} s of searches (${load.throughput.toFixed(0)} req/s, ${cpuPer(beforeLoad, afterSearches, load.requests)} ms CPU each)`,
            afterSearches,
          ),
        );
        const cases = await closedLoop(client.sender(caseBody, headers, check), {
          concurrency: CONCURRENCY,
          durationMs: options.seconds * 1000,
        });
        const afterCases = await gateway.stats();
        console.log(
          line(
            `then ${options.seconds} s of case(id:) (${cases.throughput.toFixed(0)} req/s, ${cpuPer(afterSearches, afterCases, cases.requests)} ms CPU each)`,
            afterCases,
          ),
        );
        console.log(`  load average now ${loadavg()[0]!.toFixed(1)}`);
        if (options.distinct > 0) {
          const aliased = (i: number) => ({
            query: SEARCH.replace('search(term: $term)', `s${i}: search(term: $term)`),
            variables: { term: TERM },
          });
          for (let i = 0; i < options.distinct; i++) await client.sender(aliased(i), headers, check)();
          console.log(line(`after ${options.distinct} distinct searches`, await gateway.stats()));
        }
      } finally {
        client.close();
      }
    if (options.snapshotDir) {
      mkdirSync(options.snapshotDir, { recursive: true });
      const before = new Set(readdirSync(options.snapshotDir));
      process.kill(gateway.pid, 'SIGUSR2');
      // node writes the snapshot on the child's main thread, which answers nothing meanwhile: the file is
      // whole once the child answers again.
      let written: string | undefined;
      for (let waited = 0; waited < 600_000 && written === undefined; waited += 2_000) {
        await delay(2_000);
        const file = readdirSync(options.snapshotDir).find((f) => !before.has(f));
        if (
          file !== undefined &&
          (await gateway.stats().then(
            () => true,
            () => false,
          ))
        )
          written = join(options.snapshotDir, file);
      }
      console.log(`  heap snapshot: ${written ?? 'not written in time'}`);
    }
  } finally {
    await gateway?.stop();
    await remote.stop();
  }
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  const workDir = mkdtempSync(join(tmpdir(), 'accord-gateway-memory-'));
  try {
    for (const size of options.sizes) await measure(size, options, workDir);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
