/**
 * The audit part's one error for caller mistakes and refused operations: a closed set of codes and a
 * message that says what was expected and shows the bad value. The CLI prints the message and exits 1;
 * an operation that throws it has changed nothing.
 */
export const AUDIT_ERROR_CODES = [
  /** A record to append does not match the model (audit/types.ts). */
  'BAD_RECORD',
  /** A command-line argument or option is missing or malformed. */
  'BAD_INPUT',
  /** A log URL that is neither `sqlite:` nor `postgres://`. */
  'BAD_URL',
  /** A writer key that is not an Ed25519 private key. */
  'BAD_KEY',
  /** The log does not exist, or has no audit tables. */
  'NO_LOG',
  /** The log cannot be written: closed, taken by another writer of the same instance, or a failed commit. */
  'LOG_UNAVAILABLE',
  /** The operation names something that is not there (a record, a pack file). */
  'NOT_FOUND',
  /** The operation is not allowed on what it names (reviewing a record twice, say). */
  'REFUSED',
] as const;

export type AuditErrorCode = (typeof AUDIT_ERROR_CODES)[number];

export class AuditError extends Error {
  readonly code: AuditErrorCode;
  constructor(code: AuditErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuditError';
    this.code = code;
  }
}
