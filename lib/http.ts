import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext, type GraphQLResponse } from '@apollo/server';
import { ERROR_CODES, devAssert, type AuthRealm, type ErrorCode } from '../vocabulary';
import type { ServiceMetrics } from './metrics';
import { outcomeOfAnswer, outcomeOfStatus } from './requestOutcome';

/**
 * A small HTTP integration for Apollo Server 5 on node:http: one GraphQL path, a health path, and a body
 * limit enforced while reading (a client cannot make the server buffer more than `maxBodyBytes`).
 * Apollo Server 5 ships no node:http integration besides its standalone server, which has no room for
 * a health route or a streaming body limit.
 */

export interface ServeOptions<TContext extends BaseContext> {
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly graphqlPath?: string;
  readonly maxBodyBytes?: number;
  /** Answers GET /health: status 200 when `ok`, else 503. */
  readonly health: () => { ok: boolean; [key: string]: unknown };
  /**
   * Builds the per-request context from the request, its parsed body and the body's exact bytes (what a
   * signature over the body covers); throwing a `HttpError` answers with its status and message.
   */
  readonly context: (request: IncomingMessage, body: unknown, rawBody: Buffer) => Promise<TContext>;
  /** Extra GET routes by exact path, e.g. a page. */
  readonly routes?: Readonly<Record<string, (request: IncomingMessage, response: ServerResponse) => void>>;
  /**
   * Handlers of every method under a path prefix: `/desk` answers `/desk` and `/desk/…`, never `/desks`
   * (e.g. a member's domestic desk API). The handler reads its own body (`readBody`, with its own limit)
   * and answers everything under its prefix, errors included.
   */
  readonly prefixRoutes?: Readonly<
    Record<string, (request: IncomingMessage, response: ServerResponse) => void>
  >;
  /**
   * How long `stop()` lets requests in flight finish before it closes their connections (default
   * DEFAULT_DRAIN_TIMEOUT_MS).
   */
  readonly drainTimeoutMs?: number;
  /**
   * Where a person who opens the GraphQL path in a browser is sent (e.g. `/explorer`): a GET of it that
   * prefers HTML and carries no query is answered 303 See Other to this same-origin path, with a line of
   * HTML that links there. Without it, such a visit gets the GraphQL answer (often a refusal in JSON).
   */
  readonly browserPage?: string;
  /**
   * The realm every 401 of this server names in `WWW-Authenticate` (vocabulary/authRealms.ts), so that a
   * client can tell which server refused it.
   */
  readonly authRealm?: AuthRealm;
  /**
   * This service's metrics (lib/metrics.ts): every GraphQL request is counted by outcome, and GET /metrics
   * renders them. Absent (`ACCORD_METRICS=off`): nothing is counted and /metrics is not served.
   */
  readonly metrics?: ServiceMetrics;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /**
   * Stops listening at once (new connections are refused), closes idle connections, lets the requests
   * in flight finish with their full answers, and closes what is left after the drain timeout.
   */
  stop(): Promise<void>;
}

/**
 * An error the HTTP layer answers with a status and a GraphQL-shaped body, before GraphQL runs; its code
 * is one of the closed set a client can see (vocabulary/errorCodes.ts).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: ErrorCode,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/**
 * Under the 5 s that `npm start`'s supervisor waits after SIGTERM before it kills a service
 * (scripts/supervisedProcess.ts): a drain that outlived it would be cut anyway, without the stores and
 * audit logs closed.
 */
export const DEFAULT_DRAIN_TIMEOUT_MS = 4_000;

export async function serveApollo<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  options: ServeOptions<TContext>,
): Promise<RunningServer> {
  const graphqlPath = options.graphqlPath ?? '/graphql';
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const drainTimeoutMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
  devAssert(
    Number.isInteger(drainTimeoutMs) && drainTimeoutMs >= 0,
    `drainTimeoutMs must be a whole number of milliseconds, not ${String(drainTimeoutMs)}.`,
  );

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // Nothing internal reaches the client: the boundary answers a generic 500 and logs nothing here,
      // the caller's logger already saw the error inside Apollo Server.
      if (!response.headersSent)
        writeError(response, 500, 'Internal server error.', ERROR_CODES.INTERNAL_SERVER_ERROR);
      else response.destroy(error instanceof Error ? error : undefined);
    });
  });
  // A slow client cannot hold a connection open forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  // An idle kept-alive connection is kept a minute (Node's default is 5 s). A client reuses an idle
  // connection until its own timer says the server may have closed it; on a loaded machine that timer
  // runs late, and a request sent as the server closes the socket fails with "other side closed". stop()
  // ends the idle connections at once, so a longer wait holds nothing up.
  server.keepAliveTimeout = 60_000;
  // The answer each request's context ended with, read once every plugin has run (below): plugins'
  // willSendResponse hooks run side by side, and the audit's may still replace the answer after ours.
  const answers = new WeakMap<object, GraphQLResponse>();
  const metrics = options.metrics;
  if (metrics)
    apollo.addPlugin({
      requestDidStart: () =>
        Promise.resolve({
          willSendResponse({ contextValue, response }) {
            answers.set(contextValue, response);
            return Promise.resolve();
          },
        }),
    });
  await apollo.start();

  // Every answer being written, GraphQL or not, for stop() to wait for.
  const inFlight = new Set<ServerResponse>();
  let stopping = false;
  server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    inFlight.add(response);
    response.once('close', () => inFlight.delete(response));
    // A client that asks on a kept-alive connection while the server stops is told not to come back.
    if (stopping) response.shouldKeepAlive = false;
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/health' && request.method === 'GET') {
      const health = options.health();
      response.writeHead(health.ok ? 200 : 503, { 'content-type': 'application/json' });
      response.end(JSON.stringify(health));
      return;
    }
    if (metrics && url.pathname === '/metrics' && request.method === 'GET') {
      const text = await metrics.registry.metrics();
      response.writeHead(200, { 'content-type': metrics.registry.contentType });
      response.end(text);
      return;
    }
    const route = options.routes?.[url.pathname];
    if (route && request.method === 'GET') {
      route(request, response);
      return;
    }
    const prefix = Object.keys(options.prefixRoutes ?? {}).find(
      (base) => url.pathname === base || url.pathname.startsWith(`${base}/`),
    );
    if (prefix !== undefined) {
      options.prefixRoutes![prefix]!(request, response);
      return;
    }
    if (url.pathname !== graphqlPath) {
      // Someone who typed the server's address in a browser is sent on to what a browser can use.
      const page = options.browserPage === undefined ? '' : `; in a browser, open ${options.browserPage}`;
      writeError(
        response,
        404,
        `Not found. GraphQL is served at ${graphqlPath}${page}.`,
        ERROR_CODES.NOT_FOUND,
      );
      return;
    }
    if (options.browserPage !== undefined && isBrowserVisit(request, url)) {
      pointToPage(response, options.browserPage);
      return;
    }
    let body: unknown;
    let rawBody: Buffer = EMPTY;
    try {
      if (request.method === 'POST') {
        rawBody = await readBody(request, maxBodyBytes);
        checkJsonContentType(request);
        body = parseJson(rawBody);
      }
    } catch (error) {
      if (error instanceof HttpError) {
        metrics?.countRequest(outcomeOfStatus(error.status));
        writeError(response, error.status, error.message, error.code, options.authRealm, request);
        return;
      }
      metrics?.countRequest('error');
      throw error;
    }
    let context: TContext;
    try {
      context = await options.context(request, body, rawBody);
    } catch (error) {
      if (error instanceof HttpError) {
        metrics?.countRequest(outcomeOfStatus(error.status));
        writeError(response, error.status, error.message, error.code, options.authRealm, request);
        return;
      }
      metrics?.countRequest('error');
      throw error;
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: request.method ?? 'GET', headers, search: url.search, body },
      context: () => Promise.resolve(context),
    });
    if (metrics) metrics.countRequest(requestOutcome(answers.get(context), result.status));
    for (const [name, value] of result.headers) response.setHeader(name, value);
    response.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      response.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) response.write(chunk);
    response.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  let stopped: Promise<void> | undefined;
  async function drainAndStop(): Promise<void> {
    stopping = true;
    // Before anything is awaited: from the call of stop() on, a new connection is refused. close() also
    // ends the idle kept-alive connections; it calls back once every connection has ended.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // The answers in flight finish, each in full (before this drain, every connection was closed at
    // once and they were cut), bounded by the drain timeout. Not Apollo's drain plugin: it stops
    // listening only a tick after stop() begins, and it does not see the health route or the pages.
    await drained(inFlight, drainTimeoutMs);
    server.closeAllConnections();
    await closed;
    await apollo.stop();
  }

  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}${graphqlPath}`,
    port: address.port,
    stop() {
      stopped ??= drainAndStop();
      return stopped;
    },
  };
}

const EMPTY: Buffer = Buffer.alloc(0);

/**
 * A GraphQL request's outcome: from its final answer's error codes when GraphQL ran, else (Apollo refused
 * the HTTP request itself, e.g. a GET without a query) from the status.
 */
function requestOutcome(answer: GraphQLResponse | undefined, status: number | undefined) {
  if (answer?.body.kind !== 'single') return outcomeOfStatus(status ?? 200);
  const { data, errors } = answer.body.singleResult;
  const hasData = data !== null && data !== undefined && Object.values(data).some((value) => value !== null);
  const fromAnswer = outcomeOfAnswer(errors, hasData);
  // A 5xx the answer's codes did not explain (none should) still counts as the failure it is.
  return fromAnswer === 'ok' && (status ?? 200) >= 500 ? 'error' : fromAnswer;
}

/** Resolves once every response in flight has been sent or dropped, or after `timeoutMs`. */
async function drained(inFlight: ReadonlySet<ServerResponse>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  const done = Promise.all(
    [...inFlight].map(
      (response) =>
        new Promise<void>((resolve) =>
          response.closed ? resolve() : response.once('close', () => resolve()),
        ),
    ),
  );
  await Promise.race([done, timeout]);
  clearTimeout(timer);
}

/**
 * Reads the body up to `maxBodyBytes`. Over the limit (declared or, for a chunked body, counted while
 * reading) it stops keeping the bytes and throws a 413: the client gets an answer it can read, not a
 * reset. (Leaving a `for await` loop early, as this did, destroys the request stream and with it the
 * socket, before any answer.) What the client still sends is read and discarded, never buffered, as node
 * does for any body a handler leaves unread; `requestTimeout` bounds how long. Closing the socket right
 * after the 413 instead would reset a client still sending, and a reset can discard the 413 unread.
 */
export function readBody(request: IncomingMessage, maxBodyBytes: number): Promise<Buffer> {
  const tooLarge = (): HttpError =>
    new HttpError(
      413,
      `The request body is larger than ${maxBodyBytes} bytes.`,
      ERROR_CODES.PAYLOAD_TOO_LARGE,
    );
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxBodyBytes) return Promise.reject(tooLarge());
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= maxBodyBytes) {
        chunks.push(chunk);
        return;
      }
      cleanUp();
      chunks.length = 0;
      // The client may hang up while the rest is discarded: nothing to report then.
      request.on('error', () => undefined);
      request.resume();
      reject(tooLarge());
    };
    const onEnd = (): void => {
      cleanUp();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error): void => {
      cleanUp();
      reject(error);
    };
    function cleanUp(): void {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    }
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}

/**
 * A POST's body is read as JSON only when it says it is (`content-type: application/json`). Otherwise the
 * client is told that its content type is the problem, and which one to send: a `text/plain` body (curl's
 * or a browser form's habit) was called invalid JSON, or, when it happened to be JSON, refused by Apollo as
 * a possible cross-site request, both sending the person to look for a fault in the body.
 */
function checkJsonContentType(request: IncomingMessage): void {
  const header = request.headers['content-type'];
  const media = header?.split(';')[0]!.trim().toLowerCase();
  if (media === 'application/json') return;
  // The client's own value, said back only when it looks like a media type (nothing else is echoed).
  const said =
    media === undefined || media === ''
      ? 'The request has no content-type'
      : /^[a-z0-9!#$&^_.+-]{1,64}\/[a-z0-9!#$&^_.+-]{1,64}$/.test(media)
        ? `The request body is sent as ${media}`
        : 'The request body is sent with a content-type that is not JSON';
  throw new HttpError(
    415,
    `${said}: send it as JSON, with the header content-type: application/json (a JSON object with a "query").`,
    ERROR_CODES.BAD_REQUEST,
  );
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0)
    throw new HttpError(
      400,
      'The request body is empty: POST a JSON object with a "query".',
      ERROR_CODES.BAD_REQUEST,
    );
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'The request body is not valid JSON.', ERROR_CODES.BAD_REQUEST);
  }
}

/**
 * A browser opening the GraphQL path: a GET that prefers HTML (its Accept names text/html, as a page
 * navigation's does, while GraphQL clients ask for JSON) and carries no `query` parameter.
 */
function isBrowserVisit(request: IncomingMessage, url: URL): boolean {
  if (request.method !== 'GET' || url.searchParams.has('query')) return false;
  return (headerValue(request, 'accept') ?? '').toLowerCase().includes('text/html');
}

function pointToPage(response: ServerResponse, page: string): void {
  devAssert(page.startsWith('/') && !page.startsWith('//'), `browserPage must be a path, not ${page}.`);
  response.writeHead(303, { location: page, 'content-type': 'text/html; charset=utf-8' });
  response.end(
    `<!doctype html><title>Accord</title><p>This is the GraphQL endpoint, for programs. People use the <a href="${page}">explorer</a>.</p>\n`,
  );
}

/**
 * Answers with a status and a GraphQL-shaped error body; a 401 names the server's realm, and says whether
 * the request's token was refused (authChallenge).
 */
export function writeError(
  response: ServerResponse,
  status: number,
  message: string,
  code: ErrorCode,
  realm?: AuthRealm,
  request?: IncomingMessage,
): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    ...(realm !== undefined && authChallenge(status, realm, request)),
  });
  response.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

/**
 * The `WWW-Authenticate` header of an answer: a 401 names the bearer realm it wants (RFC 9110 §11.6.1;
 * RFC 6750 §3, `Bearer realm="…"`), with `error="invalid_token"` when the request carried a bearer token
 * (it was refused: missing, expired, forged or of the wrong scope look the same); a request without one
 * gets no error code (RFC 6750 §3.1). Nothing about why: that is in the server's log only. Any other
 * status: no header.
 */
export function authChallenge(
  status: number,
  realm: AuthRealm,
  request?: IncomingMessage,
): Record<string, string> {
  if (status !== 401) return {};
  const refused = request !== undefined && bearerToken(request) !== undefined;
  return { 'www-authenticate': `Bearer realm="${realm}"${refused ? ', error="invalid_token"' : ''}` };
}

/** The first value of a request header, trimmed; undefined when absent or empty. */
export function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  const first = Array.isArray(value) ? value[0] : value;
  const trimmed = first?.trim();
  return trimmed ? trimmed : undefined;
}

/** The token of an `Authorization: Bearer <token>` header; undefined when there is none. */
export function bearerToken(request: IncomingMessage): string | undefined {
  const authorization = headerValue(request, 'authorization');
  return authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length).trim() : undefined;
}
