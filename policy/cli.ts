/**
 * Command line for legal teams and maintainers:
 *
 *   npx tsx policy/cli.ts schemas [dir]   write the JSON Schemas into agreements/ (after a vocabulary change)
 *   npx tsx policy/cli.ts check [dir]     validate an agreement set; print its revision, or every problem
 */
import { writeFileSync } from 'node:fs';
import { UsageError, parseCommandLine, unknownCommand } from '../lib/cliArgs';
import { join } from 'node:path';
import { SCHEMA_FILES } from './agreementSchemas';
import { AgreementSetError } from './AgreementSetError';
import { loadAgreementSet } from './loadAgreementSet';
import { DEFAULT_AGREEMENTS_DIR } from './loadDefaultPolicy';

/** The text of a published schema file (stable formatting, so the staleness test compares text). */
export function schemaFileText(name: string): string {
  return `${JSON.stringify(SCHEMA_FILES[name], null, 2)}\n`;
}

const USAGE = 'usage: policy/cli.ts schemas|check [agreements dir]';
const COMMANDS = ['schemas', 'check'];

function main(argv: readonly string[]): number {
  let command: string | undefined;
  let dir: string;
  try {
    const { values, positionals } = parseCommandLine(argv, {
      options: { help: { type: 'boolean', short: 'h' } },
      positionals: true,
    });
    if (values['help'] === true) {
      console.log(USAGE);
      return 0;
    }
    [command, dir = DEFAULT_AGREEMENTS_DIR] = positionals;
    if (command === undefined) throw new UsageError('which command?');
    if (!COMMANDS.includes(command)) throw unknownCommand(command, COMMANDS);
    if (positionals.length > 2) throw new UsageError(`${command} takes one agreements folder at most.`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return error.exitCode;
  }
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
      console.error(USAGE);
      return 2;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
