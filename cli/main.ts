import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { didYouMean, suggestNames } from '../lib/cliArgs';
import { EnvError, envFlag } from '../lib/env';
import { CliError, UsageError } from './CliError';
import { parseCommandLine, type CommandSpec, type ParsedLine } from './commandLine';
import { ALERTS, alerts } from './commands/alerts';
import { LOGIN, LOGOUT, login, logout } from './commands/login';
import { QUERY, query } from './commands/query';
import { RECORD, record } from './commands/record';
import { SEARCH, search } from './commands/search';
import { TOKEN, token } from './commands/token';
import { EXIT } from './exitCodes';
import type { Io } from './io';

/**
 * `accord`: the analyst's command line to the gateway. One usage helper for every command: an unknown
 * command or flag gets the nearest known ones, a usage error says what is wrong and where the help is,
 * and nothing of the machinery (a stack, a library's message) reaches the analyst.
 */

const COMMANDS: readonly { spec: CommandSpec; run: (line: ParsedLine, io: Io) => Promise<number> }[] = [
  { spec: LOGIN, run: login },
  { spec: SEARCH, run: search },
  { spec: RECORD, run: record },
  { spec: QUERY, run: query },
  { spec: ALERTS, run: alerts },
  { spec: TOKEN, run: token },
  { spec: LOGOUT, run: logout },
];

export function usage(): string {
  const width = Math.max(...COMMANDS.map(({ spec }) => spec.name.length));
  return `usage: accord <command> [flags]

${COMMANDS.map(({ spec }) => `  ${spec.name.padEnd(width)}  ${spec.summary}`).join('\n')}

  accord <command> --help   a command's flags
  accord --version

Exit codes: 0 done; 2 usage error; 3 not logged in, token expired or refused (accord login);
4 an answer with withheld fields (data, partly null, each null with its reason); 5 the gateway cannot be
reached; 6 the gateway refused the request (no data); 1 a fault in accord itself.
Analysts' guide: docs/analysts.md.`;
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  let debug: boolean;
  try {
    // Read first, so that a bad value is refused whatever the command, not only when a bug shows it.
    debug = envFlag(io.env, 'ACCORD_DEBUG', false);
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    io.err(`accord: ${error.message}`);
    return EXIT.USAGE;
  }
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(
        `accord: ${error.message}\n(accord ${error.command ?? ''}${error.command ? ' ' : ''}--help for usage)`,
      );
      return error.exitCode;
    }
    if (error instanceof CliError) {
      io.err(`accord: ${error.message}`);
      return error.exitCode;
    }
    // A bug: say so, and keep the stack for whoever debugs it (ACCORD_DEBUG=1), not for every analyst.
    io.err(
      `accord: an unexpected fault in accord itself${debug ? `:\n${(error as Error)?.stack ?? String(error)}` : ' (ACCORD_DEBUG=1 shows it).'}`,
    );
    return EXIT.INTERNAL;
  }
}

async function dispatch(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.err(usage());
    return EXIT.USAGE;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    io.out(usage());
    return EXIT.OK;
  }
  if (first === '--version' || first === '-v' || first === 'version') {
    io.out(`accord ${version(io.root)}`);
    return EXIT.OK;
  }
  const command = COMMANDS.find(({ spec }) => spec.name === first);
  if (!command) {
    const names = COMMANDS.map(({ spec }) => spec.name);
    const near = first.startsWith('-')
      ? suggestNames(first.replace(/^-+/, ''), ['help', 'version']).map((n) => `--${n}`)
      : suggestNames(first, names);
    throw new UsageError(
      `${JSON.stringify(first)} is not an accord command${didYouMean(near)}; commands: ${names.join(', ')}.`,
    );
  }
  const line = parseCommandLine(command.spec, rest);
  if (line.values['help']) {
    io.out(command.spec.usage);
    return EXIT.OK;
  }
  return command.run(line, io);
}

function version(root: string): string {
  try {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}
