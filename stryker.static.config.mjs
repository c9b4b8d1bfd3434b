// `npm run mutate:static`: the mutants that `npm run mutate` leaves out, those only executed while a module
// loads (constant tables such as KIND_BOUNDS, REASON_CODES, the agreement schemas, module-level regular
// expressions). Each needs every test of the run (no test "covers" a line run at import), so this is slower
// per mutant; pass --mutate with line ranges (policy/kindBounds.ts:10-40) to run a part of them. The rest of
// the configuration is stryker.config.json's.
import { readFileSync } from 'node:fs';

const base = JSON.parse(readFileSync(new URL('./stryker.config.json', import.meta.url), 'utf8'));
delete base._comment;
delete base.$schema;

export default {
  ...base,
  ignoreStatic: false,
  jsonReporter: { fileName: 'reports/mutation/mutation-static.json' },
  tempDirName: '.stryker-tmp-static',
};
