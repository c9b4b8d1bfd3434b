/**
 * A caller's mistake in a legal tool's input (unknown country, field, purpose, revision, option, …): the
 * message says what was wrong, the nearest valid names and what is accepted. Commands print it and exit
 * with status 2; the page shows it next to the form. Anything else thrown is a bug.
 */
export class LegalInputError extends Error {
  override readonly name = 'LegalInputError';
}
