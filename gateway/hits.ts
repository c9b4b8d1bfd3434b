import { parseGlobalId } from '../schema';

/**
 * Hit tokens on their way to the analyst (issue 9). An owner signs one for each of its records it showed
 * the analyst (subgraphs/kit/followUp), in its answer's `extensions.accord.hits`; the gateway keeps those
 * of the owner's own records only, and gives the analyst, in `extensions.accord.hits`, the tokens of the
 * records that are in the answer it finally sends (a record taken out afterwards, as absent, gets none).
 * The analyst presents them to file a follow-up request. The gateway cannot make or read them: only the
 * owner holds their key.
 */

/** Keeps the hits `owner` reported for its own records (well formed: audit/ownerReport.ts) into `hits` (record id → token). */
export function noteHits(
  hits: Map<string, string>,
  owner: string,
  reported: ReadonlyMap<string, string>,
): void {
  for (const [recordId, token] of reported) {
    // An owner speaks for its own records only.
    if (parseGlobalId(recordId)?.owner !== owner) continue;
    hits.set(recordId, token);
  }
}

/** The ids the gateway asked for under `alias` (gateway/recordIds.ts) anywhere in the answer. */
export function recordIdsIn(data: unknown, alias: string): Set<string> {
  const ids = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
    } else if (value !== null && typeof value === 'object') {
      const id = (value as Record<string, unknown>)[alias];
      if (typeof id === 'string') ids.add(id);
      for (const child of Object.values(value)) walk(child);
    }
  };
  walk(data);
  return ids;
}

/** `extensions.accord.hits` for the analyst: the tokens of the records in the answer, by id, sorted. */
export function hitsForAnswer(
  hits: ReadonlyMap<string, string>,
  inAnswer: ReadonlySet<string>,
): Record<string, string> | undefined {
  const shown = [...hits.keys()].filter((id) => inAnswer.has(id)).sort();
  if (shown.length === 0) return undefined;
  return Object.fromEntries(shown.map((id) => [id, hits.get(id)!]));
}
