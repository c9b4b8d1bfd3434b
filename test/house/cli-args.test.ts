import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageCommands, runCommand } from '../support/packageCommands';
import {
  USAGE_EXIT_CODE,
  UsageError,
  didYouMean,
  parseCommandLine,
  suggestNames,
  unknownCommand,
} from '../../lib/cliArgs';

/**
 * Every command line reads its arguments one way (lib/cliArgs.ts): strict, an unknown option answered
 * with the nearest known one, exit 2. First the helper alone, then each command as a person runs it.
 */

describe('lib/cliArgs.ts', () => {
  const OPTIONS = {
    owner: { type: 'string' },
    requester: { type: 'string' },
    verbose: { type: 'boolean', short: 'v' },
    category: { type: 'string', multiple: true },
  } as const;

  /** The UsageError `run` throws, or a failure when it throws none. */
  function refusal(run: () => unknown): UsageError {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      return error as UsageError;
    }
    throw new Error('expected a UsageError, none was thrown');
  }

  it('reads long, inline, short, repeated options and positionals as parseArgs does', () => {
    const line = parseCommandLine(
      ['--owner', 'KH', '--requester=KR', '-v', '--category', 'a', '--category', 'b', 'HEAD~1', '.'],
      { options: OPTIONS, positionals: true },
    );
    expect(line.values).toEqual({ owner: 'KH', requester: 'KR', verbose: true, category: ['a', 'b'] });
    expect(line.positionals).toEqual(['HEAD~1', '.']);
  });

  it('an option whose value starts with a dash is given inline', () => {
    expect(parseCommandLine(['--owner=-1'], { options: OPTIONS }).values).toEqual({ owner: '-1' });
  });

  it.each([
    // Misspelt: within a small edit distance.
    [['--ownr', 'KH'], 'unknown option --ownr (did you mean --owner?).'],
    // Cut short: the start of a longer name.
    [['--verb'], 'unknown option --verb (did you mean --verbose?).'],
    [['--requestor=KR'], 'unknown option --requestor (did you mean --requester?).'],
    // Nothing near: no guess.
    [['--zzzzzz'], 'unknown option --zzzzzz.'],
    // One letter says too little to guess from.
    [['-x'], 'unknown option -x.'],
  ])('refuses the unknown option in %j: %s', (args, message) => {
    expect(refusal(() => parseCommandLine(args, { options: OPTIONS })).message).toBe(message);
  });

  it('an unknown option after `--` is a positional, not an option', () => {
    expect(parseCommandLine(['--', '--ownr'], { options: OPTIONS, positionals: true }).positionals).toEqual([
      '--ownr',
    ]);
  });

  it('an option-like word after an option that takes a value is its missing value, not an unknown option', () => {
    expect(refusal(() => parseCommandLine(['--owner', '--ownr'], { options: OPTIONS })).message).toMatch(
      /^--owner needs a value/,
    );
  });

  it.each([
    [['--owner'], '--owner needs a value.'],
    [['--requester'], '--requester needs a value.'],
    [['--verbose=yes'], '--verbose takes no value.'],
    [['stray'], 'unexpected argument "stray": this command takes options only.'],
  ])('refuses %j: %s', (args, message) => {
    expect(refusal(() => parseCommandLine(args, { options: OPTIONS })).message).toBe(message);
  });

  it('every refusal exits 2', () => {
    expect(USAGE_EXIT_CODE).toBe(2);
    expect(refusal(() => parseCommandLine(['--nope'], { options: OPTIONS })).exitCode).toBe(2);
    expect(unknownCommand('x', ['a']).exitCode).toBe(2);
  });

  it('suggests commands by prefix and by edit distance, best first, and nothing far', () => {
    const commands = ['explain', 'matrix', 'diff', 'lint', 'prove', 'page', 'schema'];
    expect(suggestNames('explan', commands)).toEqual(['explain']);
    expect(suggestNames('mat', commands)).toEqual(['matrix']);
    expect(suggestNames('lnit', commands)).toEqual(['lint']);
    expect(suggestNames('frobnicate', commands)).toEqual([]);
    // Two letters: no prefix guess.
    expect(suggestNames('pa', ['parameters', 'pattern'])).toEqual([]);
    expect(suggestNames('par', ['parameters', 'pattern'])).toEqual(['parameters']);
    expect(unknownCommand('explan', commands).message).toBe(
      "unknown command 'explan' (did you mean explain?); commands: explain, matrix, diff, lint, prove, page, schema.",
    );
    expect(didYouMean([])).toBe('');
    expect(didYouMean(['--a', '--b'])).toBe(' (did you mean --a or --b?)');
  });
});

/**
 * Each command line of the project, as a person runs it, with one misspelt option (or command) and the
 * name it should suggest. The list of commands comes from package.json: every script that runs a file
 * with tsx and every "bin"; a new command is a failing test until it is added here.
 */
const MISSPELT: Readonly<Record<string, { readonly args: readonly string[]; readonly suggests: string }>> = {
  'scripts/start.ts': { args: ['--free-port'], suggests: '--free-ports' },
  'bench/run.ts': { args: ['--quik'], suggests: '--quick' },
  'audit/cli.ts': { args: ['verify', '--jsn'], suggests: '--json' },
  'schema/cli.ts': { args: ['--chek'], suggests: '--check' },
  'gateway/explorer/cli.ts': { args: ['--hlp'], suggests: '--help' },
  'scripts/buildServices.ts': { args: ['--hlp'], suggests: '--help' },
  'scripts/deploy.ts': { args: ['--layot', 'deploy/layout.example.json'], suggests: '--layout' },
  'legal/cli.ts': { args: ['matrix', '--requestr', 'KR'], suggests: '--requester' },
  'scripts/token.ts': { args: ['--contry', 'KR', '--analyst', 'kim.j'], suggests: '--country' },
  'subgraphs/desk/cli.ts': { args: ['list', '--country', 'KH', '--overdu'], suggests: '--overdue' },
  'cli/bin/accord': { args: ['search', 'Tiger', '--purpse', 'investigation'], suggests: '--purpose' },
  'legal/bin/accord-policy': { args: ['lnit'], suggests: 'lint' },
  // Not npm scripts, but command lines all the same (CONTRIBUTING.md).
  'policy/cli.ts': { args: ['chek'], suggests: 'check' },
  'scripts/sixth-member.ts': { args: ['--keeep'], suggests: '--keep' },
};

describe('every command line', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'accord-cli-args-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('covers every command package.json runs (scripts with tsx, and the bins)', () => {
    expect(packageCommands().filter((command) => !(command in MISSPELT))).toEqual([]);
  });

  it.each(Object.entries(MISSPELT))(
    '%s: a misspelt option or command gets the nearest known name and exit 2',
    async (command, { args, suggests }) => {
      const run = await runCommand(command, args, dataDir);
      expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: expect.any(String) });
      expect(run.stderr).toContain(`did you mean ${suggests}`);
      // A usage mistake, said as one: no stack trace.
      expect(run.stderr).not.toMatch(/\n\s+at /);
    },
  );
});
