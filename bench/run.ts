/**
 * `npm run bench [-- --only <scenario>] [--quick]`: runs the scenarios of bench/scenarios/index.ts,
 * prints the figures table and writes bench/results.json.
 */
import { endQuietlyWhenOutputCloses } from '../lib/closedOutput';
import { SCENARIOS } from './scenarios';
import {
  BenchUsageError,
  USAGE,
  describeMachine,
  describeMachineLine,
  formatTable,
  mergeResults,
  parseOptions,
  readResults,
  runScenarios,
  writeResults,
} from './runner';

async function main(argv: readonly string[]): Promise<number> {
  const names = SCENARIOS.map((scenario) => scenario.name);
  let options;
  try {
    options = parseOptions(argv, names);
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    console.error(error.message);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  if (options.list) {
    for (const scenario of SCENARIOS) console.log(`${scenario.name}  ${scenario.description}`);
    return 0;
  }
  // Servers log at info by default: dozens of start-up lines per scenario would bury the table. Failures still show: a failed request fails its scenario.
  process.env['LOG_LEVEL'] ??= 'error';

  const selected =
    options.only.length > 0 ? SCENARIOS.filter((s) => options.only.includes(s.name)) : SCENARIOS;
  console.error(`Machine: ${describeMachineLine(describeMachine())}`);
  const entries = await runScenarios(selected, options, { log: (message) => console.error(message) });
  const previous = options.only.length > 0 ? await readResults(options.out) : undefined;
  await writeResults(options.out, mergeResults(previous, entries, names));

  console.log(formatTable(entries));
  console.log(
    `\nRatios are of variants measured side by side in this run; absolute figures depend on this machine (${describeMachineLine(entries[0]?.machine ?? describeMachine())}) and on what else ran on it.`,
  );
  console.log(`Results: ${options.out}`);
  return entries.some((entry) => entry.status === 'failed') ? 1 : 0;
}

endQuietlyWhenOutputCloses();
main(process.argv.slice(2)).then(
  (code) => exit(code),
  (error: unknown) => {
    console.error(error);
    exit(1);
  },
);

/**
 * Exits once output is flushed. A scenario that timed out may still hold sockets or timers; the run is
 * over, so they must not keep the process alive.
 */
function exit(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 1_000).unref();
}
