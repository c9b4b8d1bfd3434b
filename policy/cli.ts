/**
 * Command line for legal teams and maintainers:
 *
 *   npx tsx policy/cli.ts schemas [dir]   write the JSON Schemas into agreements/ (after a vocabulary change)
 *   npx tsx policy/cli.ts check [dir]     validate an agreement set; print its revision, or every problem
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_FILES } from './agreementSchemas';
import { AgreementSetError } from './AgreementSetError';
import { loadAgreementSet } from './loadAgreementSet';
import { DEFAULT_AGREEMENTS_DIR } from './loadDefaultPolicy';

/** The text of a published schema file (stable formatting, so the staleness test compares text). */
export function schemaFileText(name: string): string {
  return `${JSON.stringify(SCHEMA_FILES[name], null, 2)}\n`;
}

function main(argv: readonly string[]): number {
  const [command, dir = DEFAULT_AGREEMENTS_DIR] = argv;
  switch (command) {
    case 'schemas':
      for (const name of Object.keys(SCHEMA_FILES)) {
        writeFileSync(join(dir, name), schemaFileText(name));
        console.log(`wrote ${join(dir, name)}`);
      }
      return 0;
    case 'check':
      try {
        const set = loadAgreementSet(dir);
        console.log(
          `${dir}: ${set.agreements.length} agreements, ${set.gates.length} domestic gates, revision ${set.revision}`,
        );
        return 0;
      } catch (error) {
        if (error instanceof AgreementSetError) {
          console.error(error.message);
          return 1;
        }
        throw error;
      }
    default:
      console.error('usage: policy/cli.ts schemas|check [agreements dir]');
      return 2;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
