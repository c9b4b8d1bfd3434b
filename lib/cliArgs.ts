import { parseArgs, type ParseArgsConfig } from 'node:util';
import { nearestNames } from '../vocabulary';

/**
 * How every Accord command line reads its arguments (`npm start`, `npm run policy`, `npm run audit`,
 * `npm run desk`, `npm run token`, `npm run bench`, `npm run schema:generate`, `accord`): node's
 * parseArgs in strict mode, behind one refusal. An unknown option or command is answered with the nearest
 * known names ("did you mean --owner?"), a missing value names the option, and every such mistake is a
 * UsageError, which each command prints and exits with USAGE_EXIT_CODE (2) — never a stack, never
 * parseArgs' own wording, which differs from one node version to the next.
 */

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** What a wrong command line exits with, in every Accord command (the `accord` CLI's EXIT.USAGE too). */
export const USAGE_EXIT_CODE = 2;

/** A wrong command line: the message says what is wrong, in words for the person who typed it. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = USAGE_EXIT_CODE;
}

/** What parseArgs makes of `T`: each option's value typed by its declaration (string, boolean, string[]). */
type ValuesOf<T extends OptionSpecs> = ReturnType<
  typeof parseArgs<{ options: T; strict: true; allowPositionals: true }>
>['values'];

export interface ParsedCommandLine<T extends OptionSpecs = OptionSpecs> {
  readonly values: ValuesOf<T>;
  readonly positionals: readonly string[];
}

export interface CommandLineSpec<T extends OptionSpecs = OptionSpecs> {
  readonly options: T;
  /** Whether it takes positional arguments at all; how many is the command's own business. */
  readonly positionals?: boolean;
  /**
   * Names people know an option by from elsewhere (another command, a header), each with the option it
   * is here: `{ jit: 'team' }` makes `--jit` "did you mean --team?", which no spelling distance finds.
   */
  readonly otherNames?: Readonly<Record<string, string>>;
}

/**
 * Reads `args` by `spec`, strictly: an option `spec` does not know, a value missing, a value given to a
 * flag, a positional where none is taken: each a UsageError that says which, with the nearest known
 * names for an unknown option.
 */
export function parseCommandLine<const T extends OptionSpecs>(
  args: readonly string[],
  spec: CommandLineSpec<T>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ParsedCommandLine<T> {
  rejectOptionsNpmKept(args, spec.options, env);
  // First, so that a misspelt option gets its suggestion rather than parseArgs' bare refusal.
  rejectUnknownOptions(args, spec.options, spec.otherNames ?? {});
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: spec.options,
      strict: true,
      allowPositionals: spec.positionals === true,
    });
  } catch (error) {
    throw new UsageError(usageMessageOf(error, spec.options));
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

/**
 * The known names nearest to a misspelt one, best first: those it is the start of (`--verb` for
 * `--verbose`), then those within a small edit distance (vocabulary's nearestNames, Levenshtein).
 */
/**
 * The command line of a command that takes no option but --help: true when it should run; false after
 * --help (usage printed) or a mistake (usage on stderr, the usage exit code set), so that a mistyped
 * option is refused rather than ignored.
 */
export function readOptionlessCommandLine(argv: readonly string[], usage: string): boolean {
  try {
    const { values } = parseCommandLine(argv, { options: { help: { type: 'boolean', short: 'h' } } });
    if (values['help'] !== true) return true;
    process.stdout.write(`${usage}\n`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${usage}\n`);
    process.exitCode = error.exitCode;
  }
  return false;
}

export function suggestNames(input: string, candidates: readonly string[], limit = 3): string[] {
  const typed = input.toLowerCase();
  // A prefix of two letters or fewer says too little to guess from.
  const byPrefix =
    typed.length >= 3 ? candidates.filter((candidate) => candidate.toLowerCase().startsWith(typed)) : [];
  const byDistance = nearestNames(input, candidates, limit);
  const names: string[] = [];
  for (const name of [...byPrefix, ...byDistance]) if (!names.includes(name)) names.push(name);
  return names.slice(0, limit);
}

/** ` (did you mean a or b?)`, or nothing when there is no suggestion. */
export function didYouMean(names: readonly string[]): string {
  return names.length > 0 ? ` (did you mean ${names.join(' or ')}?)` : '';
}

/**
 * For a command whose subcommands read one shared table of options (`npm run audit`, `accord alerts`):
 * the parser takes an option any of them knows, so the options `given` that this subcommand does not
 * take are refused here, named, with what it takes; undefined when there are none. Without it, another
 * subcommand's option would be read and then silently ignored.
 */
export function optionsNotTaken(
  command: string,
  given: readonly string[],
  taken: readonly string[],
): string | undefined {
  const extra = given.filter((name) => !taken.includes(name));
  if (extra.length === 0) return undefined;
  // Another subcommand's option: the nearest among this one's own may be what was meant.
  const near = extra.length === 1 ? suggestNames(extra[0]!, taken).map((name) => `--${name}`) : [];
  const list = taken.length > 0 ? taken.map((name) => `--${name}`).join(', ') : 'no option';
  return `${command} does not take ${extra.map((name) => `--${name}`).join(', ')}${didYouMean(near)}; it takes ${list}.`;
}

/** An unknown command, with the nearest known ones and the whole list. */
export function unknownCommand(name: string, commands: readonly string[]): UsageError {
  return new UsageError(
    `unknown command '${name}'${didYouMean(suggestNames(name, commands))}; commands: ${commands.join(', ')}.`,
  );
}

/**
 * Options npm kept for itself. `npm run policy explain --requester KR` (no `--` after the script's name)
 * hands `--requester` to npm, which exports it as `npm_config_requester` and leaves `KR` behind as a
 * stray argument: the command would then complain about that argument, or worse, run without the option.
 * An option of the command that npm holds, but that is not on the command line, is refused with the fix.
 * Only under an npm script (`npm_lifecycle_event` set), where npm is the one that could have taken it.
 */
function rejectOptionsNpmKept(
  args: readonly string[],
  options: OptionSpecs,
  env: Readonly<Record<string, string | undefined>>,
): void {
  const script = env['npm_lifecycle_event'];
  if (script === undefined || script === '') return;
  const onLine = new Set(
    args.filter((arg) => arg.startsWith('--')).map((arg) => arg.slice(2).split('=')[0]!),
  );
  const kept = Object.keys(options).filter(
    (name) => env[`npm_config_${name.replace(/-/g, '_')}`] !== undefined && !onLine.has(name),
  );
  if (kept.length === 0) return;
  const run = script === 'start' || script === 'test' ? `npm ${script}` : `npm run ${script}`;
  const list = kept.map((name) => `--${name}`).join(', ');
  throw new UsageError(
    `npm kept ${list} for itself: put -- between the script and its arguments, as in \`${run} -- … --${kept[0]} …\`. Nothing was run.`,
  );
}

/** The first option of `args` that `options` does not know, refused with the nearest known names. */
function rejectUnknownOptions(
  args: readonly string[],
  options: OptionSpecs,
  otherNames: Readonly<Record<string, string>>,
): void {
  const longs = Object.keys(options);
  const shorts = new Set(Object.values(options).flatMap((option) => (option.short ? [option.short] : [])));
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    // After `--` everything is a positional.
    if (arg === '--') return;
    // The value of the option before it (`--note -x` is parseArgs' to refuse, as ambiguous).
    const previous = i > 0 ? args[i - 1]! : '';
    if (takesValue(previous, options)) continue;
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0]!;
      if (!longs.includes(name)) {
        // The option known by that other name first, then the nearest spellings.
        const known = Object.hasOwn(otherNames, name) ? [otherNames[name]!] : [];
        const near = [...new Set([...known, ...suggestNames(name, longs)])].map((option) => `--${option}`);
        throw new UsageError(`unknown option --${name}${didYouMean(near)}.`);
      }
    } else if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) {
      for (const letter of arg.slice(1)) {
        // One letter is too short to guess from: the usage lists the options.
        if (!shorts.has(letter)) throw new UsageError(`unknown option -${letter}.`);
      }
    }
  }
}

/** Whether `arg` is an option (long or short) that takes the next argument as its value. */
function takesValue(arg: string, options: OptionSpecs): boolean {
  if (arg.startsWith('--')) return !arg.includes('=') && options[arg.slice(2)]?.type === 'string';
  if (arg.length === 2 && arg.startsWith('-'))
    return Object.values(options).some((option) => option.short === arg[1] && option.type === 'string');
  return false;
}

/** parseArgs' refusals (codes ERR_PARSE_ARGS_*), said in our words and naming the option. */
function usageMessageOf(error: unknown, options: OptionSpecs): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  // parseArgs names the option as '--owner' or '-o, --owner <value>': its long name is the one to show.
  const option = /--([A-Za-z0-9][A-Za-z0-9-]*)/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (option !== undefined && options[option]?.type === 'boolean') return `--${option} takes no value.`;
      if (option !== undefined && /ambiguous/.test(message))
        return `--${option} needs a value; one that starts with a dash is written --${option}=-VALUE, not as the next argument.`;
      if (option !== undefined) return `--${option} needs a value.`;
      break;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const extra = /'([^']*)'/.exec(message)?.[1];
      return `unexpected argument${extra === undefined ? '' : ` ${JSON.stringify(extra)}`}: this command takes options only.`;
    }
  }
  return message.replace(/\s*To specify (a positional|an option) argument.*$/s, '');
}
