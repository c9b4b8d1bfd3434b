// `npm run schema:generate`: regenerates and composes the supergraph, and writes schema/supergraph.graphql.
// `npm run schema:generate -- --check` exits 1 when the committed file is stale, without writing.
import { writeFileSync } from 'node:fs';
import { buildSupergraph, readCommittedSupergraph, SUPERGRAPH_FILE } from './supergraph';

const check = process.argv.includes('--check');
try {
  const supergraph = buildSupergraph();
  if (check) {
    if (readCommittedSupergraph() !== supergraph) {
      console.error(`${SUPERGRAPH_FILE} is stale: run npm run schema:generate and commit it.`);
      process.exit(1);
    }
    console.log('schema/supergraph.graphql is up to date.');
  } else {
    writeFileSync(SUPERGRAPH_FILE, supergraph);
    console.log(`Wrote ${SUPERGRAPH_FILE}.`);
  }
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
