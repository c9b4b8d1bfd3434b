import type { ParsedLine } from './commandLine';
import { declarationHeaders } from './declaration';
import { gatewayUrl, postOperation, type GatewayAnswer } from './gateway';
import type { Io } from './io';
import { loadSession } from './session';

/**
 * Sends one operation as the logged-in analyst, with the declaration the command line gives. The command
 * line is checked first (a usage error never needs a token), then the cached token (an expired one is
 * refused here, before anything is sent).
 */
export async function ask(
  line: ParsedLine,
  io: Io,
  command: string,
  operation: { query: string; variables?: Record<string, unknown> },
): Promise<GatewayAnswer> {
  const headers = declarationHeaders(line.values, command);
  const url = gatewayUrl(
    typeof line.values['gateway'] === 'string' ? line.values['gateway'] : undefined,
    io.env,
    command,
  );
  const session = loadSession(io.env, io.now());
  return postOperation(url, operation, { ...headers, authorization: `Bearer ${session.token}` });
}
