import type { CommandSpec, ParsedLine } from '../commandLine';
import { EXIT } from '../exitCodes';
import type { Io } from '../io';
import { loadSession } from '../session';

/** `accord token`: the cached token, for a client of your own (`curl -H "Authorization: Bearer $(accord token)"`). */
export const TOKEN: CommandSpec = {
  name: 'token',
  summary: 'print the cached token (for curl and other clients)',
  usage: `usage: accord token

Prints the token accord login cached, and nothing else, so that
  curl -H "Authorization: Bearer $(accord token)" …
works. Exits 3 when you are not logged in or the token has expired.`,
  options: { help: { type: 'boolean', short: 'h' } },
  positionals: { min: 0, max: 0, what: 'no argument' },
};

export function token(_line: ParsedLine, io: Io): Promise<number> {
  io.out(loadSession(io.env, io.now()).token);
  return Promise.resolve(EXIT.OK);
}
