import type { Env } from './session';

/** What a command may touch of the world: given by the entry point, replaced in tests of single parts. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  readonly env: Env;
  /** The repository the command runs from: its `data/` holds the demo identity providers. */
  readonly root: string;
  now(): number;
  /** All of standard input, as text. */
  readStdin(): Promise<string>;
  /** Whether standard input is a terminal (then nothing is piped in). */
  readonly stdinIsTerminal: boolean;
}
