import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';

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
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** An error the HTTP layer answers with a status and a GraphQL-shaped body, before GraphQL runs. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

export async function serveApollo<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  options: ServeOptions<TContext>,
): Promise<RunningServer> {
  const graphqlPath = options.graphqlPath ?? '/graphql';
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  await apollo.start();

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // Nothing internal reaches the client: the boundary answers a generic 500 and logs nothing here,
      // the caller's logger already saw the error inside Apollo Server.
      if (!response.headersSent) writeError(response, 500, 'Internal server error.', 'INTERNAL_SERVER_ERROR');
      else response.destroy(error instanceof Error ? error : undefined);
    });
  });
  // A slow client cannot hold a connection open forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/health' && request.method === 'GET') {
      const health = options.health();
      response.writeHead(health.ok ? 200 : 503, { 'content-type': 'application/json' });
      response.end(JSON.stringify(health));
      return;
    }
    const route = options.routes?.[url.pathname];
    if (route && request.method === 'GET') {
      route(request, response);
      return;
    }
    if (url.pathname !== graphqlPath) {
      writeError(response, 404, `Not found. GraphQL is served at ${graphqlPath}.`, 'NOT_FOUND');
      return;
    }
    let body: unknown;
    let rawBody: Buffer = EMPTY;
    try {
      if (request.method === 'POST') {
        rawBody = await readBody(request, maxBodyBytes);
        body = parseJson(rawBody);
      }
    } catch (error) {
      if (error instanceof HttpError) {
        writeError(response, error.status, error.message, error.code);
        return;
      }
      throw error;
    }
    let context: TContext;
    try {
      context = await options.context(request, body, rawBody);
    } catch (error) {
      if (error instanceof HttpError) {
        writeError(response, error.status, error.message, error.code);
        return;
      }
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
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}${graphqlPath}`,
    port: address.port,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await apollo.stop();
    },
  };
}

const EMPTY: Buffer = Buffer.alloc(0);

async function readBody(request: IncomingMessage, maxBodyBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxBodyBytes) throw new HttpError(413, `The request body is larger than ${maxBodyBytes} bytes.`, 'PAYLOAD_TOO_LARGE');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) {
      request.destroy();
      throw new HttpError(413, `The request body is larger than ${maxBodyBytes} bytes.`, 'PAYLOAD_TOO_LARGE');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) throw new HttpError(400, 'The request body is empty: POST a JSON object with a "query".', 'BAD_REQUEST');
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'The request body is not valid JSON.', 'BAD_REQUEST');
  }
}

function writeError(response: ServerResponse, status: number, message: string, code: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
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
