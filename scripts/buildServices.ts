// `npm run build:services`, and npm ci's `prepare`: compiles every service `npm start` runs (the hub, each
// member whose subgraph folder exists, the gateway) into dist/, as scripts/serviceBuild.ts describes.
// `npm start` does the same by itself when a source changed since; this is the build without the start.
// It takes no option: a mistyped one is refused rather than ignored.
import { join } from 'node:path';
import { UsageError, parseCommandLine } from '../lib/cliArgs';
import { endQuietlyWhenOutputCloses } from '../lib/closedOutput';
import { buildServices, DIST_DIR } from './serviceBuild';
import { startPlanFrom } from './services';
import { presentEntries } from './supervisor';

const ROOT = join(__dirname, '..');
const USAGE = `usage: npm run build:services   (no options: compiles every service npm start runs into ${DIST_DIR}/)`;

/** Whether to build: false after --help or a usage mistake (exit code set). */
function readCommandLine(argv: readonly string[]): boolean {
  try {
    const { values } = parseCommandLine(argv, { options: { help: { type: 'boolean', short: 'h' } } });
    if (values['help'] !== true) return true;
    console.log(USAGE);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    process.exitCode = error.exitCode;
  }
  return false;
}

endQuietlyWhenOutputCloses();
if (readCommandLine(process.argv.slice(2))) {
  // The default plan: which services exist does not depend on ports or switches in this environment.
  const entries = presentEntries(ROOT, startPlanFrom([], {}));
  const startedAt = Date.now();
  buildServices(ROOT, entries).then(
    () =>
      console.log(
        `Services compiled: ${DIST_DIR}/ (${entries.length} entries, ${((Date.now() - startedAt) / 1000).toFixed(1)} s)`,
      ),
    (error: unknown) => {
      console.error(`The services could not be compiled: ${(error as Error).message}`);
      process.exitCode = 1;
    },
  );
}
