// `npm run build:explorer` (also npm's `prepare`, which `npm ci` runs): builds the explorer's assets
// unless today's are built already. It takes no option: a mistyped one is refused rather than ignored.
import { readOptionlessCommandLine } from '../../lib/cliArgs';
import { endQuietlyWhenOutputCloses } from '../../lib/closedOutput';
import { ensureExplorerBuilt } from './build';

const USAGE = 'usage: npm run build:explorer   (no options: builds build/explorer/ unless it is up to date)';

endQuietlyWhenOutputCloses();
if (readOptionlessCommandLine(process.argv.slice(2), USAGE)) {
  ensureExplorerBuilt((line) => console.log(line))
    .then((assets) => console.log(`Explorer assets: ${assets.dir.replace(process.cwd() + '/', '')}`))
    .catch((error: unknown) => {
      console.error(
        `The explorer could not be built: ${error instanceof Error ? error.message : String(error)}`,
      );
      process.exitCode = 1;
    });
}
