/**
 * The bench's child processes that stand for Accord's services (its gateway, its members), run as `npm
 * start` runs the services: compiled by the services' builder (scripts/serviceBuild.ts, one esbuild bundle
 * per entry, a content-hash manifest) and started with plain `node` and the services' own flags, not
 * under the tsx loader. A comparison with peers that run plain JavaScript would otherwise charge Accord
 * for a loader it does not ship with (docs/decisions/0017).
 *
 * The bench's entries have a build folder and manifest of their own (BENCH_DIST_DIR): `npm start` compiles
 * the services it runs, not these.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIST_DIR, buildServicesIfStale, compiledEntry, staleReason } from '../scripts/serviceBuild';
import { compiledExecArgv } from '../scripts/supervisedProcess';

const ROOT = join(__dirname, '..');

/** The child-process entries the bench compiles, relative to the root; built together, one manifest. */
export const COMPILED_BENCH_ENTRIES = [
  'bench/accordGatewayProcess.ts',
  'bench/memberProcess.ts',
  'bench/alertOwnerProcess.ts',
] as const;
export type CompiledBenchEntry = (typeof COMPILED_BENCH_ENTRIES)[number];

/** How a compiled child is started: its bundle and node's flags, the services' own (scripts/supervisedProcess.ts). */
export interface CompiledChild {
  readonly entry: string;
  readonly execArgv: readonly string[];
}

/**
 * Compiles the bench's entries when a source changed since their last build (`log` is told why), then
 * checks the build is today's: throws, naming the reason, rather than let a benchmark run code older
 * than the checkout or fall back to the sources.
 */
export async function compiledBenchChildren(
  log: (line: string) => void,
): Promise<Record<CompiledBenchEntry, CompiledChild>> {
  let built: string | undefined;
  try {
    built = await buildServicesIfStale(ROOT, COMPILED_BENCH_ENTRIES, BENCH_DIST_DIR);
  } catch (error) {
    throw new Error(
      `The bench's entries could not be compiled into ${BENCH_DIST_DIR}/: ${(error as Error).message}`,
    );
  }
  if (built !== undefined)
    log(`  compiled the bench's gateway and members into ${BENCH_DIST_DIR}/ (${built})`);
  return compiledBenchChildrenAsBuilt();
}

/**
 * The compiled children as they are in BENCH_DIST_DIR now, without building: throws when the build is
 * missing or stale (a source changed since), naming why.
 */
export function compiledBenchChildrenAsBuilt(): Record<CompiledBenchEntry, CompiledChild> {
  const stale = staleReason(ROOT, COMPILED_BENCH_ENTRIES, BENCH_DIST_DIR);
  if (stale !== undefined)
    throw new Error(`The bench's compiled entries in ${BENCH_DIST_DIR}/ are not today's: ${stale}.`);
  const children = {} as Record<CompiledBenchEntry, CompiledChild>;
  for (const entry of COMPILED_BENCH_ENTRIES) {
    const file = compiledEntry(ROOT, entry, BENCH_DIST_DIR);
    if (!existsSync(file)) throw new Error(`The bench's compiled entry ${file} is missing.`);
    children[entry] = {
      entry: file,
      execArgv: compiledExecArgv(entry === 'bench/accordGatewayProcess.ts' ? 'gateway' : 'service'),
    };
  }
  return children;
}
