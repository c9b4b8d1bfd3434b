/**
 * Proves invariants (legal/invariants.ts) exhaustively over the finite domain (legal/domain.ts), with
 * every validity edge and the millisecond before it, every purpose and none, every category including
 * meta.reference. On failure: counterexamples, each a concrete request, the decision it got, the clause
 * that decided it (file and line) and the requirement it breaks.
 */
import type { ClauseRef, Decision, DecisionInput, Policy, SourceLocation } from '../policy/core';
import { CATEGORIES, PURPOSES, type Purpose } from '../vocabulary';
import { candidatesOf, cellsOf, clauseOf, describeQuestion, dimensionsOf, edgesOf, inputOf, profilesOf, timePointsOf, type CandidateClause, type Cell } from './domain';
import type { FieldCatalog } from './fields';
import { broken, brokenFields, fieldsOf, matches, type Invariant } from './invariants';

export interface Counterexample {
  readonly input: DecisionInput;
  readonly text: string;
  readonly decision: Pick<Decision, 'effect' | 'reason' | 'obligations'>;
  /** The clause that decided it (the one that breaks the invariant), when one did. */
  readonly clause?: ClauseRef & { readonly source: SourceLocation };
  readonly violation: string;
}

export interface InvariantResult {
  readonly invariant: Invariant;
  readonly holds: boolean;
  /** Decisions checked, and how many of them `when` selected. */
  readonly checked: number;
  readonly matched: number;
  /** Decisions that broke it. */
  readonly violations: number;
  /** Up to `maxCounterexamples`, each a different (clause, violation). */
  readonly counterexamples: readonly Counterexample[];
  /** Supergraph fields that break it; `fields` is how many fields it spoke about (undefined: not checked). */
  readonly brokenFields: readonly { coordinate: string; text: string }[];
  readonly fields?: number;
}

export interface Proof {
  readonly revision: string;
  readonly holds: boolean;
  readonly results: readonly InvariantResult[];
  readonly questions: number;
}

export interface ProveOptions {
  readonly fields?: FieldCatalog;
  readonly maxCounterexamples?: number;
}

export function prove(policy: Policy, invariants: readonly Invariant[], options: ProveOptions = {}): Proof {
  const max = options.maxCounterexamples ?? 3;
  const state = invariants.map((invariant) => ({ invariant, checked: 0, matched: 0, violations: 0, counterexamples: [] as Counterexample[], seen: new Set<string>() }));
  const withDecisions = state.filter(({ invariant }) => invariant.decisions !== undefined);
  const members = policy.set.members.map((member) => member.code);
  let questions = 0;

  const purposes: (Purpose | undefined)[] = [...PURPOSES, undefined];
  for (const cell of cellsOf(members, members, purposes, CATEGORIES)) {
    if (withDecisions.length === 0) break;
    const candidates = cell.purpose === undefined ? everyPurpose(policy, cell) : candidatesOf(policy, cell);
    const dimensions = dimensionsOf(candidates);
    const times = timePointsOf(edgesOf(candidates), true);
    const profiles = profilesOf(dimensions, cell.requester, true);
    for (const time of times) {
      for (const profile of profiles) {
        const input = inputOf(cell, profile, time.at, dimensions.teams);
        const decision = policy.decide(input);
        questions++;
        const ref = decision.clauses[0];
        const determining = ref === undefined ? undefined : clauseOf(policy, ref);
        for (const entry of withDecisions) {
          entry.checked++;
          const rule = entry.invariant.decisions!;
          if (!matches(rule.when, input, decision, determining)) continue;
          entry.matched++;
          const violation = broken(rule.require, input, decision, determining, policy.set);
          if (violation === undefined) continue;
          entry.violations++;
          const key = `${ref === undefined ? '' : `${ref.agreement}/${ref.clause}`}\0${violation}`;
          if (entry.counterexamples.length >= max || entry.seen.has(key)) continue;
          entry.seen.add(key);
          entry.counterexamples.push({
            input,
            text: describeQuestion(cell, profile, time.at),
            decision: { effect: decision.effect, reason: decision.reason, ...(decision.obligations !== undefined && { obligations: decision.obligations }) },
            ...(ref !== undefined && determining !== undefined && { clause: { ...ref, source: determining.clause.source } }),
            violation,
          });
        }
      }
    }
  }

  const results: InvariantResult[] = state.map(({ invariant, checked, matched, violations, counterexamples }) => {
    const fieldRule = invariant.supergraph;
    const badFields = fieldRule !== undefined && options.fields !== undefined ? brokenFields(fieldRule, options.fields) : [];
    return {
      invariant,
      holds: violations === 0 && badFields.length === 0,
      checked,
      matched,
      violations,
      counterexamples,
      brokenFields: badFields,
      ...(fieldRule !== undefined && options.fields !== undefined && { fields: fieldsOf(fieldRule, options.fields) }),
    };
  });
  return { revision: policy.revision, holds: results.every((result) => result.holds), results, questions };
}

/** With no purpose declared, the request could have meant any: sweep the conditions of every purpose's candidates. */
function everyPurpose(policy: Policy, cell: Cell): CandidateClause[] {
  const found = new Map<string, CandidateClause>();
  for (const purpose of PURPOSES) {
    for (const candidate of candidatesOf(policy, { ...cell, purpose })) {
      found.set(`${candidate.agreement.id}/${candidate.clause.id}`, candidate);
    }
  }
  return [...found.values()];
}
