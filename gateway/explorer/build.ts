import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * The explorer's browser assets (GraphiQL, React, the Monaco editor and its workers, Accord's panels),
 * bundled by esbuild at build time, never on the request path: `npm ci` runs it (package.json `prepare`),
 * `npm start` runs it when the assets are stale. Nothing is fetched from a CDN, at build or at run time.
 *
 * Content-addressed: the assets of one build live in build/explorer/<hash>/, where the hash covers the
 * client's sources, this file and package-lock.json (the versions bundled). A gateway serves the folder of
 * the hash it computes from the same inputs, so it never serves assets built from other sources, and two
 * builds running at once (parallel tests) cannot mix their files: each writes its own folder and renames it.
 */

const ROOT = join(__dirname, '..', '..');
const CLIENT_DIR = join(__dirname, 'client');
export const EXPLORER_BUILD_DIR = join(ROOT, 'build', 'explorer');
const MANIFEST = 'manifest.json';

/**
 * The Monaco workers GraphiQL asks for (client/workers.ts names the same files), as module paths in their
 * packages (in segments: they are not paths of this repository).
 */
const WORKERS: Readonly<Record<string, readonly string[]>> = {
  'editor.worker': ['monaco-editor', 'esm', 'vs', 'editor', 'editor.worker.js'],
  'json.worker': ['monaco-editor', 'esm', 'vs', 'language', 'json', 'json.worker.js'],
  'graphql.worker': ['monaco-graphql', 'esm', 'graphql.worker.js'],
};

export interface ExplorerAssets {
  readonly dir: string;
  readonly hash: string;
  /** File name → content type; only these are served. */
  readonly files: Readonly<Record<string, string>>;
}

/** The hash of everything a build depends on. */
export function explorerSourceHash(): string {
  const hash = createHash('sha256');
  const inputs = [
    ...readdirSync(CLIENT_DIR)
      .sort()
      .map((name) => join(CLIENT_DIR, name)),
    __filename.replace(/\.js$/, '.ts'),
    join(ROOT, 'package-lock.json'),
  ];
  for (const file of inputs)
    hash.update(file.slice(ROOT.length)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/** The built assets for today's sources, or undefined when they are not built (or built from other sources). */
export function builtExplorerAssets(): ExplorerAssets | undefined {
  const hash = explorerSourceHash();
  const dir = join(EXPLORER_BUILD_DIR, hash);
  if (!existsSync(join(dir, MANIFEST))) return undefined;
  const files = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as Record<string, string>;
  return { dir, hash, files };
}

/** Builds the assets unless today's are there; returns them. `log` is told when a build runs. */
export async function ensureExplorerBuilt(
  log: (line: string) => void = () => undefined,
): Promise<ExplorerAssets> {
  const built = builtExplorerAssets();
  if (built) return built;
  log('Building the explorer (GraphiQL) with esbuild...');
  await buildExplorer();
  const fresh = builtExplorerAssets();
  if (!fresh)
    throw new Error('The explorer was built but its assets are not where the gateway looks for them.');
  return fresh;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
};

/** One build into build/explorer/<hash>/; older builds are removed. */
export async function buildExplorer(): Promise<void> {
  const hash = explorerSourceHash();
  const target = join(EXPLORER_BUILD_DIR, hash);
  const staging = join(EXPLORER_BUILD_DIR, `.staging-${randomBytes(6).toString('hex')}`);
  mkdirSync(staging, { recursive: true });
  try {
    const common = {
      bundle: true,
      minify: true,
      platform: 'browser',
      target: 'es2022',
      legalComments: 'none',
      logLevel: 'silent',
      write: true,
    } as const;
    // The page: React, GraphiQL and Accord's panels, with the style sheets they import and the editor's icon font.
    await build({
      ...common,
      entryPoints: { explorer: join(CLIENT_DIR, 'main.ts') },
      format: 'esm',
      outdir: staging,
      loader: { '.ttf': 'file' },
      assetNames: '[name]-[hash]',
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    // The editor's workers: classic scripts, so `new Worker(url)` needs no module support.
    await build({
      ...common,
      entryPoints: Object.fromEntries(
        Object.entries(WORKERS).map(([name, path]) => [name, require.resolve(path.join('/'))]),
      ),
      format: 'iife',
      outdir: staging,
    });
    const files: Record<string, string> = {};
    for (const name of readdirSync(staging).sort()) {
      const type = CONTENT_TYPES[name.slice(name.lastIndexOf('.'))];
      if (type) files[name] = type;
    }
    writeFileSync(join(staging, MANIFEST), `${JSON.stringify(files, null, 2)}\n`);
    try {
      renameSync(staging, target);
    } catch (error) {
      // Another build of the same sources finished first: its folder is the same, keep it.
      if (!existsSync(join(target, MANIFEST))) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  for (const name of readdirSync(EXPLORER_BUILD_DIR)) {
    if (name !== hash && !name.startsWith('.staging-'))
      rmSync(join(EXPLORER_BUILD_DIR, name), { recursive: true, force: true });
  }
}
