// `npm run schema:generate`: regenerates and composes the supergraph, and writes schema/supergraph.graphql.
// `npm run schema:generate -- --check` exits 1 when the committed file is stale, without writing.
import { writeFileSync } from 'node:fs';
import { UsageError, parseCommandLine } from '../lib/cliArgs';
import { endQuietlyWhenOutputCloses } from '../lib/closedOutput';
import { buildSupergraph, readCommittedSupergraph, SUPERGRAPH_FILE } from './supergraph';

const USAGE = `usage: npm run schema:generate [-- --check]

  --check   exit 1 when ${SUPERGRAPH_FILE} is stale, without writing it`;

function main(argv: readonly string[]): number {
  let check: boolean;
  try {
    const { values } = parseCommandLine(argv, {
      options: { check: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values['help'] === true) {
      console.log(USAGE);
      return 0;
    }
    check = values['check'] === true;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return error.exitCode;
  }
  try {
    const supergraph = buildSupergraph();
    if (check) {
      if (readCommittedSupergraph() !== supergraph) {
        console.error(`${SUPERGRAPH_FILE} is stale: run npm run schema:generate and commit it.`);
        return 1;
      }
      console.log('schema/supergraph.graphql is up to date.');
    } else {
      writeFileSync(SUPERGRAPH_FILE, supergraph);
      console.log(`Wrote ${SUPERGRAPH_FILE}.`);
    }
    return 0;
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
}

endQuietlyWhenOutputCloses();
process.exitCode = main(process.argv.slice(2));
