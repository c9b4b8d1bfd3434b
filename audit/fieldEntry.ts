/**
 * Builds a record's field entry from a policy decision, so the gateway and the subgraphs log exactly what
 * the engine decided: effect, reason, the clauses cited, the obligations and the domestic gate grounds.
 */
import type { Decision, GrantBook } from '../policy';
import type { FieldEntry, GrantCitation } from './types';

/**
 * `grants`: the grants the decision was made with (the owner's book for the request). A decision made
 * under a grant then cites it with its validity end; without the book, by its id alone.
 */
export function fieldEntryFromDecision(
  path: string,
  category: string,
  decision: Decision,
  record?: string,
  grants?: GrantBook,
): FieldEntry {
  return {
    path,
    ...(record !== undefined ? { record } : {}),
    category,
    effect: decision.effect,
    reason: decision.reason,
    clauses: decision.clauses.map((c) => ({
      agreement: c.agreement,
      clause: c.clause,
      citation: c.citation,
      title: c.title,
    })),
    ...(decision.obligations ? { obligations: decision.obligations } : {}),
    ...(decision.gate
      ? {
          gate: {
            owner: decision.gate.owner,
            title: decision.gate.title,
            citations: [...decision.gate.citations],
          },
        }
      : {}),
    ...(decision.grant !== undefined ? { grant: grantCitation(decision.grant, grants) } : {}),
  };
}

export function grantCitation(id: string, grants: GrantBook | undefined): GrantCitation {
  const grant = grants?.get(id);
  return { id, ...(grant !== undefined && { validUntil: new Date(grant.validUntil).toISOString() }) };
}
