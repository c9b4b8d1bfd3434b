// Builds the `accord` command: cli/entry.ts and everything it imports, bundled by esbuild into one
// CommonJS file, cli/dist/accord.js (gitignored), so that a call starts node on plain JavaScript and
// never compiles TypeScript. Run by npm's `prepare` (so by `npm ci`) and by `npm run build:cli`; the
// launcher (cli/bin/accord) also runs it when a source the bundle was built from changed since.
'use strict';
const { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const DIST = join(__dirname, 'dist');
const OUTFILE = join(DIST, 'accord.js');
/** The sources the bundle was made of (esbuild's metafile inputs), for the staleness check. */
const INPUTS = join(DIST, 'inputs.json');

function build() {
  const esbuild = require('esbuild');
  const result = esbuild.buildSync({
    absWorkingDir: ROOT,
    entryPoints: [join(__dirname, 'entry.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Not written by esbuild: into place by rename below, so a launcher running meanwhile never reads half a file.
    write: false,
    metafile: true,
    outfile: OUTFILE,
    logLevel: 'warning',
    legalComments: 'none',
  });
  mkdirSync(DIST, { recursive: true });
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.includes('node_modules/'));
  const files = [
    ...result.outputFiles.map((file) => [file.path, file.contents]),
    [INPUTS, Buffer.from(`${JSON.stringify(inputs)}\n`)],
  ];
  for (const [path, contents] of files) {
    const temporary = `${path}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, contents);
      renameSync(temporary, path);
    } finally {
      rmSync(temporary, { force: true });
    }
  }
}

/** True when there is no bundle, or a source it was built from is newer (or gone). */
function isStale() {
  let built;
  let inputs;
  try {
    built = statSync(OUTFILE).mtimeMs;
    inputs = JSON.parse(readFileSync(INPUTS, 'utf8'));
  } catch {
    return true;
  }
  for (const input of inputs) {
    try {
      if (statSync(join(ROOT, input)).mtimeMs > built) return true;
    } catch {
      return true;
    }
  }
  return false;
}

module.exports = { build, isStale, OUTFILE };

if (require.main === module) build();
