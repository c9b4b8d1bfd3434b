/**
 * Proves invariants (legal/invariants.ts, agreements/invariants.yaml) by asking the engine every question
 * legal/proveQuestions.ts builds from the domain and the set's data (not from the engine's clauses), and
 * checking each answer with legal/invariants.ts (which shares no code with policy/). An invariant whose
 * rule selects no decision, or whose field rule sees no field, proves nothing: it is reported VACUOUS,
 * and fails the proof like a broken one. On failure: counterexamples, each a concrete request, the
 * decision it got, the clause that decided it (file and line) and the requirement it breaks.
 */
import type {
  AgreementSet,
  ClauseRef,
  Decision,
  DecisionInput,
  Policy,
  SourceLocation,
} from '../policy/core';
import type { FieldCatalog } from './fields';
import { broken, brokenFields, fieldsOf, matches, type Determining, type Invariant } from './invariants';
import { questionsOf } from './proveQuestions';
import { describeQuestion } from './describeQuestion';

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
  /** True when it selected no decision (or saw no field): nothing was proven. */
  readonly vacuous: boolean;
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

/** The clauses of the set by `agreement/clause`, read from its data. */
function clauseTable(set: AgreementSet): Map<string, Determining> {
  const table = new Map<string, Determining>();
  for (const agreement of set.agreements)
    for (const clause of agreement.clauses) table.set(`${agreement.id}/${clause.id}`, { agreement, clause });
  return table;
}

export function prove(policy: Policy, invariants: readonly Invariant[], options: ProveOptions = {}): Proof {
  const max = options.maxCounterexamples ?? 3;
  const set = policy.set;
  const clauses = clauseTable(set);
  const state = invariants.map((invariant) => ({
    invariant,
    matched: 0,
    violations: 0,
    counterexamples: [] as Counterexample[],
    seen: new Set<string>(),
  }));
  const withDecisions = state.filter(({ invariant }) => invariant.decisions !== undefined);
  let questions = 0;

  if (withDecisions.length > 0) {
    for (const { input, profile } of questionsOf(set)) {
      const decision = policy.decide(input);
      questions++;
      const ref = decision.clauses[0];
      const key = ref === undefined ? '' : `${ref.agreement}/${ref.clause}`;
      const determining = ref === undefined ? undefined : clauses.get(key);
      for (const entry of withDecisions) {
        const rule = entry.invariant.decisions!;
        if (!matches(rule.when, input, decision, determining)) continue;
        entry.matched++;
        const violation =
          ref !== undefined && determining === undefined
            ? `the decision cites ${key}, which is not in the set`
            : broken(rule.require, input, decision, determining, set);
        if (violation === undefined) continue;
        entry.violations++;
        const seenKey = `${key}\0${violation}`;
        if (entry.counterexamples.length >= max || entry.seen.has(seenKey)) continue;
        entry.seen.add(seenKey);
        entry.counterexamples.push({
          input,
          text: describeQuestion(input, profile),
          decision: {
            effect: decision.effect,
            reason: decision.reason,
            ...(decision.obligations !== undefined && { obligations: decision.obligations }),
          },
          ...(ref !== undefined &&
            determining !== undefined && { clause: { ...ref, source: determining.clause.source } }),
          violation,
        });
      }
    }
  }

  const results: InvariantResult[] = state.map(({ invariant, matched, violations, counterexamples }) => {
    const fieldRule = invariant.supergraph;
    const checkFields = fieldRule !== undefined && options.fields !== undefined;
    const badFields = checkFields ? brokenFields(fieldRule, options.fields) : [];
    const fields = checkFields ? fieldsOf(fieldRule, options.fields) : undefined;
    const vacuous = (invariant.decisions !== undefined && matched === 0) || fields === 0;
    return {
      invariant,
      holds: violations === 0 && badFields.length === 0 && !vacuous,
      vacuous,
      checked: invariant.decisions === undefined ? 0 : questions,
      matched,
      violations,
      counterexamples,
      brokenFields: badFields,
      ...(fields !== undefined && { fields }),
    };
  });
  return { revision: policy.revision, holds: results.every((result) => result.holds), results, questions };
}
