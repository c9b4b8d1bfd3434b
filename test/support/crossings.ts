/**
 * Both sides of one request's crossings, read back from the audit logs of a test alliance
 * (test/support/auditBackends.ts), and a comparison of the two: what the gateway's consultation record
 * says the owner decided must be, decision for decision, what the owner's disclosure record says, and the
 * other way round (test/e2e/auditTrailSuite.ts compares one way over the whole authorization suite).
 *
 * The comparison works on what both records name alike: the record's global id, the category and the
 * decision (effect, reason, clauses, obligations, gate). Paths differ by design (the analyst's
 * `case.suspects.0.fullName` is the owner's `_entities.0.fullName`). Fields the gateway cut before
 * planning never reach the owner and are left out; so are the owner's entries for a record it answered as
 * absent, which the gateway sees as a missing record, and its entries for the `id` of a referenced record
 * (under the analyst's key or the alias the gateway asks for it under, gateway/recordIds.ts): the
 * consultation names records by that id on every entry rather than listing the id as a field; and, alike,
 * its entries for the gateway's check that a record exists (gateway/recordPresence.ts).
 */
import { openAuditReader, type CrossingBody, type FieldEntry } from '../../audit';
import { loadDefaultPolicy, type RequestContext } from '../../policy';
import type { AllianceLogs } from './auditBackends';

const policy = loadDefaultPolicy();

export interface Crossings {
  readonly consultations: readonly CrossingBody[];
  readonly disclosures: readonly CrossingBody[];
}

/** Every consultation and disclosure recorded under a request id, from every log of the alliance. */
export async function crossingsOf(logs: AllianceLogs, requestId: string): Promise<Crossings> {
  const bodies: CrossingBody[] = [];
  for (const url of logs.urls) {
    const reader = await openAuditReader(url);
    try {
      for (const found of await reader.query({ kinds: ['consultation', 'disclosure'], limit: 1_000_000 })) {
        if (!found.entry) throw new Error(`${found.ref} is broken: ${found.broken}`);
        const body = found.entry.body as CrossingBody;
        if (body.requestId === requestId) bodies.push(body);
      }
    } finally {
      await reader.close();
    }
  }
  return {
    consultations: bodies.filter((b) => b.side === 'consultation'),
    disclosures: bodies.filter((b) => b.side === 'disclosure'),
  };
}

/** One decision on one record, as both sides name it. */
function decisionKey(entry: FieldEntry): string {
  return JSON.stringify([
    entry.record ?? null,
    entry.category,
    entry.effect,
    entry.reason ?? null,
    entry.clauses,
    entry.obligations ?? null,
    entry.gate ?? null,
  ]);
}

/** The gateway cuts a field before planning when its decision does not depend on the record and withholds or gives a hit only. */
function cutByGateway(requester: RequestContext, owner: string, category: string, at: number): boolean {
  const decision = policy.decide({ requester, owner, category: category as never, at });
  if (decision.recordDependent) return false;
  return decision.effect === 'withhold' || (decision.effect === 'hit-only' && category !== 'meta.reference');
}

/**
 * Per owner: the decisions the consultation records for the owner's records (but those the gateway cut)
 * and the decisions the owner's disclosure records on fields, as sorted multisets. Both sides agree when
 * the two are equal.
 */
export function sidesOf(
  crossings: Crossings,
  requester: RequestContext,
  at: number,
): Record<string, { consultation: string[]; disclosure: string[] }> {
  const out: Record<string, { consultation: string[]; disclosure: string[] }> = {};
  const side = (owner: string) => (out[owner] ??= { consultation: [], disclosure: [] });
  for (const consultation of crossings.consultations) {
    for (const entry of consultation.fields) {
      if (entry.record === undefined || cutByGateway(requester, consultation.owner, entry.category, at))
        continue;
      side(consultation.owner).consultation.push(decisionKey(entry));
    }
  }
  for (const disclosure of crossings.disclosures) {
    // A field's entry has a path ending in a response key; a record answered as absent is on the record's own path.
    const absent = new Set(
      disclosure.fields
        .filter((f) => f.category === 'meta.reference' && f.effect === 'withhold')
        .map((f) => f.path),
    );
    for (const entry of disclosure.fields) {
      const key = entry.path.slice(entry.path.lastIndexOf('.') + 1);
      // The owner's confirmation that a record exists (the gateway's `_accordPresent` check, gateway/recordPresence.ts)
      // is the gateway's own question, which the consultation does not list, like the id it asks under an alias.
      if (
        entry.record === undefined ||
        absent.has(entry.path) ||
        (entry.category === 'meta.reference' &&
          (key === 'id' || key.startsWith('_accordRecordId') || key.startsWith('_accordPresent')))
      )
        continue;
      side(disclosure.owner).disclosure.push(decisionKey(entry));
    }
  }
  for (const sides of Object.values(out)) {
    sides.consultation.sort();
    sides.disclosure.sort();
  }
  return out;
}

/** Sorts in place by JSON text: two lists of records compared as sets, whatever order they came in. */
export function sortByJson<T>(items: T[]): T[] {
  return items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}
