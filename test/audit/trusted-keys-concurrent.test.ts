// Writers that start together pin their keys in one trusted keys file (audit/trustedKeys.ts
// pinWriterKey): every key any of them pinned is there at the end, none written over by another's update.
// Several real processes, each pinning many instances, so that their updates interleave.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PROCESSES = 6;
const EACH = 25;

describe('pinning writer keys from several processes at once', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'accord-pin-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every key each process pinned', async () => {
    const file = join(dir, 'trusted.json');
    await Promise.all(
      Array.from(
        { length: PROCESSES },
        (_, p) =>
          new Promise<void>((done, fail) =>
            execFile(
              process.execPath,
              ['--import', 'tsx', join(__dirname, 'support', 'pinMany.ts'), file, `w${p}`, String(EACH)],
              (error, _stdout, stderr) => (error ? fail(new Error(`${error.message}\n${stderr}`)) : done()),
            ),
          ),
      ),
    );
    const pinned = Object.keys(JSON.parse(readFileSync(file, 'utf8')) as object).sort();
    const expected = Array.from({ length: PROCESSES }, (_, p) =>
      Array.from({ length: EACH }, (_, i) => `w${p}-${i}`),
    )
      .flat()
      .sort();
    expect(pinned).toEqual(expected);
  }, 60_000);
});
