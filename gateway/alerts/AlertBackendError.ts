/**
 * A failure of the backend the analyst is told of: bad input (with every problem), an unknown watch or
 * notice, or a member or the hub not available. `code` is from vocabulary/errorCodes.ts.
 */
export class AlertBackendError extends Error {
  constructor(
    readonly code: 'BAD_USER_INPUT' | 'NOT_FOUND' | 'MEMBER_UNAVAILABLE',
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    super(message);
    this.name = 'AlertBackendError';
  }
}
