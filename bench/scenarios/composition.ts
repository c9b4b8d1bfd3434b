/**
 * Composition: does the supergraph grow linearly with the number of members (issue 13)? For synthetic
 * registries of 5, 30, 100 and 200 members: the supergraph's size (in all and per member) and the time
 * to generate and compose it, each size in a child process of its own (bench/composeProcess.ts) that is
 * killed past a bound, so that a size that takes too long is reported as not measured rather than hang.
 * Over the 100-member supergraph: the gateway's start (a compiled child, as `npm start` runs it,
 * bench/accordGatewayProcess.ts) from fork to listening, its resident memory after start and after a
 * few searches, and a search's wall time across the 100 members (answering after 50 ms each) against the
 * slowest member of the same searches as the gateway timed it (as bench/scenarios/fanout.ts does).
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HUB_NAME } from '../../schema';
import {
  ServerGroup,
  closedLoop,
  graphqlClient,
  median,
  percentile,
  ratio,
  type Figure,
  type Ratio,
  type Scenario,
  type ScenarioContext,
} from '../harness';
import type { ComposeReport, ComposeRequest } from '../composeProcess';
import { analystHeaders, benchTrust, startGatewayFor } from '../federation';
import { startRemoteMembers } from '../remoteMembers';
import { startGatewayProcess } from '../gatewayProcess';
import { compiledBenchChildren } from '../compiledEntries';
import type { AccordGatewaySettings } from '../accordGatewayProcess';
import { benchRequester, releaseAllPolicy, syntheticMembers } from '../synthetic';

const SIZES = [5, 30, 100, 200];
/** The size the gateway is started and searched over (issue 13's goals). */
const GATEWAY_SIZE = 100;
const MEMBER_DELAY_MS = 50;
/** A size whose composition takes longer than this is reported as not measured. */
const COMPOSE_BOUND_S = { quick: 90, full: 240 };

const SEARCH = `query FanOut($term: String!) {
  search(term: $term) { country suspects { id fullName } }
}`;

type Composed = { report: ComposeReport; file: string } | { notMeasured: string };

/** Generates and composes `size` members in a child process, killed after `boundS`. */
function composeInChild(ctx: ScenarioContext, size: number, file: string, boundS: number): Promise<Composed> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, '..', 'composeProcess.ts'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let done = false;
    const finish = (outcome: Composed | Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', abort);
      if (child.exitCode === null) child.kill('SIGKILL');
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const timer = setTimeout(() => finish({ notMeasured: `took longer than ${boundS} s` }), boundS * 1000);
    const abort = () => finish(new Error('aborted'));
    ctx.signal.addEventListener('abort', abort);
    child.on('message', (message: { type: string; report?: ComposeReport; message?: string }) => {
      if (message.type === 'ready') child.send({ size, out: file } satisfies ComposeRequest);
      else if (message.type === 'composed') finish({ report: message.report!, file });
      else if (message.type === 'failed') finish(new Error(`${size} members: ${message.message}`));
    });
    child.once('exit', (code) => finish(new Error(`The compose process exited (code ${code}).`)));
  });
}

export const composition: Scenario = {
  name: 'composition',
  description: `supergraph size and composition time at ${SIZES.join('/')} synthetic members; gateway start, RSS and search fan-out at ${GATEWAY_SIZE}`,
  timeoutS: 900,
  async run(ctx) {
    const figures: Figure[] = [];
    const ratios: Ratio[] = [];
    const servers = new ServerGroup();
    ctx.defer(() => servers.stopAll());
    const dir = await ctx.tempDir('composition');
    const boundS = ctx.quick ? COMPOSE_BOUND_S.quick : COMPOSE_BOUND_S.full;

    const composed = new Map<number, Composed>();
    for (const size of SIZES) {
      const outcome = await composeInChild(ctx, size, join(dir, `supergraph-${size}.graphql`), boundS);
      composed.set(size, outcome);
      if ('notMeasured' in outcome) {
        ctx.log(`${size} members: not measured: ${outcome.notMeasured}`);
        figures.push({
          name: `${size} members: composition not measured (took longer than)`,
          value: boundS,
          unit: 's',
        });
        continue;
      }
      const { report } = outcome;
      ctx.log(
        `${size} members: supergraph ${(report.supergraphBytes / 1024).toFixed(0)} KB, composed in ${(report.composeMs / 1000).toFixed(1)} s`,
      );
      figures.push(
        { name: `${size} members: supergraph size`, value: report.supergraphBytes / 1024, unit: 'KB' },
        {
          name: `${size} members: supergraph size per member`,
          value: report.supergraphBytes / 1024 / size,
          unit: 'KB',
        },
        { name: `${size} members: one member's SDL`, value: report.memberSdlBytes / 1024, unit: 'KB' },
        { name: `${size} members: the hub's SDL`, value: report.hubSdlBytes / 1024, unit: 'KB' },
        { name: `${size} members: generate the subgraphs`, value: report.generateMs, unit: 'ms' },
        { name: `${size} members: compose`, value: report.composeMs / 1000, unit: 's' },
      );
    }
    const smallest = composed.get(SIZES[0]!)!;
    for (const size of SIZES.slice(1)) {
      const outcome = composed.get(size)!;
      if ('notMeasured' in outcome || 'notMeasured' in smallest) continue;
      ratios.push(
        ratio(
          `supergraph size per member, ${size} / ${SIZES[0]} members`,
          outcome.report.supergraphBytes / size,
          smallest.report.supergraphBytes / SIZES[0]!,
          { max: 1.2, min: 0.8 },
        ),
      );
    }
    const hundred = composed.get(GATEWAY_SIZE)!;
    if ('notMeasured' in hundred) {
      ctx.log(`gateway over ${GATEWAY_SIZE} members: not measured (no supergraph)`);
      return { figures, ratios };
    }
    ratios.push(
      ratio(`${GATEWAY_SIZE} members: compose (s) / 30 s`, hundred.report.composeMs / 1000, 30, { max: 1 }),
    );

    const members = syntheticMembers(GATEWAY_SIZE);
    const supergraphSdl = readFileSync(hundred.file, 'utf8');
    const trustDir = await ctx.tempDir('composition-trust');
    const trust = benchTrust(trustDir, members);
    const remote = servers.add(
      await startRemoteMembers({ kind: 'synthetic', size: GATEWAY_SIZE, delayMs: MEMBER_DELAY_MS }, trustDir),
    );
    const requester = benchRequester(members[0]!.code);
    const headers = await analystHeaders(trust, requester);

    // The gateway as it ships, in a process of its own: from fork to listening, and its memory.
    const compiled = await compiledBenchChildren((line) => ctx.log(line));
    const starting = performance.now();
    const child = servers.add(
      await startGatewayProcess({
        entry: compiled['bench/accordGatewayProcess.ts'].entry,
        execArgv: compiled['bench/accordGatewayProcess.ts'].execArgv,
        settings: {
          syntheticSize: GATEWAY_SIZE,
          supergraphSdl,
          subgraphUrls: remote.subgraphUrls,
          trustDir,
        } satisfies AccordGatewaySettings,
      }),
    );
    const startMs = performance.now() - starting;
    const afterStart = await child.stats();
    const childClient = graphqlClient(child.url, 1);
    ctx.defer(() => childClient.close());
    const childSearch = childClient.sender({ query: SEARCH, variables: { term: 'bench' } }, headers);
    await closedLoop(childSearch, { concurrency: 1, requests: ctx.quick ? 5 : 20, signal: ctx.signal });
    const afterSearches = await child.stats();
    await child.stop();
    const rssMb = Math.max(afterStart.rssBytes, afterSearches.rssBytes) / 1024 / 1024;
    figures.push(
      {
        name: `${GATEWAY_SIZE} members: gateway start (fork to listening)`,
        value: startMs / 1000,
        unit: 's',
      },
      {
        name: `${GATEWAY_SIZE} members: gateway RSS after start`,
        value: afterStart.rssBytes / 1024 / 1024,
        unit: 'MB',
      },
      {
        name: `${GATEWAY_SIZE} members: gateway RSS after searches`,
        value: afterSearches.rssBytes / 1024 / 1024,
        unit: 'MB',
      },
    );
    ratios.push(
      ratio(`${GATEWAY_SIZE} members: gateway start (s) / 10 s`, startMs / 1000, 10, { max: 1 }),
      ratio(`${GATEWAY_SIZE} members: gateway RSS (MB) / 300 MB`, rssMb, 300, { max: 1 }),
    );

    // The fan-out, with the gateway in this process so that each member call is timed as the gateway saw it.
    let memberCalls: number[] = [];
    const gatewayUrl = await startGatewayFor({
      members,
      supergraphSdl,
      subgraphUrls: remote.subgraphUrls,
      servers,
      trustDir,
      subgraphTimeoutMs: 30_000,
      extra: { policy: releaseAllPolicy() },
      onSubgraphCall: (call) => {
        if (call.subgraph !== HUB_NAME) memberCalls.push(call.ms);
      },
    });
    const gateway = graphqlClient(gatewayUrl, 1);
    ctx.defer(() => gateway.close());
    // One checked answer first: a fan-out that silently skipped members would look fast.
    const answer = (await gateway.post({ query: SEARCH, variables: { term: 'bench' } }, headers)) as {
      data: { search: { country: string; suspects: { fullName: string | null }[] }[] };
    };
    const answered = answer.data.search.filter(
      (s) => s.suspects.length > 0 && s.suspects.every((x) => x.fullName),
    );
    if (answered.length !== GATEWAY_SIZE)
      throw new Error(
        `Only ${answered.length} of ${GATEWAY_SIZE} members answered the search with suspects.`,
      );
    const search = gateway.sender({ query: SEARCH, variables: { term: 'bench' } }, headers);
    const slowest: number[] = [];
    const viaGateway = async (): Promise<void> => {
      memberCalls = [];
      await search();
      if (memberCalls.length !== GATEWAY_SIZE)
        throw new Error(`The search called ${memberCalls.length} members, not ${GATEWAY_SIZE}.`);
      slowest.push(Math.max(...memberCalls));
    };
    await closedLoop(viaGateway, { concurrency: 1, requests: 3, signal: ctx.signal });
    slowest.length = 0;
    const rounds = [];
    for (let round = 0; round < (ctx.quick ? 1 : 3); round++)
      rounds.push(
        await closedLoop(viaGateway, { concurrency: 1, requests: ctx.quick ? 10 : 30, signal: ctx.signal }),
      );
    const wallP50 = median(rounds.map((r) => r.p50));
    const slowestP50 = percentile(slowest, 50);
    figures.push(
      { name: `${GATEWAY_SIZE} members: search wall p50`, value: wallP50, unit: 'ms' },
      {
        name: `${GATEWAY_SIZE} members: slowest member per search p50 (seen by the gateway)`,
        value: slowestP50,
        unit: 'ms',
      },
    );
    ratios.push(
      ratio(
        `${GATEWAY_SIZE} members: search wall p50 / slowest member of the same searches`,
        wallP50,
        slowestP50,
        {
          max: 1.3,
        },
      ),
    );
    return { figures, ratios };
  },
};
