/**
 * Command line for legal teams and maintainers:
 *
 *   npx tsx policy/cli.ts schemas [dir]   write the JSON Schemas into agreements/ (after a vocabulary change)
 *   npx tsx policy/cli.ts check [dir]     validate an agreement set; print its revision, or every problem
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { nearestNames } from '../vocabulary';
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
  // node's parseArgs, strict, as every command line (the policy is pure: it may not import lib/cliArgs.ts,
  // so the refusals are said here, in the same words).
  const refuse = (message: string): number => {
    console.error(`${message}\n${USAGE}`);
    return 2;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    return refuse((error as Error).message);
  }
  if (parsed.values.help === true) {
    console.log(USAGE);
    return 0;
  }
  const [command, dir = DEFAULT_AGREEMENTS_DIR] = parsed.positionals;
  if (command === undefined) return refuse('which command?');
  if (!COMMANDS.includes(command)) {
    const near = nearestNames(command, COMMANDS);
    return refuse(
      `unknown command '${command}'${near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ''}; commands: ${COMMANDS.join(', ')}.`,
    );
  }
  if (parsed.positionals.length > 2) return refuse(`${command} takes one agreements folder at most.`);
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
