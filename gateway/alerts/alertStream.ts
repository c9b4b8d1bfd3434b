import type { GraphQLError } from 'graphql';
import { accordError, ERROR_CODES } from '../../schema';
import type { AlertApi, AlertContext } from './alertApi';
import type { LogEntry } from './alertBackend';
import { AlertBackendError, backendGraphQLError } from './AlertBackendError';
import { recordDelivery } from './alertAudit';
import { alertView, type AlertView } from './alertView';
import { deliveryVerdict, watchRunning } from './deliveryCheck';
import { pause } from '../../lib/pause';

/**
 * One event of the `alerts` subscription's source: a notice to deliver, or the error the stream ends with
 * (the subscription's resolver throws it, so the client gets it as a coded GraphQL error, then `complete`).
 */
export type StreamEvent = { readonly alert: AlertView } | { readonly end: GraphQLError };

export const TOKEN_EXPIRED_MESSAGE =
  'Your token is no longer valid, so the alert stream ends. Log in again and resume with Last-Event-ID (or after:).';
/**
 * The least time between the starts of two reads of the log: a notice after a quiet spell is read at once
 * (the read was waiting for it), and under a steady flow the notices appended meanwhile share the next
 * page, so the reading, the token's check and the hub's answer are paid per page, not per notice
 * (bench/README.md, `alerts`).
 */
export const READ_SPACING_MS = 40;

export const WATCH_ENDED_MESSAGE =
  'You have no running watch (none was registered, or each expired or was cancelled), so the alert stream ends. Register a watch (registerWatch; accord alerts watch) or renew one, then subscribe again.';

/**
 * The source of `subscription alerts(after:)` (docs/decisions/0019-alert-delivery.md): replays the hub's
 * log from the cursor, then tails it (each read waits for a new entry up to `waitMs`). Each notice is
 * checked at delivery: the token first (invalid: the stream ends UNAUTHENTICATED); then its watch
 * (ended: skipped, and the stream ends WATCH_ENDED once no watch of the analyst runs); then its basis
 * (lapsed: withheld, the stream goes on). A delivered notice is recorded in the audit log before it is
 * yielded, and its cursor becomes the event's SSE `id`, so a client that reconnects with Last-Event-ID
 * resumes right after the last notice it got: nothing skipped, nothing twice.
 *
 * Ending it (`return()`: the client went away, the gateway stops) aborts the read in flight.
 */
export function alertStream(
  api: AlertApi,
  context: AlertContext,
  after: string | null,
): AsyncGenerator<StreamEvent, void, undefined> {
  const controller = new AbortController();
  const source = run(api, context, after, controller.signal);
  const stream: AsyncGenerator<StreamEvent, void, undefined> = {
    next: () => source.next(),
    return: (value) => {
      controller.abort();
      return source.return(value);
    },
    throw: (error) => {
      controller.abort();
      return source.throw(error);
    },
    [Symbol.asyncIterator]() {
      return stream;
    },
    [Symbol.asyncDispose]: async () => {
      await stream.return(undefined);
    },
  };
  return stream;
}

async function* run(
  api: AlertApi,
  context: AlertContext,
  after: string | null,
  signal: AbortSignal,
): AsyncGenerator<StreamEvent, void, undefined> {
  const { caller } = context;
  const end = (error: GraphQLError): StreamEvent => {
    // The ending event carries no SSE id: a client resumes after the last notice it was given.
    context.eventIds.push(undefined);
    return { end: error };
  };
  let cursor = after;
  let lastReadAt = -Infinity;
  try {
    if (!(await api.tokenStillValid(context.token, caller))) {
      yield end(accordError(ERROR_CODES.UNAUTHENTICATED, TOKEN_EXPIRED_MESSAGE));
      return;
    }
    if (!(await anyWatchRunning(api, context))) {
      yield end(accordError(ERROR_CODES.WATCH_ENDED, WATCH_ENDED_MESSAGE));
      return;
    }
    for (;;) {
      // Ended while the token or the watches were being checked: no new read.
      if (signal.aborted) return;
      const sinceLast = performance.now() - lastReadAt;
      if (sinceLast < READ_SPACING_MS) await pause(READ_SPACING_MS - sinceLast, signal);
      if (signal.aborted) return;
      lastReadAt = performance.now();
      const page = await api.backend.readLog(caller, {
        after: cursor,
        limit: api.pageSize,
        waitMs: api.waitMs,
        signal,
      });
      if (signal.aborted) return;
      // The token, once per page: after a wait that ended with nothing (a stream with no notice still ends
      // when the token expires), and just before the page's notices go (they go within the same moment).
      if (!(await api.tokenStillValid(context.token, caller))) {
        yield end(accordError(ERROR_CODES.UNAUTHENTICATED, TOKEN_EXPIRED_MESSAGE));
        return;
      }
      let skipped = page.entries.length === 0;
      const at = api.now();
      const verdicts = page.entries.map((entry) => deliveryVerdict(entry, caller.requester, api.policy, at));
      // The page's deliveries are recorded together (one durable commit of the audit log, not one per
      // notice); each notice still goes only once its own record is durable.
      const recorded = page.entries.map((entry, i) =>
        verdicts[i] === 'deliver' ? recordDelivery(api.audit, caller, entry, api.logger) : undefined,
      );
      // A record that fails is awaited below, in order; the others' failures must not go unhandled meanwhile.
      for (const one of recorded) one?.catch(() => undefined);
      for (const [i, entry] of page.entries.entries()) {
        cursor = entry.cursor;
        const verdict = verdicts[i]!;
        if (verdict === 'watchEnded') skipped = true;
        if (verdict !== 'deliver') {
          noteNotDelivered(api, context, entry, verdict);
          continue;
        }
        await recorded[i];
        context.eventIds.push(entry.cursor);
        yield { alert: alertView(entry) };
      }
      // A skipped notice, or a wait that ended with nothing: does any watch of the analyst still run?
      if (skipped && !(await anyWatchRunning(api, context))) {
        yield end(accordError(ERROR_CODES.WATCH_ENDED, WATCH_ENDED_MESSAGE));
        return;
      }
    }
  } catch (error) {
    if (signal.aborted) return;
    yield end(streamError(api, context, error));
  }
}

async function anyWatchRunning(api: AlertApi, context: AlertContext): Promise<boolean> {
  const at = api.now();
  let watches;
  try {
    watches = await api.backend.watches(context.caller);
  } catch (error) {
    // A backend that cannot list the analyst's watches (a hub without the route): the stream cannot tell
    // that none runs, so it goes on. Each notice is still checked against its own watch's entry.
    if (error instanceof AlertBackendError && error.code === 'NOT_FOUND') {
      api.logger.warn(
        { requestId: context.caller.requestId },
        "cannot list the analyst's watches: the stream will not end WATCH_ENDED",
      );
      return true;
    }
    throw error;
  }
  return watches.some((watch) => watchRunning(watch, at));
}

function noteNotDelivered(
  api: AlertApi,
  context: AlertContext,
  entry: LogEntry,
  verdict: 'watchEnded' | 'withheld',
): void {
  // The gateway's log only: the analyst is told nothing of a notice that is not theirs to receive.
  api.logger.info(
    {
      requestId: context.caller.requestId,
      owner: entry.notice.owner,
      noticeId: entry.notice.noticeId,
      watchId: entry.notice.watchId,
      verdict,
    },
    verdict === 'watchEnded' ? 'skipped a notice of an ended watch' : 'withheld a notice at delivery',
  );
}

/** The error a stream ends with when reading the log fails: coded, with nothing internal in it. */
function streamError(api: AlertApi, context: AlertContext, error: unknown): GraphQLError {
  if (error instanceof AlertBackendError) return backendGraphQLError(error);
  if (isCodedGraphQLError(error)) return error;
  api.logger.error({ err: error, requestId: context.caller.requestId }, 'the alert stream failed');
  return accordError(
    ERROR_CODES.INTERNAL_SERVER_ERROR,
    'The alert stream failed; resume with Last-Event-ID. The incident is logged.',
  );
}

function isCodedGraphQLError(error: unknown): error is GraphQLError {
  return (
    typeof error === 'object' &&
    error !== null &&
    'extensions' in error &&
    typeof (error as GraphQLError).extensions?.['code'] === 'string'
  );
}
