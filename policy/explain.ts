/**
 * Every clause a decision considered, for legal review and the explain tool: each clause of each
 * agreement both countries are party to, whether it applies, and if not the exact condition that failed.
 * Uses the same checks as decide() (policy/evaluateClause.ts), so the two cannot disagree.
 */
import { META_REFERENCE } from '../vocabulary';
import { decide } from './decide';
import { failedCondition } from './evaluateClause';
import * as failures from './failedConditions';
import { gateVerdict } from './gateVerdict';
import { unmetConditions } from './unmetConditions';
import type { PolicyIndex } from './policyIndex';
import type { ClauseEvaluation, DecisionInput, Explanation, FailedCondition } from './types';

export function explain(index: PolicyIndex, input: DecisionInput): Explanation {
  const decision = decide(index, input);
  const { requester, owner, category } = input;
  if (owner === requester.country) return { decision, considered: [] };
  const purpose = requester.purpose || undefined;
  const gate = index.gates.get(owner);

  const considered: ClauseEvaluation[] = [];
  for (const compiled of index.clauses) {
    const { agreement, clause } = compiled;
    if (!agreement.parties.includes(owner) || !agreement.parties.includes(requester.country)) continue;
    const effect = category === META_REFERENCE ? 'release' : clause.categories[category];
    let failed: FailedCondition | null;
    let unmet: readonly FailedCondition[] | undefined;
    if (!compiled.flows.has(`${owner}>${requester.country}`)) failed = failures.DIRECTION;
    else if (effect === undefined) failed = failures.CATEGORY;
    else if (purpose === undefined) failed = failures.purpose(clause.purposes, true);
    else if (!clause.purposes.includes(purpose)) failed = compiled.purposeFailure;
    else {
      const verdict = gate === undefined ? undefined : gateVerdict(gate, clause.basis, purpose);
      const gateFailure = verdict?.allowed === false ? verdict.failure : undefined;
      failed = failedCondition(
        compiled,
        gateFailure,
        requester,
        input.at,
        input.record,
        input.grants,
        category,
      );
      // Every unmet condition, not only the first: the reviewer sees all the clause still needs.
      if (failed !== null)
        unmet = unmetConditions(
          compiled,
          gateFailure,
          requester,
          input.at,
          input.record,
          input.grants,
          category,
        );
    }
    considered.push({
      ...compiled.ref,
      basis: clause.basis,
      ...(effect !== undefined && { effect }),
      applies: failed === null,
      ...(failed !== null && { failed }),
      ...(unmet !== undefined && { unmet }),
      source: clause.source,
    });
  }
  return { decision, considered };
}
