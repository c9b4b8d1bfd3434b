/**
 * Three assertions, after graphql-js's: each throws a plain Error, never a client-visible one (an error
 * boundary masks it as INTERNAL_SERVER_ERROR), so none is a way to refuse a request or a bad setting —
 * those get a message for the person who can fix them.
 *
 * - `devAssert`: a caller in our own code broke a function's contract (a fallback port that is no port).
 * - `invariant`: something the code around it guarantees does not hold (a state that cannot happen).
 * - `assertNever`: the default of a switch over a union, so that adding a member to the union fails the
 *   type check until every switch decides what it means.
 */

/** A caller broke the contract of the function it called: the message says which argument, and how. */
export function devAssert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** What the surrounding code guarantees; failing it is a bug in Accord, reported as one. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`invariant: ${message}`);
}

/** The default branch of an exhaustive switch: unreachable by type, and loud if a value slips through. */
export function assertNever(value: never, what: string): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}.`);
}
