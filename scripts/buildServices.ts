// `npm run build:services`, and npm ci's `prepare`: compiles every service `npm start` runs (the hub, each
// member whose subgraph folder exists, the gateway) into dist/, as scripts/serviceBuild.ts describes.
// `npm start` does the same by itself when a source changed since; this is the build without the start.
// It takes no option: a mistyped one is refused rather than ignored.
import { join } from 'node:path';
import { readOptionlessCommandLine } from '../lib/cliArgs';
import { endQuietlyWhenOutputCloses } from '../lib/closedOutput';
import { buildServices, DIST_DIR } from './serviceBuild';
import { startPlanFrom } from './services';
import { presentEntries } from './supervisor';

const ROOT = join(__dirname, '..');
const USAGE = `usage: npm run build:services   (no options: compiles every service npm start runs into ${DIST_DIR}/)`;

endQuietlyWhenOutputCloses();
if (readOptionlessCommandLine(process.argv.slice(2), USAGE)) {
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
