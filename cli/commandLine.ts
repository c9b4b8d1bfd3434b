import { parseArgs, type ParseArgsConfig } from 'node:util';
import { nearestNames } from '../vocabulary';
import { UsageError } from './CliError';

/**
 * One way every command reads its command line: node's parseArgs, strict, with an unknown flag answered by
 * the nearest known ones ("did you mean --purpose?") rather than parseArgs' bare refusal.
 */

export type Options = NonNullable<ParseArgsConfig['options']>;

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

export interface ParsedLine {
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

/** Reads `argv` for `spec`; throws UsageError (with did-you-mean) on anything it does not take. */
export function parseCommandLine(spec: CommandSpec, argv: readonly string[]): ParsedLine {
  rejectUnknownFlags(argv, spec.options, spec.name);
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: spec.options, strict: true, allowPositionals: true });
  } catch (error) {
    // parseArgs' messages name the flag and what it lacks ("Option '--case <value>' argument missing").
    throw new UsageError(
      `${(error as Error).message.replace(/\s*To specify a positional argument.*$/s, '')}`,
      spec.name,
    );
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
  return { values: parsed.values as ParsedLine['values'], positionals };
}

/** The first flag of `argv` that `options` does not know, refused with the nearest known names. */
function rejectUnknownFlags(argv: readonly string[], options: Options, command: string): void {
  const longs = Object.keys(options);
  const shorts = new Map(
    Object.entries(options).flatMap(([name, option]) =>
      option.short ? [[option.short, name] as const] : [],
    ),
  );
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--') return;
    // A flag's value that looks like a flag (`--var x=-1` is fine; `--case -x` is parseArgs' to refuse).
    const previous = i > 0 ? argv[i - 1]! : '';
    const previousTakesValue =
      previous.startsWith('--') && !previous.includes('=') && options[previous.slice(2)]?.type === 'string';
    if (previousTakesValue) continue;
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0]!;
      if (!longs.includes(name))
        throw unknown(
          `--${name}`,
          nearestNames(name, longs).map((n) => `--${n}`),
          command,
        );
    } else if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) {
      for (const letter of arg.slice(1)) {
        // One letter is too short to guess from: the usage lists them.
        if (!shorts.has(letter)) throw unknown(`-${letter}`, [], command);
      }
    }
  }
}

function unknown(flag: string, near: readonly string[], command: string): UsageError {
  return new UsageError(
    `unknown flag ${flag} for accord ${command}${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}.`,
    command,
  );
}
