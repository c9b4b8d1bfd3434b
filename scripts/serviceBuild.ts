import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import type { Metafile, Plugin } from 'esbuild';

/**
 * The services' compiled runtime (docs/decisions/0017): each service entry (`gateway/main.ts`,
 * `subgraphs/<name>/main.ts`) bundled by esbuild with Accord's own code inlined and every package left to
 * node_modules, into `dist/<entry>.js` with a source map beside it. `npm start` runs these with plain
 * `node --enable-source-maps` (scripts/supervisedProcess.ts) instead of the tsx loader.
 *
 * Built by `npm ci` (package.json `prepare`) and by `npm start` when stale. Staleness is decided from a
 * manifest the build writes last (dist/manifest.json): the SHA-256 of every source file esbuild read,
 * the entries built, the repository root and this builder's own fingerprint. Content hashes, not file
 * dates: a checkout, `cp -p` or an unpacked archive can give a changed file an older date, and a `touch`
 * that changes nothing need not cost a build. Hashing the few hundred sources takes tens of milliseconds.
 */

/** Where the compiled services go, under the repository root (git-ignored). */
export const DIST_DIR = 'dist';
/**
 * Where the benchmarks' own child-process entries go (bench/compiledEntries.ts): a build and a manifest of
 * their own, so that `npm start` rebuilding the services for its entries never drops the bench's from the
 * manifest, nor the bench's build the services'.
 */
export const BENCH_DIST_DIR = join(DIST_DIR, 'bench');
const MANIFEST = 'manifest.json';

interface Manifest {
  /** This builder's fingerprint: a build by other code or another esbuild is not trusted. */
  readonly builder: string;
  /** The repository the bundles were built in: they name its files by absolute path (see dirnamePlugin). */
  readonly root: string;
  /** The entries built, relative to the root. */
  readonly entries: readonly string[];
  /** Every source read, relative to the root → SHA-256 of its content. */
  readonly inputs: Readonly<Record<string, string>>;
}

/**
 * The compiled file of `entry` (relative to the root, `gateway/main.ts`): `<root>/dist/gateway/main.js`;
 * under `dist` when given (a build folder relative to the root, BENCH_DIST_DIR).
 */
export function compiledEntry(root: string, entry: string, dist: string = DIST_DIR): string {
  return join(root, dist, entry.replace(/\.ts$/, '.js'));
}

/**
 * Why `entries` must be compiled again, or undefined when dist/ holds them built from today's sources.
 * Cheap: one small JSON file and a hash of each source the last build read.
 */
export function staleReason(
  root: string,
  entries: readonly string[],
  dist: string = DIST_DIR,
): string | undefined {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(join(root, dist, MANIFEST), 'utf8')) as Manifest;
  } catch {
    return 'not built yet';
  }
  if (manifest.builder !== builderFingerprint()) return 'built by another version of the build';
  if (manifest.root !== root) return `built in another folder (${manifest.root})`;
  const missing = entries.find((entry) => !manifest.entries.includes(entry));
  if (missing) return `${missing} was not built`;
  for (const [file, hash] of Object.entries(manifest.inputs)) {
    let now: string;
    try {
      now = hashOf(join(root, file));
    } catch {
      return `${file} is gone`;
    }
    if (now !== hash) return `${file} changed`;
  }
  return undefined;
}

/**
 * Compiles `entries` (relative to `root`) into dist/. Each file is written under a temporary name and
 * renamed into place, the manifest last: a service started meanwhile reads a whole old or a whole new
 * bundle, and a build that fails leaves the manifest saying stale.
 */
export async function buildServices(
  root: string,
  entries: readonly string[],
  dist: string = DIST_DIR,
): Promise<void> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: entries.map((entry) => join(root, entry)),
    outbase: root,
    outdir: join(root, dist),
    bundle: true,
    // Accord's code is inlined; every package stays in node_modules and loads as it would under tsx:
    // better-sqlite3's native module, pg, pino's worker transports, files packages read beside themselves.
    packages: 'external',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Stack traces in the logs name the TypeScript file and line (node --enable-source-maps). The sources
    // stay on disk, so the maps need not carry them.
    sourcemap: 'linked',
    sourcesContent: false,
    // A bundle renames a function or class whose name clashes with another module's; `.name` and the
    // names in stack traces stay the source's.
    keepNames: true,
    plugins: [dirnamePlugin(root)],
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const manifest: Manifest = {
    builder: builderFingerprint(),
    root,
    entries: [...entries],
    inputs: Object.fromEntries(sourcesRead(result.metafile).map((file) => [file, hashOf(join(root, file))])),
  };
  const folder = join(root, dist);
  // The manifest goes first out and last in: no moment shows the new manifest beside old bundles.
  rmSync(join(folder, MANIFEST), { force: true });
  for (const file of result.outputFiles) writeInPlace(file.path, file.contents);
  writeInPlace(join(folder, MANIFEST), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
}

/** Compiles `entries` when stale; resolves with why it compiled, or undefined when dist/ was fresh. */
export async function buildServicesIfStale(
  root: string,
  entries: readonly string[],
  dist: string = DIST_DIR,
): Promise<string | undefined> {
  const reason = staleReason(root, entries, dist);
  if (reason !== undefined) await buildServices(root, entries, dist);
  return reason;
}

/**
 * Every module's own `__dirname` and `__filename`, not the bundle's. Accord reads files beside its
 * sources at run time (schema/supergraph.graphql, agreements/*.yaml, the explorer's build, the legal
 * workbench's child entry): inlined into dist/…/main.js, a module would otherwise look for them in dist/.
 * esbuild's `define` replaces the identifiers (never text in strings or comments) with the source file's
 * absolute path, which is why the manifest records the root: a moved checkout is rebuilt.
 */
function dirnamePlugin(root: string): Plugin {
  return {
    name: 'accord-source-dirname',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const source = readFileSync(args.path, 'utf8');
        if (!/\b__(dirname|filename)\b/.test(source)) return undefined;
        const esbuild = await import('esbuild');
        const { code } = await esbuild.transform(source, {
          loader: 'ts',
          sourcefile: args.path,
          // An inline map, which the bundle's map is then composed with: lines still point at the .ts.
          sourcemap: 'inline',
          tsconfigRaw: readFileSync(join(root, 'tsconfig.json'), 'utf8'),
          define: { __dirname: JSON.stringify(dirname(args.path)), __filename: JSON.stringify(args.path) },
        });
        return { contents: code, loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

/** The repository's files esbuild read (metafile inputs), relative to the root; packages excluded. */
function sourcesRead(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs)
    .filter((input) => !input.split('/').includes('node_modules'))
    .sort();
}

/** esbuild's version and this file's text: a changed build is a new build. */
function builderFingerprint(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when dist/ is checked
  const { version } = require('esbuild') as { version: string };
  return createHash('sha256').update(version).update('\0').update(readFileSync(__filename)).digest('hex');
}

function hashOf(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function writeInPlace(path: string, contents: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, contents);
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}
