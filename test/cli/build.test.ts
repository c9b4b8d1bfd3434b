import { readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, accord, buildAccord } from '../support/accordCli';

// The accord bundle: one file of plain JavaScript (no TypeScript compiled at a call), made without the
// agreement engine (what made `npm run token` slow to start is not in it), and made again by the
// launcher when it is older than a source it was built from.

// The launcher's own module (plain JavaScript, as npm's prepare runs it).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const build = require('../../cli/build.js') as { isStale(): boolean; OUTFILE: string };
const INPUTS = join(ROOT, 'cli', 'dist', 'inputs.json');

beforeAll(() => buildAccord());

it('bundles the command without the agreement engine (YAML, JSON Schema, the agreements loader)', () => {
  const inputs = JSON.parse(readFileSync(INPUTS, 'utf8')) as string[];
  expect(inputs).toContain('cli/entry.ts');
  for (const input of inputs)
    expect(input).not.toMatch(
      /node_modules\/(yaml|ajv|graphql|@apollo)\/|^policy\/(index|loadAgreementSet|compilePolicy)\.ts$|^agreements\//,
    );
  expect(readFileSync(build.OUTFILE, 'utf8')).not.toMatch(/require\("(tsx|typescript)/);
});

it('rebuilds itself when the bundle is older than a source it was built from', async () => {
  const long = new Date(Date.parse('2001-01-01T00:00:00Z'));
  utimesSync(build.OUTFILE, long, long);
  expect(build.isStale()).toBe(true);
  const run = await accord(['--version'], {});
  expect(run.code).toBe(0);
  expect(statSync(build.OUTFILE).mtimeMs).toBeGreaterThan(long.getTime());
  expect(build.isStale()).toBe(false);
});
