// Runs after `npm install` / `npm ci` (package.json "postinstall"), after patch-package.
//
// better-sqlite3 12 aborts on Node 24.19+ ("Assertion failed: (env) != nullptr" when GC destroys a
// statement; docs/decisions/0010-better-sqlite3-on-node-24.md). patches/better-sqlite3+12.11.1.patch fixes
// its source, but npm builds (or downloads) the binary before the patch is applied. On Node 23 and later
// this rebuilds it once from the patched source; on Node 20 and 22 the binary as installed is already the
// same as the patched one, so nothing is done.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const major = Number(process.versions.node.split('.')[0]);
const packageDir = join(__dirname, '..', 'node_modules', 'better-sqlite3');
const marker = join(packageDir, 'build', 'Release', 'accord-patched-build.txt');

if (major < 23 || !existsSync(packageDir)) process.exit(0);
if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === process.version) process.exit(0);

const npm = process.env.npm_execpath;
console.log(
  `Rebuilding better-sqlite3 from its patched source for Node ${process.version} (about a minute)...`,
);
const result = npm
  ? spawnSync(process.execPath, [npm, 'rebuild', 'better-sqlite3', '--build-from-source'], {
      stdio: 'inherit',
    })
  : spawnSync('npm', ['rebuild', 'better-sqlite3', '--build-from-source'], { stdio: 'inherit' });
if (result.status !== 0) {
  console.error(
    'Rebuilding better-sqlite3 failed; Accord cannot store records on this Node version until it is rebuilt.',
  );
  process.exit(result.status ?? 1);
}
writeFileSync(marker, `${process.version}\n`);
