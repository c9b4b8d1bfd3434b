// `npm run build:explorer` (also npm's `prepare`, which `npm ci` runs): builds the explorer's assets
// unless today's are built already. It takes no option: a mistyped one is refused rather than ignored.
import { UsageError, parseCommandLine } from '../../lib/cliArgs';
import { endQuietlyWhenOutputCloses } from '../../lib/closedOutput';
import { ensureExplorerBuilt } from './build';

const USAGE = 'usage: npm run build:explorer   (no options: builds build/explorer/ unless it is up to date)';

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
  ensureExplorerBuilt((line) => console.log(line))
    .then((assets) => console.log(`Explorer assets: ${assets.dir.replace(process.cwd() + '/', '')}`))
    .catch((error: unknown) => {
      console.error(
        `The explorer could not be built: ${error instanceof Error ? error.message : String(error)}`,
      );
      process.exitCode = 1;
    });
}
