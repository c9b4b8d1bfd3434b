import {
  parseCommandLine as parseArgs,
  UsageError as SharedUsageError,
  type OptionSpecs,
  type ParsedCommandLine,
} from '../lib/cliArgs';
import { UsageError } from './CliError';

/**
 * One way every command reads its command line: the house's (lib/cliArgs.ts: node's parseArgs, strict,
 * with an unknown flag answered by the nearest known ones, "did you mean --purpose?"), plus how many
 * positional arguments the command takes.
 */

export type Options = OptionSpecs;

export interface CommandSpec {
  readonly name: string;
  /** One line, for `accord --help`. */
  readonly summary: string;
  /** The usage block `accord <name> --help` prints. */
  readonly usage: string;
  readonly options: Options;
  /** How many positional arguments the command takes. */
  readonly positionals: { readonly min: number; readonly max: number; readonly what: string };
}

export type ParsedLine = ParsedCommandLine;

/** Reads `argv` for `spec`; throws UsageError (with did-you-mean) on anything it does not take. */
export function parseCommandLine(spec: CommandSpec, argv: readonly string[]): ParsedLine {
  let parsed;
  try {
    parsed = parseArgs(argv, { options: spec.options, positionals: true });
  } catch (error) {
    // The shared refusal (lib/cliArgs.ts), pointed at this command's help.
    if (error instanceof SharedUsageError) throw new UsageError(error.message, spec.name);
    throw error;
  }
  const { positionals } = parsed;
  if (positionals.length < spec.positionals.min)
    throw new UsageError(`accord ${spec.name} needs ${spec.positionals.what}.`, spec.name);
  if (positionals.length > spec.positionals.max) {
    const extra = positionals.slice(spec.positionals.max).map((p) => JSON.stringify(p));
    throw new UsageError(
      `accord ${spec.name} takes ${spec.positionals.max === 0 ? 'no argument' : spec.positionals.what}; unexpected: ${extra.join(' ')}.`,
      spec.name,
    );
  }
  return { values: parsed.values, positionals };
}
