import type { Logger } from '../../lib/logger';
import type { OwnerAlerts } from './ownerAlerts';
import { pause } from '../../lib/pause';

/**
 * The relay from a member's outbox to the hub (issue 11; docs/decisions/0019-alert-delivery.md, "From the
 * outbox to the hub"). It reads the notices not yet relayed (`pending`, at most RELAY_BATCH at a time, in
 * commit order), posts them unchanged to `<hub>/alerts/notices` as
 * `{ "notices": [{ "body", "signature" }] }`, and marks relayed only the ids the hub answered in
 * `acknowledged`: the hub has them durably then. Delivery is at least once; the hub keeps a notice once
 * under `(owner, noticeId)`, so a notice sent again (a crash between the hub's answer and the mark) is
 * harmless.
 *
 * It is woken once notices are released to it (`wake`: by memberAlerts.ts once their `notice.emitted`
 * records are durable, or at each commit that wrote notices for a member without an audit log; `pending`
 * returns only released notices) and once when it starts (what an earlier process left). Two posts begin at least RELAY_SPACING_MS apart: a notice after a
 * quiet spell goes at once, and under a steady flow the notices committed meanwhile share the next post
 * (at 100 notices/s, a post per notice cost the owner and the hub more CPU than the notices themselves:
 * bench/README.md, `alerts`). When the hub cannot be reached, answers a 5xx or anything that is
 * not its answer, the relay waits (RELAY_BACKOFF: from 50 ms, doubling, at most 5 s) and tries again. A
 * notice the hub refused stays pending and is logged (an owner's key the hub has not pinned is an
 * operator's error, and the notice must not be lost meanwhile); the relay goes on with the rest and tries
 * the refused ones again after a wait. `stop` ends it: the call in flight is aborted, no timer is left.
 */
export interface Relay {
  /** Notices were released: deliver now (while waiting to retry, the retry comes first). */
  wake(): void;
  /** Stops: aborts the call in flight, clears the retry timer; resolves once the relay is idle for good. */
  stop(): Promise<void>;
}

/** What the relay did, for the process log's tests (they wait for events, never for time). */
export type RelayEvent =
  | {
      readonly kind: 'delivered';
      readonly acknowledged: readonly string[];
      readonly refused: readonly { readonly noticeId: string; readonly reason: string }[];
    }
  | { readonly kind: 'failed'; readonly reason: string; readonly retryInMs: number }
  /** Nothing left to send (refused notices aside, which wait for the next try). */
  | { readonly kind: 'idle' };

export interface RelayOptions {
  readonly alerts: Pick<OwnerAlerts, 'owner' | 'pending' | 'markRelayed'>;
  /** The hub's base URL (`ACCORD_HUB_URL`): the relay posts to `<hub>/alerts/notices`. */
  readonly hubUrl: string;
  readonly logger: Logger;
  /** Epoch ms, for `markRelayed`. */
  readonly now?: () => number;
  /** The longest one call may take before it counts as a network error (default 10 s). */
  readonly callTimeoutMs?: number;
  readonly onEvent?: (event: RelayEvent) => void;
  /** The least time between the starts of two posts (default RELAY_SPACING_MS). */
  readonly spacingMs?: number;
}

export const RELAY_BATCH = 100;
export const RELAY_SPACING_MS = 40;
export const RELAY_BACKOFF = { firstMs: 50, maxMs: 5_000 } as const;
const DEFAULT_CALL_TIMEOUT_MS = 10_000;

interface HubAnswer {
  readonly acknowledged: readonly string[];
  readonly refused: readonly { readonly noticeId: string; readonly reason: string }[];
}

/** Why a pass stopped short: the hub could not take the batch. */
class HubUnavailable extends Error {}

export function startRelay(options: RelayOptions): Relay {
  const { alerts, logger } = options;
  const now = options.now ?? Date.now;
  const target = new URL(
    'alerts/notices',
    options.hubUrl.endsWith('/') ? options.hubUrl : `${options.hubUrl}/`,
  );
  const callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const spacingMs = options.spacingMs ?? RELAY_SPACING_MS;
  let lastPostAt = -Infinity;
  const emit = (event: RelayEvent): void => options.onEvent?.(event);

  let stopped = false;
  let woken = false;
  let driving = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let delayMs = 0;
  const stopping = new AbortController();

  function wake(): void {
    if (stopped) return;
    woken = true;
    // While a retry waits, its timer wakes the relay; a new commit does not hurry a hub that is down.
    if (!driving && timer === undefined) {
      driving = true;
      running = drive();
    }
  }

  async function drive(): Promise<void> {
    let idle = false;
    try {
      while (woken && !stopped) {
        woken = false;
        let outcome: 'done' | 'retry';
        try {
          outcome = await pass();
        } catch (error) {
          if (stopped) return;
          if (!(error instanceof HubUnavailable))
            logger.error({ err: error }, 'the alert relay failed; it will try again');
          retryLater(error instanceof HubUnavailable ? error.message : 'unexpected error');
          return;
        }
        if (outcome === 'retry') return retryLater('the hub refused some notices');
        delayMs = 0;
      }
      idle = !stopped;
    } finally {
      // Cleared before anyone hears of it: a commit told of the idle relay must find it ready to wake.
      driving = false;
    }
    if (idle) emit({ kind: 'idle' });
  }

  function retryLater(reason: string): void {
    if (stopped) return;
    delayMs = delayMs === 0 ? RELAY_BACKOFF.firstMs : Math.min(delayMs * 2, RELAY_BACKOFF.maxMs);
    logger.warn({ reason, retryInMs: delayMs }, 'the alert relay will try again');
    timer = setTimeout(() => {
      timer = undefined;
      wake();
    }, delayMs);
    emit({ kind: 'failed', reason, retryInMs: delayMs });
  }

  /** Sends everything pending once, in batches; 'retry' when the hub left some of it unacknowledged. */
  async function pass(): Promise<'done' | 'retry'> {
    let after = 0;
    let leftOver = false;
    for (;;) {
      // Read after the wait: what was committed meanwhile goes in this post.
      const sinceLast = performance.now() - lastPostAt;
      if (sinceLast < spacingMs) await pause(spacingMs - sinceLast, stopping.signal);
      if (stopped) return 'done';
      const batch = alerts.pending(RELAY_BATCH, after);
      if (batch.length === 0) return leftOver ? 'retry' : 'done';
      const answer = await post(
        batch.map((entry) => ({ body: entry.body, signature: entry.signed.signature })),
      );
      const sent = new Set(batch.map((entry) => entry.signed.notice.noticeId));
      // Only what was sent and acknowledged is marked: an id the hub names and was not sent is ignored.
      const acknowledged = [...new Set(answer.acknowledged.filter((id) => sent.has(id)))];
      alerts.markRelayed(acknowledged, now());
      if (answer.refused.length > 0)
        logger.error(
          { refused: answer.refused.slice(0, 10), count: answer.refused.length },
          'the hub refused notices; they stay in the outbox',
        );
      if (acknowledged.length < sent.size) leftOver = true;
      emit({ kind: 'delivered', acknowledged, refused: answer.refused });
      after = batch[batch.length - 1]!.seq;
    }
  }

  async function post(notices: readonly { body: string; signature: string }[]): Promise<HubAnswer> {
    lastPostAt = performance.now();
    const call = new AbortController();
    const onStop = (): void => call.abort();
    stopping.signal.addEventListener('abort', onStop);
    const deadline = setTimeout(() => call.abort(), callTimeoutMs);
    try {
      let response: Response;
      try {
        response = await fetch(target, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ notices }),
          signal: call.signal,
        });
      } catch (error) {
        throw new HubUnavailable(
          `the hub could not be reached (${error instanceof Error ? error.message : 'network error'})`,
        );
      }
      const text = await response.text().catch(() => '');
      if (response.status !== 200) throw new HubUnavailable(`the hub answered HTTP ${response.status}`);
      const answer = readHubAnswer(text);
      if (answer === undefined) throw new HubUnavailable('the hub answered something that is not its answer');
      return answer;
    } finally {
      clearTimeout(deadline);
      stopping.signal.removeEventListener('abort', onStop);
    }
  }

  // What an earlier process left in the outbox goes first.
  wake();
  return {
    wake,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      stopping.abort();
      await running;
    },
  };
}

/** `{ acknowledged: [id…], refused: [{ noticeId, reason }] }`, or undefined when the text is not that. */
function readHubAnswer(text: string): HubAnswer | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const { acknowledged, refused = [] } = parsed as { acknowledged?: unknown; refused?: unknown };
  if (!Array.isArray(acknowledged) || !acknowledged.every((id) => typeof id === 'string')) return undefined;
  if (
    !Array.isArray(refused) ||
    !refused.every(
      (item: unknown) =>
        item !== null &&
        typeof item === 'object' &&
        typeof (item as { noticeId?: unknown }).noticeId === 'string',
    )
  )
    return undefined;
  return {
    acknowledged,
    refused: (refused as { noticeId: string; reason?: unknown }[]).map((item) => ({
      noticeId: item.noticeId,
      reason: typeof item.reason === 'string' ? item.reason : 'no reason given',
    })),
  };
}
