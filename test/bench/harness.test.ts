import { readFileSync } from 'node:fs';
// The benchmark harness's logic: statistics, bounds, option parsing, scenario running and the results
// file. No timings are asserted (docs/style.md, rule 11): benchmarks themselves run with `npm run bench`.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedLoop, interleave, median, percentile, ratio, type Scenario } from '../../bench/harness';
import {
  BenchUsageError,
  DEFAULT_RESULTS_FILE,
  formatTable,
  mergeResults,
  parseOptions,
  readResults,
  runScenarios,
  writeResults,
  type ResultEntry,
} from '../../bench/runner';

const quietIo = { log: () => undefined };

describe('percentile', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted on purpose

  it('uses the nearest rank', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 0)).toBe(1);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([10, 20, 30, 40], 99)).toBe(40);
  });

  it('leaves the samples as they were', () => {
    const samples = [3, 1, 2];
    percentile(samples, 50);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('refuses no samples and percentiles outside 0–100', () => {
    expect(() => percentile([], 50)).toThrow(/no samples/);
    expect(() => percentile([1], 101)).toThrow(/between 0 and 100/);
    expect(() => percentile([1], Number.NaN)).toThrow(/between 0 and 100/);
  });
});

describe('median and ratio', () => {
  it('takes the middle, or the mean of the two middles', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });

  it('holds a ratio to its goal', () => {
    expect(ratio('wall / slowest member', 60, 50, { max: 1.3 })).toEqual({
      metric: 'wall / slowest member',
      value: 1.2,
      goal: '≤ 1.3',
      met: true,
    });
    expect(ratio('wall / slowest member', 70, 50, { max: 1.3 })).toMatchObject({ met: false });
    expect(ratio('speed-up', 3, 1, { min: 2 })).toMatchObject({ goal: '≥ 2', met: true });
    expect(ratio('p50 gateway / direct', 30, 10)).toEqual({ metric: 'p50 gateway / direct', value: 3 });
    expect(() => ratio('x', 1, 0)).toThrow(/positive/);
  });
});

describe('closedLoop', () => {
  it('stops at the request count, warm-up not counted', async () => {
    let sent = 0;
    const result = await closedLoop(
      () => {
        sent += 1;
        return Promise.resolve();
      },
      { concurrency: 3, requests: 20, warmupRequests: 5 },
    );
    expect(result.requests).toBe(20);
    expect(result.latenciesMs).toHaveLength(20);
    expect(sent).toBe(25);
    expect(result.errors).toBe(0);
  });

  it('fails on errors unless told otherwise', async () => {
    let n = 0;
    const flaky = () => ((n += 1) % 2 === 0 ? Promise.reject(new Error('boom')) : Promise.resolve());
    await expect(closedLoop(flaky, { concurrency: 1, requests: 4 })).rejects.toThrow(
      /2 of 4 requests failed; the first: boom/,
    );
    const result = await closedLoop(flaky, { concurrency: 1, requests: 4, failOnError: false });
    expect(result).toMatchObject({ requests: 2, errors: 2, firstError: 'boom' });
  });

  it('needs a bound and a sensible concurrency', async () => {
    await expect(closedLoop(() => Promise.resolve(), { concurrency: 1 })).rejects.toThrow(/needs a bound/);
    await expect(closedLoop(() => Promise.resolve(), { concurrency: 0, requests: 1 })).rejects.toThrow(
      /concurrency/,
    );
  });

  it('stops when its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await closedLoop(() => Promise.resolve(), {
      concurrency: 2,
      requests: 1_000,
      signal: controller.signal,
      failOnError: false,
    });
    expect(result.requests).toBe(0);
  });
});

describe('interleave', () => {
  it('runs the variants in alternating rounds', async () => {
    const order: string[] = [];
    const variant = (name: string) => () => {
      order.push(name);
      return Promise.resolve(order.length);
    };
    const results = await interleave({ a: variant('a'), b: variant('b') }, 3);
    expect(order).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
    expect(results).toEqual({ a: [1, 3, 5], b: [2, 4, 6] });
    await expect(interleave({ a: variant('a') }, 0)).rejects.toThrow(/rounds/);
  });
});

describe('parseOptions', () => {
  const names = ['gateway-search', 'fanout'];

  it('runs everything by default', () => {
    expect(parseOptions([], names)).toEqual({
      only: [],
      quick: false,
      list: false,
      help: false,
      out: DEFAULT_RESULTS_FILE,
    });
  });

  it('takes --only repeated, comma-separated or with =, in registry order', () => {
    expect(parseOptions(['--only', 'fanout'], names).only).toEqual(['fanout']);
    expect(parseOptions(['--only=fanout,gateway-search'], names).only).toEqual(['gateway-search', 'fanout']);
    expect(parseOptions(['--only', 'fanout', '--only', 'gateway-search', '--quick'], names)).toMatchObject({
      only: ['gateway-search', 'fanout'],
      quick: true,
    });
    expect(parseOptions(['--out', '/tmp/x.json', '--list'], names)).toMatchObject({
      out: '/tmp/x.json',
      list: true,
    });
  });

  it('refuses an unknown scenario and lists the known ones', () => {
    expect(() => parseOptions(['--only', 'fan-out'], names)).toThrow(BenchUsageError);
    expect(() => parseOptions(['--only', 'fan-out'], names)).toThrow(
      'Unknown scenario "fan-out". Scenarios: gateway-search, fanout.',
    );
    expect(() => parseOptions(['--only', 'a,b'], names)).toThrow(
      'Unknown scenarios "a", "b". Scenarios: gateway-search, fanout.',
    );
  });

  it('refuses unknown arguments and missing values', () => {
    expect(() => parseOptions(['--fast'], names)).toThrow(/unknown option --fast/);
    expect(() => parseOptions(['--only'], names)).toThrow(/--only needs a value/);
    expect(() => parseOptions(['--only', '--quick'], names)).toThrow(/--only needs a value/);
  });

  it('knows every registered scenario', async () => {
    const { SCENARIOS } = await import('../../bench/scenarios');
    const registered = SCENARIOS.map((s) => s.name);
    expect(new Set(registered).size).toBe(registered.length);
    for (const name of registered) expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(registered).toEqual(expect.arrayContaining(['gateway-search', 'fanout']));
    expect(() => parseOptions(['--only', 'nope'], registered)).toThrow(
      `Scenarios: ${registered.join(', ')}.`,
    );
  });
  it('has every registered scenario described in bench/README.md, and describes no other', async () => {
    const { SCENARIOS } = await import('../../bench/scenarios');
    const readme = readFileSync(join(__dirname, '..', '..', 'bench', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Scenarios\n'));
    const described = [...section.matchAll(/^- `([^`]+)`:/gm)].map((match) => match[1]);
    expect([...described].sort()).toEqual(SCENARIOS.map((s) => s.name).sort());
  });
});

describe('runScenarios', () => {
  it('records figures and goals, and runs clean-ups in reverse order even when a scenario fails', async () => {
    const cleaned: string[] = [];
    const ok: Scenario = {
      name: 'ok',
      description: 'works',
      async run(ctx) {
        const dir = await ctx.tempDir('ok');
        ctx.defer(() => cleaned.push('first'));
        ctx.defer(() => cleaned.push('second'));
        ctx.defer(async () => cleaned.push(`dir exists: ${(await readdir(dir)).length === 0}`));
        return {
          figures: [{ name: 'p50', value: 1.5, unit: 'ms' }],
          ratios: [ratio('a / b', 2, 1, { max: 1.3 }), ratio('c / d', 1, 1)],
        };
      },
    };
    const broken: Scenario = {
      name: 'broken',
      description: 'throws',
      run(ctx) {
        ctx.defer(() => cleaned.push('broken'));
        return Promise.reject(new Error('no server'));
      },
    };
    const entries = await runScenarios([ok, broken], { quick: true }, quietIo);
    expect(cleaned).toEqual(['dir exists: true', 'second', 'first', 'broken']);
    expect(entries[0]).toMatchObject({
      name: 'ok',
      status: 'ok',
      quick: true,
      goalsMet: false,
      figures: [{ name: 'p50', value: 1.5, unit: 'ms' }],
    });
    expect(entries[1]).toMatchObject({
      name: 'broken',
      status: 'failed',
      error: 'no server',
      figures: [],
      goalsMet: null,
    });
    expect(formatTable(entries)).toMatch(/ok\s+a \/ b\s+2\.00×\s+≤ 1\.3\s+NO/);
    expect(formatTable(entries)).toContain('FAILED: no server');
  });

  it('stops a scenario at its time limit and aborts its signal', async () => {
    let aborted = false;
    const hangs: Scenario = {
      name: 'hangs',
      description: 'never ends by itself',
      timeoutS: 0.05,
      run(ctx) {
        return new Promise((resolve) =>
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            resolve({ figures: [] });
          }),
        );
      },
    };
    const [entry] = await runScenarios([hangs], { quick: false }, quietIo);
    expect(entry).toMatchObject({ status: 'failed', error: 'hangs did not finish within 0.05 s.' });
    expect(aborted).toBe(true);
  });
});

describe('results file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-bench-test-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const entry = (name: string, value: number): ResultEntry => ({
    name,
    description: `${name} scenario`,
    status: 'ok',
    quick: false,
    durationS: 1,
    figures: [{ name: 'p50', value, unit: 'ms' }],
    ratios: [ratio('a / b', value, 1, { max: 2 })],
    goalsMet: value <= 2,
    machine: {
      cpu: 'cpu',
      cores: 2,
      memoryGiB: 4,
      node: 'v20',
      platform: 'linux-x64',
      loadAverage: 0,
      date: '2026-01-01T00:00:00.000Z',
    },
  });

  it('has one entry per scenario with figures, ratios, goals and the machine, written atomically', async () => {
    const file = join(dir, 'results.json');
    const [real] = await runScenarios(
      [
        {
          name: 'one',
          description: 'one',
          run: () => Promise.resolve({ figures: [{ name: 'x', value: 1, unit: 'ms' }] }),
        },
      ],
      { quick: false },
      quietIo,
    );
    await writeResults(file, mergeResults(undefined, [real!], ['one']));
    expect(await readdir(dir)).toEqual(['results.json']);
    const written = JSON.parse(await readFile(file, 'utf8'));
    expect(written).toEqual({ version: 1, scenarios: [expect.any(Object)] });
    const [one] = written.scenarios;
    expect(Object.keys(one).sort()).toEqual(
      [
        'description',
        'durationS',
        'figures',
        'goalsMet',
        'machine',
        'name',
        'quick',
        'ratios',
        'status',
      ].sort(),
    );
    expect(Object.keys(one.machine).sort()).toEqual([
      'cores',
      'cpu',
      'date',
      'loadAverage',
      'memoryGiB',
      'node',
      'platform',
    ]);
    expect(one.machine.cores).toBeGreaterThan(0);
    expect(new Date(one.machine.date).toISOString()).toBe(one.machine.date);
  });

  it('keeps the entries of scenarios not run this time, drops unregistered ones, in registry order', async () => {
    const file = join(dir, 'results.json');
    await writeResults(file, { version: 1, scenarios: [entry('b', 1), entry('gone', 1), entry('a', 1)] });
    const merged = mergeResults(await readResults(file), [entry('a', 3)], ['a', 'b']);
    expect(merged.scenarios.map((e) => [e.name, e.figures[0]!.value])).toEqual([
      ['a', 3],
      ['b', 1],
    ]);
  });

  it('ignores a file that is not a results file', async () => {
    expect(await readResults(join(dir, 'missing.json'))).toBeUndefined();
    await writeFile(join(dir, 'other.json'), '{"results": []}');
    await writeFile(join(dir, 'broken.json'), '{"version": 1, "scen');
    expect(await readResults(join(dir, 'other.json'))).toBeUndefined();
    expect(await readResults(join(dir, 'broken.json'))).toBeUndefined();
  });
});
