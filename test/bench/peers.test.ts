// The peers scenario's set-up, not its figures (no timing is asserted: `npm run bench -- --only peers`
// measures): every variant issue 12 asks for is run, the peers stay out of Accord's dependencies, and the
// peers are pointed at this run's subgraphs.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HUB_NAME, MEMBERS, readCommittedSupergraph, subgraphName } from '../../schema';
import { SCENARIOS } from '../../bench/scenarios';
import { PEERS_DIR, PEER_LABELS, PEER_VARIANTS, withSubgraphUrls } from '../../bench/scenarios/peers';

const ROOT = join(__dirname, '..', '..');
type PackageJson = Record<string, Record<string, string> | undefined>;
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as PackageJson;

describe('the peers scenario', () => {
  it('is registered, and runs Accord as shipped and audit off, plain @apollo/gateway and Hive Gateway with deduplication off and on', () => {
    expect(SCENARIOS.map((scenario) => scenario.name)).toContain('peers');
    const labels = PEER_VARIANTS.map((variant) => PEER_LABELS[variant]);
    expect(labels).toEqual([
      'Accord as shipped',
      'Accord audit off',
      'plain @apollo/gateway',
      'Hive Gateway (Rust planner, dedup off)',
      'Hive Gateway (Rust planner, dedup on)',
    ]);
  });

  it("keeps the peers' packages in bench/peers/, with their own lockfile, out of Accord's dependencies and out of git", () => {
    expect(PEERS_DIR).toBe(join(ROOT, 'bench', 'peers'));
    const peers = readJson(join(PEERS_DIR, 'package.json'));
    const wanted = Object.keys(peers['dependencies'] ?? {});
    expect(wanted).toEqual(expect.arrayContaining(['@graphql-hive/gateway', '@graphql-hive/router-runtime']));
    // The lockfile `npm ci` installs from names the same packages at the same versions.
    const lock = JSON.parse(readFileSync(join(PEERS_DIR, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dependencies?: Record<string, string> }>;
    };
    expect(lock.packages['']?.dependencies).toEqual(peers['dependencies']);

    const product = readJson(join(ROOT, 'package.json'));
    const productDependencies = [
      'dependencies',
      'devDependencies',
      'optionalDependencies',
      'peerDependencies',
    ].flatMap((field) => Object.keys(product[field] ?? {}));
    for (const name of wanted.filter((name) => name !== 'graphql'))
      expect(productDependencies).not.toContain(name);
    expect(productDependencies.some((name) => name.startsWith('@graphql-hive/'))).toBe(false);

    // Installed or not, node_modules there is never committed.
    execFileSync('git', ['check-ignore', '-q', join('bench', 'peers', 'node_modules', 'x')], { cwd: ROOT });
    expect(existsSync(join(PEERS_DIR, 'hive-gateway.cjs'))).toBe(true);
  });

  it('points every subgraph of the supergraph at the URL given for it', () => {
    const names = [...MEMBERS.map((member) => subgraphName(member.code)), HUB_NAME];
    const urls = Object.fromEntries(names.map((name, i) => [name, `http://127.0.0.1:${10_000 + i}/graphql`]));
    const rewritten = withSubgraphUrls(readCommittedSupergraph(), urls);
    const graphs = [...rewritten.matchAll(/@join__graph\(name: "([^"]+)", url: "([^"]*)"\)/g)].map(
      ([, name, url]) => [name, url],
    );
    expect(Object.fromEntries(graphs)).toEqual(urls);

    const { [HUB_NAME]: _, ...withoutHub } = urls;
    expect(() => withSubgraphUrls(readCommittedSupergraph(), withoutHub)).toThrow(`"${HUB_NAME}"`);
  });
});
