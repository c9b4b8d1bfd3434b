/**
 * Runs scenarios and records what they measured: command-line options, a time limit and clean-ups per
 * scenario, the figures table, and bench/results.json (written atomically, one entry per scenario, each
 * with the machine it ran on).
 */
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Figure, Ratio, Scenario, ScenarioContext } from './harness';
import { UsageError, parseCommandLine } from '../lib/cliArgs';

export const DEFAULT_RESULTS_FILE = join(__dirname, 'results.json');
const DEFAULT_TIMEOUT_S = 180;
/** A clean-up that hangs must not hold the run: each gets this long. */
const CLEANUP_TIMEOUT_MS = 15_000;

export interface BenchOptions {
  /** Scenario names to run, in registry order; empty means all. */
  readonly only: readonly string[];
  readonly quick: boolean;
  readonly out: string;
  readonly list: boolean;
  readonly help: boolean;
}

/** A mistake on the command line: the message says what is accepted. */
export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

export const USAGE = `Usage: npm run bench -- [--only <scenario>[,<scenario>…]]… [--quick] [--out <file>] [--list]
  --only   run only these scenarios (repeatable); results of the others in the results file are kept
  --quick  short runs to check that scenarios work; the figures are not worth comparing
  --out    results file (default bench/results.json)
  --list   print the scenarios and exit`;

/** Parses `npm run bench -- …` arguments against the registered scenario names (lib/cliArgs.ts). */
export function parseOptions(argv: readonly string[], names: readonly string[]): BenchOptions {
  let values;
  try {
    ({ values } = parseCommandLine(argv, {
      options: {
        only: { type: 'string', multiple: true },
        out: { type: 'string' },
        quick: { type: 'boolean' },
        list: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    if (error instanceof UsageError) throw new BenchUsageError(`${error.message}\n${USAGE}`);
    throw error;
  }
  const given = values['only'] ?? [];
  const out = values['out'];
  // An empty value is a value missing, as when none follows the option.
  for (const [flag, value] of [...given.map((v) => ['--only', v] as const), ['--out', out] as const]) {
    if (value === '') throw new BenchUsageError(`${flag} needs a value.\n${USAGE}`);
  }
  const only = given.flatMap((value) =>
    value
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  );
  const quick = values['quick'] === true;
  const list = values['list'] === true;
  const help = values['help'] === true;
  const unknown = only.filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    throw new BenchUsageError(
      `Unknown scenario${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => JSON.stringify(n)).join(', ')}. Scenarios: ${names.join(', ')}.`,
    );
  }
  return {
    only: names.filter((name) => only.includes(name)),
    quick,
    out: out ?? DEFAULT_RESULTS_FILE,
    list,
    help,
  };
}

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  /** One-minute load average when the scenario started: how busy the machine already was. */
  readonly loadAverage: number;
  readonly date: string;
}

export function describeMachine(now = new Date()): Machine {
  const processors = cpus();
  return {
    cpu: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverage: Math.round(loadavg()[0]! * 100) / 100,
    date: now.toISOString(),
  };
}

/** One scenario's entry in bench/results.json. */
export interface ResultEntry {
  readonly name: string;
  readonly description: string;
  readonly status: 'ok' | 'failed';
  readonly error?: string;
  readonly quick: boolean;
  readonly durationS: number;
  readonly figures: readonly Figure[];
  readonly ratios: readonly Ratio[];
  /** Every goal met (true), one missed (false), or no goal held (null). */
  readonly goalsMet: boolean | null;
  readonly machine: Machine;
}

export interface ResultsFile {
  readonly version: 1;
  readonly scenarios: readonly ResultEntry[];
}

export interface RunIo {
  /** Progress lines (stderr in `npm run bench`). */
  log(message: string): void;
}

/**
 * Runs each scenario with its time limit. A scenario that throws or times out becomes a `failed` entry
 * and the run goes on; its clean-ups run in every case.
 */
export async function runScenarios(
  scenarios: readonly Scenario[],
  options: Pick<BenchOptions, 'quick'>,
  io: RunIo,
): Promise<ResultEntry[]> {
  const entries: ResultEntry[] = [];
  for (const scenario of scenarios) entries.push(await runOne(scenario, options.quick, io));
  return entries;
}

async function runOne(scenario: Scenario, quick: boolean, io: RunIo): Promise<ResultEntry> {
  const machine = describeMachine();
  const started = performance.now();
  const controller = new AbortController();
  const cleanups: (() => unknown)[] = [];
  const log = (message: string) => io.log(`[${scenario.name}] ${message}`);
  const ctx: ScenarioContext = {
    quick,
    signal: controller.signal,
    log,
    defer: (cleanup) => void cleanups.push(cleanup),
    async tempDir(prefix) {
      const dir = await mkdtemp(join(tmpdir(), `accord-bench-${prefix}-`));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      return dir;
    },
  };
  const timeoutS = scenario.timeoutS ?? DEFAULT_TIMEOUT_S;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Rejected first: a scenario that ends cleanly on abort must still count as timed out.
      reject(new Error(`${scenario.name} did not finish within ${timeoutS} s.`));
      controller.abort();
    }, timeoutS * 1000);
  });

  log(`${scenario.description}${quick ? ' (quick)' : ''}`);
  let entry: Omit<ResultEntry, 'durationS'>;
  try {
    const result = await Promise.race([scenario.run(ctx), timedOut]);
    const ratios = result.ratios ?? [];
    const held = ratios.filter((r) => r.met !== undefined);
    entry = {
      name: scenario.name,
      description: scenario.description,
      status: 'ok',
      quick,
      figures: result.figures.map((f) => ({ ...f, value: round(f.value) })),
      ratios: ratios.map((r) => ({ ...r, value: round(r.value) })),
      goalsMet: held.length === 0 ? null : held.every((r) => r.met),
      machine,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`failed: ${message}`);
    entry = {
      name: scenario.name,
      description: scenario.description,
      status: 'failed',
      error: message,
      quick,
      figures: [],
      ratios: [],
      goalsMet: null,
      machine,
    };
  } finally {
    clearTimeout(timer);
    controller.abort();
    for (const cleanup of cleanups.reverse()) {
      try {
        await withTimeout(Promise.resolve().then(cleanup), CLEANUP_TIMEOUT_MS, 'clean-up');
      } catch (error) {
        log(`clean-up failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  return { ...entry, durationS: Math.round((performance.now() - started) / 100) / 10 };
}

/** Three decimals: microseconds for milliseconds; more is noise, and makes the file hard to read. */
function round(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 1000) / 1000 : value;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The results file after this run: this run's entries, plus, when only some scenarios ran, the previous
 * entries of the other registered scenarios (so `--only` does not erase them). Registry order.
 */
export function mergeResults(
  previous: ResultsFile | undefined,
  entries: readonly ResultEntry[],
  registered: readonly string[],
): ResultsFile {
  const byName = new Map<string, ResultEntry>();
  for (const entry of previous?.scenarios ?? [])
    if (registered.includes(entry.name)) byName.set(entry.name, entry);
  for (const entry of entries) byName.set(entry.name, entry);
  return {
    version: 1,
    scenarios: registered.filter((name) => byName.has(name)).map((name) => byName.get(name)!),
  };
}

/** The previous results file, or undefined when there is none or it is not one we wrote. */
export async function readResults(file: string): Promise<ResultsFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<ResultsFile>;
    return parsed.version === 1 && Array.isArray(parsed.scenarios) ? (parsed as ResultsFile) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the file through a temporary file and a rename, so a reader never sees half of it. */
export async function writeResults(file: string, results: ResultsFile): Promise<void> {
  const temporary = `${file}.tmp`;
  await writeFile(temporary, `${JSON.stringify(results, null, 2)}\n`, 'utf8');
  await rename(temporary, file);
}

/** The figures of a run as a plain-text table, one row per figure and per ratio. */
export function formatTable(entries: readonly ResultEntry[]): string {
  const rows: string[][] = [['scenario', 'figure', 'value', 'goal', 'met']];
  for (const entry of entries) {
    if (entry.status === 'failed') {
      rows.push([entry.name, `FAILED: ${entry.error ?? ''}`.slice(0, 100), '', '', '']);
      continue;
    }
    for (const figure of entry.figures)
      rows.push([entry.name, figure.name, `${formatNumber(figure.value)} ${figure.unit}`.trim(), '', '']);
    for (const r of entry.ratios) {
      rows.push([
        entry.name,
        r.metric,
        `${formatRatio(r.value)}×`,
        r.goal ?? '',
        r.met === undefined ? '' : r.met ? 'yes' : 'NO',
      ]);
    }
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => (column === 2 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2);
}

/** Two decimals, or three significant digits for ratios below 0.1 (0.07 would hide a 30% difference). */
function formatRatio(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) < 0.1 ? value.toPrecision(3) : value.toFixed(2);
}

export function describeMachineLine(machine: Machine): string {
  return `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}, load ${machine.loadAverage}, ${machine.date}`;
}
