/**
 * Builds a record's field entry from a policy decision, so the gateway and the subgraphs log exactly what
 * the engine decided: effect, reason, the clauses cited, the obligations and the domestic gate grounds.
 */
import type { Decision } from '../policy';
import type { FieldEntry } from './types';

export function fieldEntryFromDecision(path: string, category: string, decision: Decision, record?: string): FieldEntry {
  return {
    path,
    ...(record !== undefined ? { record } : {}),
    category,
    effect: decision.effect,
    reason: decision.reason,
    clauses: decision.clauses.map((c) => ({ agreement: c.agreement, clause: c.clause, citation: c.citation, title: c.title })),
    ...(decision.obligations ? { obligations: decision.obligations } : {}),
    ...(decision.gate ? { gate: { owner: decision.gate.owner, title: decision.gate.title, citations: [...decision.gate.citations] } } : {}),
  };
}
