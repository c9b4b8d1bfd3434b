import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { createHandler } from 'graphql-sse';
import { ERROR_CODES } from '../../schema';
import type { Logger } from '../../lib/logger';
import type { AlertContext } from './alertApi';
import { codedValidate, errorsBody, formatResult } from './alertErrors';

export interface SseTransport {
  /** Serves one request that accepts `text/event-stream`; `body` is its JSON body (POST) or null (GET). */
  serve(
    request: IncomingMessage,
    response: ServerResponse,
    context: AlertContext,
    body: string | null,
  ): Promise<void>;
  /** Ends every open stream. */
  close(): Promise<void>;
}

interface Raw {
  readonly context: AlertContext;
}

/** graphql-sse types its operation context as a record; ours is an AlertContext. */
type SseContext = AlertContext & Record<PropertyKey, unknown>;

/**
 * graphql-sse's core handler (distinct connections mode: one operation per connection), on node:http.
 * graphql-sse writes no SSE `id:` field; the alert stream needs one, so that a browser's EventSource or
 * any client that reconnects sends `Last-Event-ID` and resumes after the last alert it got. The stream's
 * source pushes each event's id onto the request's `eventIds` as it yields (gateway/alerts/alertStream.ts);
 * graphql-sse turns each yielded value into exactly one `next` event, in order, so each `next` event
 * written here takes the next id. The events graphql-sse writes otherwise (`complete`, keep-alive
 * comments) carry none.
 */
export function sseTransport(schema: GraphQLSchema, logger: Logger, maxTokens: number): SseTransport {
  const open = new Set<AsyncIterator<string>>();
  const handler = createHandler<Raw, Raw, SseContext>({
    schema,
    validate: codedValidate,
    // Distinct connections only: no stream is ever reserved under a token (single connection mode).
    authenticate: () => null,
    onSubscribe: (request, params) => {
      try {
        return {
          schema,
          document: parse(params.query, { maxTokens }),
          contextValue: request.context.context as SseContext,
          variableValues: params.variables ?? null,
          operationName: params.operationName ?? null,
        };
      } catch (error) {
        return [
          errorsBody({ message: (error as Error).message, code: ERROR_CODES.GRAPHQL_PARSE_FAILED }),
          {
            status: 400,
            statusText: 'Bad Request',
            headers: { 'content-type': 'application/json; charset=utf-8' },
          },
        ] as [string, { status: number; statusText: string; headers: Record<string, string> }];
      }
    },
    onNext: (_context, _request, result) => formatResult(result as ExecutionResult, logger),
  });

  return {
    async serve(request, response, context, body) {
      const [answer, init] = await handler({
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        headers: {
          // The core handler recognises a stream request by exactly this value; the route already did.
          get: (name) => (name === 'accept' ? 'text/event-stream' : headerOf(request, name)),
        },
        body,
        raw: { context },
        context: { context },
      });
      response.writeHead(init.status, init.statusText, init.headers);
      if (answer === null || typeof answer === 'string') {
        response.end(answer ?? undefined);
        return;
      }
      const events = answer[Symbol.asyncIterator]();
      open.add(events);
      const stop = (): void => void events.return?.();
      response.once('close', stop);
      try {
        for (;;) {
          const { value, done } = await events.next();
          if (done) break;
          const id = value.startsWith('event: next\n') ? context.eventIds.shift() : undefined;
          const written = await write(response, id === undefined ? value : `id: ${id}\n${value}`);
          if (!written) break;
        }
      } finally {
        open.delete(events);
        response.off('close', stop);
        await events.return?.();
        if (!response.writableEnded) response.end();
      }
    },
    async close() {
      await Promise.all([...open].map(async (events) => events.return?.()));
    },
  };
}

function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Writes one event; false when the client has gone. */
function write(response: ServerResponse, chunk: string): Promise<boolean> {
  if (!response.writable || response.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => response.write(chunk, (error) => resolve(!error)));
}
