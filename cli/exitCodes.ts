/**
 * What `accord` exits with, one code per kind of outcome, so a script can tell "nothing crossed" from
 * "log in again" from "the gateway is down" without reading the text (docs/analysts.md, "Exit codes").
 */
export const EXIT = {
  /** Done: the whole answer came back. */
  OK: 0,
  /** Accord's own fault (a bug): the message says so and nothing else. */
  INTERNAL: 1,
  /** The command line is wrong: an unknown command or flag, a missing or malformed value. */
  USAGE: 2,
  /** Not logged in, the cached token expired, or the gateway refused the token: `accord login` again. */
  AUTH: 3,
  /** An answer with data, but some of it null with an error: withheld, hit only, a member that did not answer. */
  PARTIAL: 4,
  /** The gateway could not be reached, answered something that is not GraphQL, or the URL is not the gateway's. */
  UNREACHABLE: 5,
  /** The gateway refused the request: no data, only errors (a malformed header, an unknown id, a bad query). */
  REFUSED: 6,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
