import { EXIT, type ExitCode } from './exitCodes';

/**
 * A failure the analyst can act on: its message is written for them (never a stack, a host or a library's
 * words) and `exitCode` says which kind it is. Anything else that escapes a command is a bug (EXIT.INTERNAL).
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A wrong command line: the message, then a pointer to the command's help. */
export class UsageError extends CliError {
  constructor(
    message: string,
    /** The command whose usage applies (`accord <command> --help`), or undefined for the top level. */
    readonly command?: string,
  ) {
    super(message, EXIT.USAGE);
    this.name = 'UsageError';
  }
}
