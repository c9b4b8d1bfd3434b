/**
 * Not a scenario: Accord's gateway started with two (or more) sets of node flags, side by side over one
 * synthetic alliance, to see what a flag costs and saves (docs/decisions/0022-gateway-memory.md).
 *
 *   npx tsx bench/gatewayFlags.ts [--members 30] [--rounds 3] [--seconds 2.5] [--audit]
 *     --variant 'before=--expose-gc' --variant 'after=--expose-gc --heap-growing-percent=50'
 *
 * One members' process, one gateway process per variant (compiled as `npm start` runs it,
 * bench/compiledEntries.ts; each variant's flags are its whole exec argv; without `--variant`, the
 * gateway's own flags from scripts/supervisedProcess.ts alone). Then rounds, interleaved as the peers
 * scenario runs them (bench/scenarios/peers.ts): in each round each variant gets a short warm-up and
 * `--seconds` of the search, then the same of `case(id:)`, at concurrency 8 as one analyst. Printed per
 * variant: the gateway's CPU time per request of each query (its own process's), req/s, and its RSS after
 * each round with V8's heap in use and reserved; and the largest RSS, the figure the peers scenario gives.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSupergraph } from '../schema';
import { closedLoop, graphqlClient, median, type GraphQLClient } from './harness';
import { analystHeaders, benchTrust } from './federation';
import { startRemoteMembers } from './remoteMembers';
import { startGatewayProcess, type GatewayProcess, type GatewayStats } from './gatewayProcess';
import { benchRequester, syntheticCaseId, syntheticMembers } from './synthetic';
import { compiledBenchChildren } from './compiledEntries';
import type { AccordGatewaySettings } from './accordGatewayProcess';
import { SEARCH_FIELDS, TERM } from './scenarios/gateway-search';

const SEARCH = `query Search($term: String!) { search(term: $term) { ${SEARCH_FIELDS} } }`;
const CASE = `query Case($id: ID!) { case(id: $id) { id country caseNumber leadAgency operations } }`;
const CONCURRENCY = 8;
const MB = 2 ** 20;
const QUERIES = ['search', 'case'] as const;
type Query = (typeof QUERIES)[number];

interface Variant {
  readonly label: string;
  readonly execArgv: readonly string[];
}

interface Options {
  readonly size: number;
  readonly rounds: number;
  readonly seconds: number;
  readonly audit: boolean;
  readonly variants: readonly Variant[];
}

function parse(argv: readonly string[], defaultArgv: readonly string[]): Options {
  let size = 30;
  let rounds = 3;
  let seconds = 2.5;
  let audit = false;
  const variants: Variant[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === '--members') size = Number(value());
    else if (flag === '--rounds') rounds = Number(value());
    else if (flag === '--seconds') seconds = Number(value());
    else if (flag === '--audit') audit = true;
    else if (flag === '--variant') {
      const text = value();
      const at = text.indexOf('=');
      if (at < 1) throw new Error(`--variant needs LABEL=FLAGS, not "${text}"`);
      variants.push({
        label: text.slice(0, at),
        execArgv: text
          .slice(at + 1)
          .split(/\s+/)
          .filter(Boolean),
      });
    } else throw new Error(`unknown option ${flag}`);
  }
  if (!(Number.isInteger(size) && size >= 1 && Number.isInteger(rounds) && rounds >= 1 && seconds > 0))
    throw new Error('usage: --members N (≥ 1), --rounds N (≥ 1), --seconds N (> 0)');
  return {
    size,
    rounds,
    seconds,
    audit,
    variants: variants.length > 0 ? variants : [{ label: 'as shipped', execArgv: defaultArgv }],
  };
}

interface Tally {
  cpuMicros: number;
  requests: number;
  readonly throughputs: number[];
}

async function main(): Promise<void> {
  const compiled = await compiledBenchChildren((text) => console.log(text));
  const child = compiled['bench/accordGatewayProcess.ts'];
  const options = parse(process.argv.slice(2), child.execArgv);
  const workDir = mkdtempSync(join(tmpdir(), 'accord-gateway-flags-'));
  const members = syntheticMembers(options.size);
  const trustDir = mkdtempSync(join(workDir, 'keys-'));
  const trust = benchTrust(trustDir, members);
  const remote = await startRemoteMembers({ kind: 'synthetic', size: options.size, delayMs: 0 }, trustDir, {
    entry: compiled['bench/memberProcess.ts'].entry,
    execArgv: compiled['bench/memberProcess.ts'].execArgv,
  });
  const mb = (bytes: number) => (bytes / MB).toFixed(0);
  const gateways: GatewayProcess[] = [];
  const clients: GraphQLClient[] = [];
  try {
    const supergraphSdl = buildSupergraph(members);
    for (const [i, variant] of options.variants.entries()) {
      const settings: AccordGatewaySettings = {
        syntheticSize: options.size,
        supergraphSdl,
        subgraphUrls: remote.subgraphUrls,
        trustDir,
        ...(options.audit ? { auditUrl: `sqlite:${join(workDir, `gateway-${i}.db`)}` } : {}),
      };
      const starting = performance.now();
      gateways.push(
        await startGatewayProcess({
          entry: child.entry,
          execArgv: variant.execArgv,
          settings: { ...settings },
        }),
      );
      const startS = (performance.now() - starting) / 1000;
      const listening = await gateways[i]!.stats();
      clients.push(graphqlClient(gateways[i]!.url, CONCURRENCY));
      console.log(
        `${variant.label}: node ${variant.execArgv.join(' ')} (pid ${gateways[i]!.pid}): listening in ${startS.toFixed(1)} s at load ${loadavg()[0]!.toFixed(1)}, RSS ${mb(listening.rssBytes)} MB`,
      );
    }
    const headers = await analystHeaders(trust, benchRequester(members[0]!.code));
    const bodies: Record<Query, { query: string; variables: Record<string, unknown> }> = {
      search: { query: SEARCH, variables: { term: TERM } },
      case: { query: CASE, variables: { id: syntheticCaseId(members[options.size - 1]!.code) } },
    };
    const check = (text: string) => (text.includes('"errors"') ? text.slice(0, 300) : undefined);
    const tallies: Record<Query, Tally>[] = options.variants.map(() => ({
      search: { cpuMicros: 0, requests: 0, throughputs: [] },
      case: { cpuMicros: 0, requests: 0, throughputs: [] },
    }));
    const rss: number[][] = options.variants.map(() => []);
    for (let round = 1; round <= options.rounds; round++) {
      for (const [i, variant] of options.variants.entries()) {
        for (const query of QUERIES) {
          const send = clients[i]!.sender(bodies[query], headers, check);
          await closedLoop(send, { concurrency: CONCURRENCY, durationMs: 400 });
          const before = await gateways[i]!.stats();
          const load = await closedLoop(send, {
            concurrency: CONCURRENCY,
            durationMs: options.seconds * 1000,
          });
          const after: GatewayStats = await gateways[i]!.stats();
          const tally = tallies[i]![query];
          tally.cpuMicros += after.cpuMicros - before.cpuMicros;
          tally.requests += load.requests;
          tally.throughputs.push(load.throughput);
          if (query === 'case') {
            rss[i]!.push(after.rssBytes);
            console.log(
              `  round ${round}, ${variant.label.padEnd(12)} RSS ${mb(after.rssBytes)} MB, heap used ${mb(after.heapUsedBytes)} / ${mb(after.heapTotalBytes)} MB (load ${loadavg()[0]!.toFixed(1)})`,
            );
          }
        }
      }
    }
    for (const [i, variant] of options.variants.entries()) {
      const per = (query: Query) => {
        const tally = tallies[i]![query];
        return `${query} ${(tally.cpuMicros / 1000 / tally.requests).toFixed(2)} ms CPU/req (${median(tally.throughputs).toFixed(0)} req/s median)`;
      };
      console.log(
        `${variant.label}: ${per('search')}, ${per('case')}; RSS largest after a round ${mb(Math.max(...rss[i]!))} MB`,
      );
    }
  } finally {
    for (const client of clients) client.close();
    for (const gateway of gateways) await gateway.stop();
    await remote.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
