import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { localTrust } from '../../trust';
import { MEMBERS } from '../../schema';
import { EXAMPLE_HEADERS } from '../../scripts/examples';
import { buildServices, buildServicesIfStale, staleReason } from '../../scripts/serviceBuild';
import { startPlanFrom } from '../../scripts/services';
import { presentEntries } from '../../scripts/supervisor';
import { GATEWAY_NODE_FLAGS } from '../../scripts/supervisedProcess';
import { graphql, READY_TIMEOUT_MS, ROOT, RunningAccord, type ServiceLine } from './runningAccord';

// npm start runs every service compiled (dist/, scripts/serviceBuild.ts; docs/decisions/0017), not
// under the tsx loader: from the bundle when it is fresh, compiled again first when a source changed.

const run = promisify(execFile);
const TSX_LOADER = require.resolve('tsx');

/** What a process was started with, argument by argument (Linux /proc, else ps). */
async function argvOf(pid: number): Promise<string[]> {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    const { stdout } = await run('ps', ['-o', 'args=', '-p', String(pid)]);
    return stdout.trim().split(/\s+/);
  }
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

describe('the service build (a small tree of its own)', () => {
  let root: string;
  const ENTRY = 'app/main.ts';

  /** Runs the compiled entry as the supervisor does; what it printed on stdout and stderr. */
  async function runCompiled(at = root): Promise<{ stdout: string; stderr: string }> {
    try {
      return await run(process.execPath, ['--enable-source-maps', join(at, 'dist', 'app', 'main.js')]);
    } catch (error) {
      return error as { stdout: string; stderr: string };
    }
  }

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'accord-build-'));
    mkdirSync(join(root, 'app'));
    writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022' } }));
    // A file read beside the source at run time, as schema/supergraph.graphql and agreements/ are.
    writeFileSync(join(root, 'app', 'beside.txt'), 'read from the source folder\n');
    writeFileSync(
      join(root, 'app', 'helper.ts'),
      [
        `export const greeting: string = 'first';`,
        `export function fail(): never {`,
        `  throw new Error('failed on purpose');`,
        `}`,
        ``,
      ].join('\n'),
    );
    writeFileSync(
      join(root, ENTRY),
      [
        `import { readFileSync } from 'node:fs';`,
        `import { join } from 'node:path';`,
        `import { fail, greeting } from './helper';`,
        `console.log(greeting);`,
        `console.log(readFileSync(join(__dirname, 'beside.txt'), 'utf8').trim());`,
        `console.log(__filename);`,
        `if (process.env['FAIL']) fail();`,
        ``,
      ].join('\n'),
    );
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('compiles an entry that runs on plain node, reading files beside its sources', async () => {
    expect(staleReason(root, [ENTRY])).toBe('not built yet');
    await buildServices(root, [ENTRY]);
    expect(staleReason(root, [ENTRY])).toBeUndefined();
    const { stdout } = await runCompiled();
    expect(stdout.split('\n')).toEqual([
      'first',
      'read from the source folder',
      join(root, 'app', 'main.ts'),
      '',
    ]);
  });

  it("names the TypeScript file and line in a stack trace, not the bundle's", async () => {
    await buildServices(root, [ENTRY]);
    const { stderr } = await run(
      process.execPath,
      ['--enable-source-maps', join(root, 'dist', 'app', 'main.js')],
      { env: { ...process.env, FAIL: '1' } },
    ).catch((error: { stderr: string }) => error);
    expect(stderr).toContain('failed on purpose');
    // `throw` is on line 3 of helper.ts; its call on line 7 of main.ts (a file that names __dirname, so
    // compiled twice: its map is composed with the bundle's).
    expect(stderr).toContain(`${join(root, 'app', 'helper.ts')}:3:`);
    expect(stderr).toContain(`${join(root, 'app', 'main.ts')}:7:`);
    expect(stderr).not.toMatch(/dist[/\\]app[/\\]main\.js:\d+/);
  });

  it('is stale when a source it was built from changes, and the rebuild runs the change', async () => {
    await buildServices(root, [ENTRY]);
    writeFileSync(
      join(root, 'app', 'helper.ts'),
      readFileSync(join(root, 'app', 'helper.ts'), 'utf8').replace(`'first'`, `'second'`),
    );
    expect(staleReason(root, [ENTRY])).toBe('app/helper.ts changed');
    expect(await buildServicesIfStale(root, [ENTRY])).toBe('app/helper.ts changed');
    expect(staleReason(root, [ENTRY])).toBeUndefined();
    expect((await runCompiled()).stdout.split('\n')[0]).toBe('second');
  });

  it('is not stale for a date that changed without the content (hashes, not file dates)', async () => {
    await buildServices(root, [ENTRY]);
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'app', 'helper.ts'), later, later);
    expect(staleReason(root, [ENTRY])).toBeUndefined();
    expect(await buildServicesIfStale(root, [ENTRY])).toBeUndefined();
  });

  it('is stale when a source is gone, an entry was not built, or the tree moved', async () => {
    await buildServices(root, [ENTRY]);
    expect(staleReason(root, [ENTRY, 'app/other.ts'])).toBe('app/other.ts was not built');

    const moved = mkdtempSync(join(tmpdir(), 'accord-build-moved-'));
    try {
      cpSync(root, moved, { recursive: true });
      writeFileSync(join(moved, 'app', 'beside.txt'), 'the moved copy\n');
      expect(staleReason(moved, [ENTRY])).toBe(`built in another folder (${root})`);
      await buildServicesIfStale(moved, [ENTRY]);
      // The moved copy reads its own files, not the first tree's.
      expect((await runCompiled(moved)).stdout.split('\n').slice(1, 3)).toEqual([
        'the moved copy',
        join(moved, 'app', 'main.ts'),
      ]);
    } finally {
      rmSync(moved, { recursive: true, force: true });
    }
  });

  it('refuses a source that does not compile, naming it, and leaves the build stale', async () => {
    await buildServices(root, [ENTRY]);
    writeFileSync(join(root, 'app', 'helper.ts'), 'export const greeting: string = ;\n');
    await expect(buildServices(root, [ENTRY])).rejects.toThrow(/app\/helper\.ts:1:/);
    expect(staleReason(root, [ENTRY])).toBeDefined();
  });

  it('is stale when a source it read is deleted', async () => {
    await buildServices(root, [ENTRY]);
    rmSync(join(root, 'app', 'helper.ts'));
    expect(staleReason(root, [ENTRY])).toBe('app/helper.ts is gone');
  });
});

describe('npm start runs the compiled services', () => {
  // The services npm start runs, from the registry: the hub, each member with a subgraph folder, the gateway.
  const plan = startPlanFrom(['--free-ports'], {});
  const entries = presentEntries(ROOT, plan);
  const entryOf = new Map([...plan.subgraphs, plan.gateway].map((spec) => [spec.name, spec.entry]));
  const MANIFEST = join(ROOT, 'dist', 'manifest.json');
  const SEARCH = '{ search(term: "Tiger") { country suspects { id } } }';

  /** The supervisor alone, as supervisor.test.ts starts it, with `env` on top. */
  const start = (env: NodeJS.ProcessEnv = {}): RunningAccord =>
    new RunningAccord(process.execPath, ['--import', TSX_LOADER, 'scripts/start.ts'], { env });

  /** The countries whose records the gateway's search returned. */
  async function searchAnswers(services: Map<string, ServiceLine>, dataDir: string): Promise<string[]> {
    const token = await localTrust(
      dataDir,
      MEMBERS.map((m) => m.code),
    ).analystToken('KR', 'kim.j');
    const body = await graphql(services.get('gateway')!.url, SEARCH, {
      ...EXAMPLE_HEADERS,
      authorization: `Bearer ${token}`,
    });
    const search = (body.data?.['search'] ?? []) as { country: string; suspects: unknown[] | null }[];
    return search.filter((s) => (s.suspects ?? []).length > 0).map((s) => s.country);
  }

  /** Each service's argv after node's own path, by name. */
  async function commandLines(services: Map<string, ServiceLine>): Promise<Map<string, string[]>> {
    const lines = new Map<string, string[]>();
    for (const service of services.values()) lines.set(service.name, (await argvOf(service.pid)).slice(1));
    return lines;
  }

  const compiledArgv = (name: string): string[] => [
    // The gateway collects once after loading its supergraph (gateway/supergraphLoad.ts).
    '--expose-gc',
    // The gateway runs without source maps: they would keep every package's map in its memory; and its old
    // generation may grow half again past what is live before a full collection, its young generation
    // held to a fixed size (0022).
    ...(name === plan.gateway.name ? GATEWAY_NODE_FLAGS : ['--enable-source-maps']),
    join(ROOT, 'dist', entryOf.get(name)!.replace(/\.ts$/, '.js')),
  ];

  let accord: RunningAccord | undefined;
  afterEach(async () => {
    await accord?.cleanup();
    accord = undefined;
  }, 60_000);

  it(
    'from dist/ when it is up to date: node on the bundle, no tsx, no build; and they answer',
    async () => {
      await buildServicesIfStale(ROOT, entries);
      accord = start();
      const services = await accord.ready();
      expect([...services.keys()].sort()).toEqual([...entryOf.keys()].sort());
      const lines = await commandLines(services);
      for (const name of services.keys()) expect(lines.get(name)).toEqual(compiledArgv(name));
      expect(accord.output).not.toMatch(/compiled the services/);
      expect((await searchAnswers(services, accord.dataDir)).length).toBeGreaterThan(0);
      // The explorer's assets are found where the build put them, by a hash of its sources: the compiled
      // gateway hashes the same TypeScript files (its own __filename is the source's, not the bundle's).
      const origin = new URL(services.get('gateway')!.url).origin;
      const page = await fetch(`${origin}/explorer`);
      expect(page.status).toBe(200);
      const asset = /src="(\/explorer\/assets\/[^"]+)"/.exec(await page.text())?.[1];
      expect(asset).toBeDefined();
      expect((await fetch(`${origin}${asset!}`)).status).toBe(200);
    },
    READY_TIMEOUT_MS + 30_000,
  );

  it(
    'compiles first when a source changed since the build, then runs the new bundles',
    async () => {
      await buildServicesIfStale(ROOT, entries);
      // As if gateway/main.ts had changed after the build: the manifest remembers other content for it.
      const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as { inputs: Record<string, string> };
      const changed = 'gateway/main.ts';
      expect(manifest.inputs[changed]).toBe(sha256(join(ROOT, changed)));
      manifest.inputs[changed] = sha256(MANIFEST);
      writeFileSync(MANIFEST, JSON.stringify(manifest));

      accord = start();
      const services = await accord.ready();
      expect(accord.output).toMatch(/compiled the services into dist\/ \(gateway\/main\.ts changed\)/);
      const rebuilt = JSON.parse(readFileSync(MANIFEST, 'utf8')) as { inputs: Record<string, string> };
      expect(rebuilt.inputs[changed]).toBe(sha256(join(ROOT, changed)));
      const lines = await commandLines(services);
      for (const name of services.keys()) expect(lines.get(name)).toEqual(compiledArgv(name));
      expect((await searchAnswers(services, accord.dataDir)).length).toBeGreaterThan(0);
    },
    READY_TIMEOUT_MS + 30_000,
  );

  it(
    'from the TypeScript sources under tsx with ACCORD_FROM_SOURCE=1 (the development loop)',
    async () => {
      accord = start({ ACCORD_FROM_SOURCE: '1' });
      const services = await accord.ready();
      const lines = await commandLines(services);
      const loader = (argv: string[]): string | undefined => argv[argv.indexOf('--import') + 1];
      for (const name of services.keys()) {
        const argv = lines.get(name)!;
        expect(argv.at(-1)).toBe(join(ROOT, entryOf.get(name)!));
        expect(loader(argv)).toMatch(/tsx/);
      }
      expect((await searchAnswers(services, accord.dataDir)).length).toBeGreaterThan(0);
    },
    READY_TIMEOUT_MS + 30_000,
  );
});
