// The owner's query budget: distinct terms per analyst per minute, on its own monotonic clock, and a limit
// the member sets that is checked before anything listens.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  DEFAULT_SEARCH_TERMS_PER_MINUTE,
  MAX_SEARCH_TERMS_PER_MINUTE,
  SearchBudget,
  startSubgraph,
} from '../../subgraphs/kit';
import { openStore } from '../../subgraphs/reference';
import { createSystem } from '../../subgraphs/kr';
import { localTrust } from '../../trust';

const ROOT = resolve(__dirname, '..', '..');

describe('SearchBudget', () => {
  it('counts distinct terms per analyst, charges a repeated term once, and refills a minute after each term', () => {
    // The budget's own clock, stepped by hand (it runs on a monotonic clock, not the decision clock).
    let now = 1_000;
    const budget = new SearchBudget(2, () => now);
    const at = (ms: number): void => {
      now = 1_000 + ms;
    };
    expect(budget.charge('TH\0a', 'one')).toBe(true);
    at(1);
    expect(budget.charge('TH\0a', 'one')).toBe(true);
    at(2);
    expect(budget.charge('TH\0a', 'two')).toBe(true);
    at(3);
    expect(budget.charge('TH\0a', 'three')).toBe(false);
    // A refused term was not counted: it is refused again, and the counted ones still answer.
    at(4);
    expect(budget.charge('TH\0a', 'three')).toBe(false);
    at(5);
    expect(budget.charge('TH\0a', 'two')).toBe(true);
    // Someone else's budget is their own.
    at(6);
    expect(budget.charge('VN\0a', 'three')).toBe(true);
    // "one" was counted at 0: a minute later its place is free again, "two"'s not yet.
    at(60_000);
    expect(budget.charge('TH\0a', 'three')).toBe(true);
    at(60_001);
    expect(budget.charge('TH\0a', 'four')).toBe(false);
    at(60_002);
    expect(budget.charge('TH\0a', 'four')).toBe(true);
  });

  it('defaults to a sane limit and refuses one that is not a whole number of terms in range', () => {
    expect(new SearchBudget().termsPerMinute).toBe(DEFAULT_SEARCH_TERMS_PER_MINUTE);
    for (const bad of [
      0,
      -1,
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      MAX_SEARCH_TERMS_PER_MINUTE + 1,
      '60' as unknown as number,
    ]) {
      expect(() => new SearchBudget(bad)).toThrow(/whole number of search terms from 1 to/);
    }
  });
});

describe("a member's budget setting", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'accord-budget-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is refused by startSubgraph before it listens', async () => {
    const store = openStore({ country: 'KR', file: ':memory:', size: 60 });
    try {
      const gatewayTokens = localTrust(dir, ['KR']).gatewayTokens('kr');
      await expect(
        startSubgraph(createSystem({ store }), {
          gatewayTokens,
          host: '127.0.0.1',
          port: 0,
          searchTermsPerMinute: 0,
        }),
      ).rejects.toThrow(/searchTermsPerMinute must be a whole number of search terms/);
    } finally {
      store.close();
    }
  });

  it('from ACCORD_SEARCH_TERMS_PER_MINUTE: a bad value stops the member process with a clear message', async () => {
    const child = fork(join(ROOT, 'subgraphs', 'kr', 'main.ts'), [], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        ACCORD_DATA_DIR: dir,
        ACCORD_SIZE: '60',
        ACCORD_AUDIT: 'off',
        ACCORD_SEARCH_TERMS_PER_MINUTE: 'ten',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    expect(code).toBe(1);
    expect(stderr).toContain(
      'ACCORD_SEARCH_TERMS_PER_MINUTE must be a whole number of search terms from 1 to',
    );
    expect(stderr).toContain('"ten"');
  });
});
