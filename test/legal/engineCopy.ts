/**
 * A copy of the engine (policy/, with its vocabulary/) with `from` replaced by `to` in `file` (a path under
 * the repository, e.g. `policy/evaluateClause.ts`; `from` must be written there exactly once), loaded apart
 * from the real one: for the planted-bug tests whose bug sits inside a module that replacing a whole
 * module cannot reach. The copies are removed after the test file's tests.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const copies: string[] = [];

afterAll(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function engineCopy(file: string, from: string, to: string): typeof import('../../policy') {
  const dir = mkdtempSync(join(tmpdir(), 'accord-engine-copy-'));
  copies.push(dir);
  for (const part of ['policy', 'vocabulary']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  for (const sibling of ['agreements', 'node_modules']) symlinkSync(join(ROOT, sibling), join(dir, sibling));
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  if (text.split(from).length !== 2)
    throw new Error(`test setup: '${from}' is not written exactly once in ${file}`);
  writeFileSync(path, text.replace(from, to));
  let engine: typeof import('../../policy') | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    engine = require(join(dir, 'policy')) as typeof import('../../policy');
  });
  return engine!;
}
