import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { printable } from '../lib/printable';

/** Where the supervisor writes: its own notes and its children's lines, each prefixed with a name. */
export interface Output {
  /** A line for standard output. */
  out(line: string): void;
  /** A line for standard error. */
  err(line: string): void;
}

export const consoleOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** The supervisor's own name in prefixes. */
export const SUPERVISOR_NAME = 'accord';

/** Wide enough for `gateway`, `alliance` and a member code; longer names just push the bar right. */
const NAME_WIDTH = 8;

export function prefixed(name: string, line: string): string {
  return `${name.padEnd(NAME_WIDTH)} | ${line}`;
}

/**
 * Writes every line of `stream` (a child's stdout or stderr) through `write`, prefixed with `name`. A
 * child's log line may quote what a client sent (a refused header, a reference): it is escaped, so that it
 * cannot move the cursor, recolour or reverse the operator's terminal.
 */
export function pipeLines(stream: Readable, name: string, write: (line: string) => void): void {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', (line) => write(prefixed(name, printable(line, { keepBackslashes: true }))));
}
