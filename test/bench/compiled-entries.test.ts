// The peers scenario compares Accord with gateways that run plain JavaScript: Accord's gateway and members
// there run compiled as `npm start` runs the services (bench/compiledEntries.ts, docs/decisions/0017), not
// under the tsx loader. No timing is asserted: that the bundles run on plain node, answer, and that a stale
// build is refused by name.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSupergraph } from '../../schema';
import {
  COMPILED_BENCH_ENTRIES,
  compiledBenchChildren,
  compiledBenchChildrenAsBuilt,
} from '../../bench/compiledEntries';
import { BENCH_DIST_DIR } from '../../scripts/serviceBuild';
import { GATEWAY_NODE_FLAGS } from '../../scripts/supervisedProcess';
import { startRemoteMembers, type RemoteMembers } from '../../bench/remoteMembers';
import { startGatewayProcess, type GatewayProcess } from '../../bench/gatewayProcess';
import { benchRequester, syntheticMembers } from '../../bench/synthetic';
import { analystHeaders, benchTrust } from '../../bench/federation';
import { graphqlClient } from '../../bench/harness';

const ROOT = join(__dirname, '..', '..');
const MANIFEST = join(ROOT, BENCH_DIST_DIR, 'manifest.json');
const SIZE = 2;

/** What a process was started with, argument by argument (Linux). */
const argvOf = (pid: number): string[] =>
  readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);

describe("the bench's compiled children", () => {
  let members: RemoteMembers | undefined;
  let gateway: GatewayProcess | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await gateway?.stop();
    await members?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    gateway = members = dir = undefined;
  });

  it('run on plain node with source maps, no tsx, and answer a search through the gateway', async () => {
    const children = await compiledBenchChildren(() => undefined);
    dir = mkdtempSync(join(tmpdir(), 'accord-bench-compiled-'));
    const alliance = syntheticMembers(SIZE);
    const memberChild = children['bench/memberProcess.ts'];
    members = await startRemoteMembers({ kind: 'synthetic', size: SIZE, delayMs: 0 }, dir, {
      entry: memberChild.entry,
      execArgv: memberChild.execArgv,
    });
    const gatewayChild = children['bench/accordGatewayProcess.ts'];
    gateway = await startGatewayProcess({
      entry: gatewayChild.entry,
      execArgv: gatewayChild.execArgv,
      settings: {
        syntheticSize: SIZE,
        supergraphSdl: buildSupergraph(alliance),
        subgraphUrls: members.subgraphUrls,
        trustDir: dir,
      },
    });
    const argv = argvOf(gateway.pid).slice(1);
    // As npm start runs the gateway: without source maps, with its heap bound
    // (docs/decisions/0022-gateway-memory.md).
    expect(argv).toEqual([
      '--expose-gc',
      ...GATEWAY_NODE_FLAGS,
      join(ROOT, BENCH_DIST_DIR, 'bench', 'accordGatewayProcess.js'),
    ]);
    expect(argv.join(' ')).not.toMatch(/tsx/);

    const client = graphqlClient(gateway.url, 1);
    try {
      const headers = await analystHeaders(benchTrust(dir, alliance), benchRequester(alliance[0]!.code));
      const answer = (await client.post(
        { query: '{ search(term: "Tiger") { country suspects { id } } }' },
        headers,
      )) as { data?: { search: { country: string; suspects: unknown[] }[] } };
      // Every synthetic member answered, through the compiled gateway, from the compiled member process.
      expect(answer.data?.search.map((s) => s.country).sort()).toEqual(alliance.map((m) => m.code).sort());
    } finally {
      client.close();
    }
  }, 180_000);

  it('are refused by name when a source changed since their build, and compiled again when asked', async () => {
    await compiledBenchChildren(() => undefined);
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as { inputs: Record<string, string> };
    // As if bench/memberProcess.ts had changed after the build: the manifest remembers other content.
    const changed = 'bench/memberProcess.ts';
    expect(Object.keys(manifest.inputs)).toEqual(expect.arrayContaining([...COMPILED_BENCH_ENTRIES]));
    manifest.inputs[changed] = '0'.repeat(64);
    writeFileSync(MANIFEST, JSON.stringify(manifest));

    expect(() => compiledBenchChildrenAsBuilt()).toThrow(`not today's: ${changed} changed`);
    const told: string[] = [];
    await compiledBenchChildren((line) => told.push(line));
    expect(told.join('\n')).toMatch(`(${changed} changed)`);
    expect(() => compiledBenchChildrenAsBuilt()).not.toThrow();
  }, 120_000);
});
