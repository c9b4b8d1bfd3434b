import type { GatewayConfig } from '@apollo/gateway';

/** @apollo/gateway's store of query plans (its `queryPlannerConfig.cache`). */
type QueryPlanCache = NonNullable<NonNullable<GatewayConfig['queryPlannerConfig']>['cache']>;
type QueryPlan = NonNullable<Awaited<ReturnType<QueryPlanCache['get']>>>;

/** How much the gateway's plan cache may hold: both bounds hold, the least recently used plan goes first. */
export interface PlanCacheBounds {
  /** Plans held at most. */
  readonly maxEntries: number;
  /** Their JSON size at most, in bytes (a plan's size in the heap is about 10 to 20 times that). */
  readonly maxJsonBytes: number;
}

/**
 * The gateway's default bounds. @apollo/gateway's own store holds 30 MiB of plans measured as JSON, but a
 * plan takes far more room in the heap than its JSON: measured here, the README's search planned over 30
 * members is 17 KB of JSON and 165 KB of heap, over the five reference members 3 KB and 58 KB. And
 * Accord keeps one plan per operation *and redaction* (gateway/executor.ts: a plan made for one redaction
 * must never serve another), so the same few operations asked from many member countries fill it: 30 MiB
 * of JSON would grow towards 300 to 600 MB of heap, more than the whole gateway holds otherwise. These
 * bounds hold about 40 to 80 MB at most; a plan pushed out is planned again when next asked (milliseconds).
 */
export const DEFAULT_PLAN_CACHE_BOUNDS: PlanCacheBounds = { maxEntries: 500, maxJsonBytes: 4 * 2 ** 20 };

/**
 * A least-recently-used store of query plans within `bounds`. A plan larger than `maxJsonBytes` alone is
 * not kept (it is planned for each request that asks it). Time-to-live options are ignored: a plan is
 * valid as long as the supergraph, and @apollo/gateway clears the store when the supergraph changes.
 */
export function boundedPlanCache(bounds: PlanCacheBounds = DEFAULT_PLAN_CACHE_BOUNDS): QueryPlanCache {
  if (!(Number.isInteger(bounds.maxEntries) && bounds.maxEntries > 0 && bounds.maxJsonBytes > 0))
    throw new RangeError(`Plan cache bounds must be positive: ${JSON.stringify(bounds)}.`);
  // A Map iterates in insertion order: re-inserting on each hit keeps the least recently used first.
  const plans = new Map<string, { readonly plan: QueryPlan; readonly bytes: number }>();
  let bytes = 0;

  function remove(key: string): boolean {
    const held = plans.get(key);
    if (!held) return false;
    plans.delete(key);
    bytes -= held.bytes;
    return true;
  }

  return {
    get(key) {
      const held = plans.get(key);
      if (held) {
        plans.delete(key);
        plans.set(key, held);
      }
      return Promise.resolve(held?.plan);
    },
    set(key, plan) {
      remove(key);
      // The same measure @apollo/gateway uses for its own store; only computed for a plan just made.
      const size = Buffer.byteLength(JSON.stringify(plan), 'utf8');
      if (size > bounds.maxJsonBytes) return Promise.resolve();
      plans.set(key, { plan, bytes: size });
      bytes += size;
      for (const oldest of plans.keys()) {
        if (plans.size <= bounds.maxEntries && bytes <= bounds.maxJsonBytes) break;
        remove(oldest);
      }
      return Promise.resolve();
    },
    delete(key) {
      return Promise.resolve(remove(key));
    },
    clear() {
      plans.clear();
      bytes = 0;
    },
  };
}
