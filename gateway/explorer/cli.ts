// `npm run build:explorer` (also npm's `prepare`, which `npm ci` runs): builds the explorer's assets
// unless today's are built already.
import { ensureExplorerBuilt } from './build';

ensureExplorerBuilt((line) => console.log(line))
  .then((assets) => console.log(`Explorer assets: ${assets.dir.replace(process.cwd() + '/', '')}`))
  .catch((error: unknown) => {
    console.error(
      `The explorer could not be built: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exitCode = 1;
  });
