import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  OperationTypeNode,
  execute,
  getOperationAST,
  parse,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { ERROR_CODES } from '../../schema';
import { HttpError, headerValue, readBody, writeError } from '../../lib/http';
import type { AuthRealm } from '../../vocabulary';
import type { RequestContext } from '../../policy';
import { REQUEST_ID_HEADER } from '../consultationLog';
import type { AlertApi, AlertContext } from './alertApi';
import { alertSchema } from './alertSchema';
import { codedValidate, errorsBody, formatResult } from './alertErrors';
import { sseTransport } from './sseTransport';

/** Where the alert API is served on the gateway's server. */
export const ALERTS_PATH = '/alerts';

/** A request to the alert API is a small GraphQL document and its variables. */
const MAX_ALERT_BODY_BYTES = 64 * 1024;
/** As /graphql's token limit (gateway/limits.ts DEFAULT_LIMITS). */
const MAX_ALERT_TOKENS = 2_000;

export interface AlertRoutes {
  /** The handler of every request under ALERTS_PATH (lib/http.ts `prefixRoutes`). */
  readonly handle: (request: IncomingMessage, response: ServerResponse) => void;
  /** Ends every open stream (the gateway stops): each client may resume with Last-Event-ID. */
  close(): Promise<void>;
}

export interface AlertRoutesOptions {
  /**
   * Who asks, verified exactly as for /graphql (gateway/server.ts): the analyst's token and the
   * declaration headers; throws the HttpError the client is answered with (401 without a valid token).
   */
  readonly authenticate: (request: IncomingMessage) => Promise<{ requester: RequestContext; token: string }>;
  /** The realm of this server's 401s (vocabulary/authRealms.ts). */
  readonly authRealm: AuthRealm;
}

/**
 * The gateway's alert API over HTTP (docs/decisions/0019-alert-delivery.md): `POST /alerts` with
 * `content-type: application/json` runs a query or mutation and answers JSON; a request that accepts
 * `text/event-stream` (GET or POST) is served over Server-Sent Events by graphql-sse in distinct
 * connections mode (gateway/alerts/sseTransport.ts), each alert's cursor as its event's `id`. Every
 * request needs the analyst's token first: without a valid one, 401 and nothing else runs.
 */
export function alertRoutes(api: AlertApi, options: AlertRoutesOptions): AlertRoutes {
  const schema = alertSchema(api);
  const sse = sseTransport(schema, api.logger, MAX_ALERT_TOKENS);
  const fail = (request: IncomingMessage, response: ServerResponse, error: unknown): void => {
    if (error instanceof HttpError) {
      if (!response.headersSent)
        writeError(response, error.status, error.message, error.code, options.authRealm, request);
      else response.end();
      return;
    }
    api.logger.error({ err: error }, 'the alert API failed');
    if (!response.headersSent)
      writeError(response, 500, 'Internal server error.', ERROR_CODES.INTERNAL_SERVER_ERROR);
    else response.destroy();
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { requester, token } = await options.authenticate(request);
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== ALERTS_PATH)
      throw new HttpError(
        404,
        `Not found. The alert API is served at ${ALERTS_PATH}.`,
        ERROR_CODES.NOT_FOUND,
      );
    // Checked where `after:` is (alertSchema.ts cursorArgument), so that a bad one gets the same answer.
    const lastEventId = headerValue(request, 'last-event-id');
    const context: AlertContext = {
      caller: { requester, requestId: randomUUID() },
      token,
      ...(lastEventId !== undefined && { lastEventId }),
      eventIds: [],
    };
    response.setHeader(REQUEST_ID_HEADER, context.caller.requestId);
    const method = request.method ?? 'GET';
    if (wantsEventStream(request)) {
      if (method !== 'GET' && method !== 'POST')
        throw new HttpError(405, 'An alert stream is opened with GET or POST.', ERROR_CODES.BAD_REQUEST);
      const body = method === 'POST' ? await readJsonBody(request) : null;
      await sse.serve(request, response, context, body);
      return;
    }
    if (method !== 'POST')
      throw new HttpError(
        405,
        `POST a JSON object with a "query" to ${ALERTS_PATH} (content-type: application/json), or open the alert stream with Accept: text/event-stream.`,
        ERROR_CODES.BAD_REQUEST,
      );
    const body = parseBody(await readJsonBody(request));
    const { status, result } = await runJson(schema, body, context, api);
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(result));
  }

  return {
    handle: (request, response) => {
      handle(request, response).catch((error: unknown) => fail(request, response, error));
    },
    close: () => sse.close(),
  };
}

/** A client that accepts an event stream (graphql-sse's client asks for exactly `text/event-stream`). */
function wantsEventStream(request: IncomingMessage): boolean {
  return (headerValue(request, 'accept') ?? '')
    .split(',')
    .some((media) => media.split(';')[0]!.trim().toLowerCase() === 'text/event-stream');
}

async function readJsonBody(request: IncomingMessage): Promise<string> {
  const raw = await readBody(request, MAX_ALERT_BODY_BYTES);
  const media = headerValue(request, 'content-type')?.split(';')[0]!.trim().toLowerCase();
  if (media !== 'application/json')
    throw new HttpError(
      415,
      'Send the request body as JSON, with the header content-type: application/json (a JSON object with a "query").',
      ERROR_CODES.BAD_REQUEST,
    );
  return raw.toString('utf8');
}

interface JsonRequest {
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  readonly operationName?: string;
}

function parseBody(text: string): JsonRequest {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'The request body is not valid JSON.', ERROR_CODES.BAD_REQUEST);
  }
  const { query, variables, operationName } = (body ?? {}) as Record<string, unknown>;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || typeof query !== 'string')
    throw new HttpError(400, 'POST a JSON object with a "query" (a string).', ERROR_CODES.BAD_REQUEST);
  if (
    variables !== undefined &&
    variables !== null &&
    (typeof variables !== 'object' || Array.isArray(variables))
  )
    throw new HttpError(400, '"variables" must be a JSON object.', ERROR_CODES.BAD_REQUEST);
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string')
    throw new HttpError(400, '"operationName" must be a string.', ERROR_CODES.BAD_REQUEST);
  return {
    query,
    ...(variables ? { variables: variables as Record<string, unknown> } : {}),
    ...(typeof operationName === 'string' ? { operationName } : {}),
  };
}

/** A query or mutation over JSON: parse, validate, refuse a subscription, execute. */
async function runJson(
  schema: GraphQLSchema,
  body: JsonRequest,
  context: AlertContext,
  api: AlertApi,
): Promise<{ status: number; result: unknown }> {
  let document: DocumentNode;
  try {
    document = parse(body.query, { maxTokens: MAX_ALERT_TOKENS });
  } catch (error) {
    return {
      status: 400,
      result: JSON.parse(
        errorsBody({ message: (error as Error).message, code: ERROR_CODES.GRAPHQL_PARSE_FAILED }),
      ) as unknown,
    };
  }
  const invalid = codedValidate(schema, document);
  if (invalid.length > 0) return { status: 400, result: formatResult({ errors: invalid }, api.logger) };
  const operation = getOperationAST(document, body.operationName);
  if (operation?.operation === OperationTypeNode.SUBSCRIPTION)
    return {
      status: 400,
      result: JSON.parse(
        errorsBody({
          message: `A subscription is served over Server-Sent Events: send it to ${ALERTS_PATH} with the header Accept: text/event-stream.`,
          code: ERROR_CODES.BAD_REQUEST,
        }),
      ) as unknown,
    };
  const result = await execute({
    schema,
    document,
    contextValue: context,
    variableValues: body.variables ?? null,
    operationName: body.operationName ?? null,
  });
  // Nothing ran (the operation is not named, or the variables do not fit): the request was wrong.
  const status = result.data === undefined || result.data === null ? (ranAny(result) ? 200 : 400) : 200;
  return { status, result: formatResult(result, api.logger) };
}

/** Whether execution reached a field: its errors carry a path. */
function ranAny(result: { errors?: readonly { path?: unknown }[] }): boolean {
  return (result.errors ?? []).some((error) => error.path !== undefined);
}
