import { EXIT, type ExitCode } from './exitCodes';
import type { GraphQLBody } from './gateway';

/**
 * The exit code of an answer: whole (OK), data with some of it null and an error beside it (PARTIAL: a
 * field withheld, a hit only, a member that did not answer), or no data at all, only errors (REFUSED).
 */
export function answerExitCode(body: GraphQLBody): ExitCode {
  if (!body.errors || body.errors.length === 0) return EXIT.OK;
  const roots = body.data ? Object.values(body.data) : [];
  return roots.some((value) => value !== null && value !== undefined) ? EXIT.PARTIAL : EXIT.REFUSED;
}
