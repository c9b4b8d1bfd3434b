import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, readBody } from '../../lib/http';
import type { Logger } from '../../lib/logger';
import type { RequestContext } from '../../policy';
import { ERROR_CODES, type ErrorCode } from '../../schema';
import type { GatewayTokenVerifier } from '../../trust';
import { verifyCaller, type Caller } from './caller';

/**
 * A member's own JSON routes that the gateway calls for an analyst, beside its subgraph (the alert routes,
 * docs/decisions/0019-alert-delivery.md): the same gateway token as a query (scope `query`, the analyst's
 * verified context, the body hash), checked by the same verifyCaller before the body is read as JSON. Who
 * asks comes from the token only, never from the body.
 */
export interface GatewayCall {
  /** The verified analyst and why they ask. */
  readonly requester: RequestContext;
  readonly caller: Caller;
  /** The body, parsed: a JSON object. */
  readonly body: Readonly<Record<string, unknown>>;
}

export interface GatewayCallOptions {
  readonly verifier: GatewayTokenVerifier;
  /** Epoch ms the token's lifetime is checked at. */
  readonly at: number;
  readonly logger: Logger;
  /** The largest body read (default 64 KiB); a larger one is refused with 413 before anything else. */
  readonly maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/**
 * Reads a gateway call: POST only, a body within the limit, a valid gateway token of scope `query` with an
 * analyst, and a JSON object. Throws an HttpError (answer it with `answerError`) otherwise; nothing else
 * has been read or done then.
 */
export async function readGatewayCall(
  request: IncomingMessage,
  options: GatewayCallOptions,
): Promise<GatewayCall> {
  if (request.method !== 'POST') {
    request.resume();
    throw new HttpError(405, 'This path answers POST only.', ERROR_CODES.BAD_REQUEST);
  }
  const rawBody = await readBody(request, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  const caller = await verifyCaller(request, rawBody, options.verifier, options.at, options.logger);
  if (caller.scope !== 'query' || caller.requester === undefined) {
    options.logger.warn({ scope: caller.scope }, 'refused a gateway call without an analyst');
    throw new HttpError(401, 'This path answers only the alliance gateway.', ERROR_CODES.UNAUTHENTICATED);
  }
  const media = request.headers['content-type']?.split(';')[0]!.trim().toLowerCase();
  if (media !== 'application/json')
    throw new HttpError(415, 'Send the body as application/json.', ERROR_CODES.BAD_REQUEST);
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new HttpError(400, 'The body is not valid JSON.', ERROR_CODES.BAD_REQUEST);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new HttpError(400, 'The body must be a JSON object.', ERROR_CODES.BAD_REQUEST);
  return { requester: caller.requester, caller, body: body as Record<string, unknown> };
}

const HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

/** A JSON answer, with `headers` besides the usual ones. */
export function answerJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { ...HEADERS, ...headers });
  response.end(JSON.stringify(body));
}

/**
 * An error in the shape lib/http.ts answers before GraphQL runs, `{ errors: [{ message, extensions: { code,
 * problems } }] }`, with a code of the closed set (vocabulary/errorCodes.ts).
 */
export function answerError(
  response: ServerResponse,
  status: number,
  code: ErrorCode,
  message: string,
  problems: readonly string[] = [],
  headers: Readonly<Record<string, string>> = {},
): void {
  answerJson(
    response,
    status,
    { errors: [{ message, extensions: { code, ...(problems.length > 0 && { problems }) } }] },
    headers,
  );
}
