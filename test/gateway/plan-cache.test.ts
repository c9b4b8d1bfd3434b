// The gateway's store of query plans (gateway/planCache.ts): least recently used out first, within a bound
// on the number of plans and one on their size.
import { boundedPlanCache, DEFAULT_PLAN_CACHE_BOUNDS } from '../../gateway/planCache';

type Cache = ReturnType<typeof boundedPlanCache>;
type Plan = Parameters<Cache['set']>[1];

/** A stand-in plan of about `bytes` bytes of JSON: the store only measures and keeps it. */
const planOf = (label: string, bytes = 100): Plan =>
  ({ kind: 'QueryPlan', label, padding: 'x'.repeat(bytes) }) as unknown as Plan;
const jsonBytes = (plan: Plan): number => Buffer.byteLength(JSON.stringify(plan), 'utf8');

async function held(cache: Cache, keys: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const key of keys) if ((await cache.get(key)) !== undefined) found.push(key);
  return found;
}

describe('the plan cache', () => {
  it('keeps at most maxEntries plans, the least recently used going first', async () => {
    const cache = boundedPlanCache({ maxEntries: 2, maxJsonBytes: 1e9 });
    const a = planOf('a');
    await cache.set('a', a);
    await cache.set('b', planOf('b'));
    expect(await cache.get('a')).toBe(a); // a is now more recent than b
    await cache.set('c', planOf('c'));
    expect(await held(cache, ['b'])).toEqual([]);
    expect(await held(cache, ['a', 'c'])).toEqual(['a', 'c']);
  });

  it('keeps at most maxJsonBytes of plans, measured as JSON', async () => {
    const one = jsonBytes(planOf('a', 1_000));
    const cache = boundedPlanCache({ maxEntries: 1_000, maxJsonBytes: 2 * one + 10 });
    for (const key of ['a', 'b', 'c']) await cache.set(key, planOf(key, 1_000));
    expect(await held(cache, ['a', 'b', 'c'])).toEqual(['b', 'c']);
    // Replacing a plan counts its new size once, not both.
    await cache.set('c', planOf('c', 1_000));
    expect(await held(cache, ['b', 'c'])).toEqual(['b', 'c']);
    // A plan larger than the whole bound is not kept, and pushes nothing out.
    await cache.set('big', planOf('big', 3 * one));
    expect(await held(cache, ['big', 'b', 'c'])).toEqual(['b', 'c']);
  });

  it('forgets a deleted plan and, cleared, everything (the supergraph changed)', async () => {
    const one = jsonBytes(planOf('a'));
    const cache = boundedPlanCache({ maxEntries: 10, maxJsonBytes: 2 * one });
    await cache.set('a', planOf('a'));
    await cache.set('b', planOf('b'));
    expect(await cache.delete('a')).toBe(true);
    expect(await cache.delete('a')).toBe(false);
    // The deleted plan's room is free again: c fits beside b.
    await cache.set('c', planOf('c'));
    expect(await held(cache, ['a', 'b', 'c'])).toEqual(['b', 'c']);
    cache.clear();
    expect(await held(cache, ['a', 'b', 'c'])).toEqual([]);
    await cache.set('d', planOf('d'));
    await cache.set('e', planOf('e'));
    expect(await held(cache, ['d', 'e'])).toEqual(['d', 'e']);
  });

  it('refuses bounds that would hold nothing', () => {
    expect(() => boundedPlanCache({ maxEntries: 0, maxJsonBytes: 1 })).toThrow(RangeError);
    expect(() => boundedPlanCache({ maxEntries: 1, maxJsonBytes: 0 })).toThrow(RangeError);
    expect(() => boundedPlanCache({ maxEntries: 1.5, maxJsonBytes: 1 })).toThrow(RangeError);
  });

  it("holds far less by default than @apollo/gateway's own 30 MiB of JSON", () => {
    // A plan is 10 to 20 times larger in the heap than as JSON (measured, gateway/planCache.ts): the
    // default bound in bytes keeps the worst case under 100 MB of heap.
    expect(DEFAULT_PLAN_CACHE_BOUNDS.maxJsonBytes * 20).toBeLessThanOrEqual(100 * 2 ** 20);
    expect(DEFAULT_PLAN_CACHE_BOUNDS.maxJsonBytes).toBeLessThan(30 * 2 ** 20);
  });
});
