/**
 * Which kinds of condition a proof's questions reached with an effect on the answer: for each kind a
 * clause can name (the keys of `conditions` in the agreement schema, agreements/agreement.schema.json),
 * how many questions were decided by a clause that names it (the kind was met, and the answer rests on
 * it), and how many had it as the one thing a clause ranked before the answer lacked (the kind was missed,
 * and that changed the answer: met, that clause would have decided). Both are judged by the reference model
 * (legal/model/conditions.ts), never by the engine.
 *
 * A kind with no question of either sort was never put to the test: an engine that ignored it, or never
 * let it be met, would agree with the model on every question asked. The self-check of legal/prove.ts
 * reports such a kind as VACUOUS and fails, so a kind added to the schema without a clause of the coverage
 * set (legal/coverage-set/) to exercise it fails the proof until one is written.
 */
import { AGREEMENT_SCHEMA } from '../policy';
import {
  CONDITION_CHECKS,
  gateOpens,
  inForce,
  kindMet,
  kindsOf,
  modelCandidates,
  recordConditionsMet,
  requestConditionsMet,
  type ConditionKind,
  type ModelQuestion,
  type ModelSet,
} from './model';

export interface ConditionReach {
  /** The key of `conditions` in the agreement schema: caseReference, jointTeam, … */
  readonly kind: string;
  /** Questions decided by a clause that names the kind (met, and the answer rests on it). */
  readonly met: number;
  /** Questions where it was the only condition a clause ranked before the answer missed. */
  readonly missed: number;
  /** False when the reference model has no check for the kind (the schema names it, legal/model/ not). */
  readonly judged: boolean;
  /** Never met or never missed with an effect on an answer (or not judged): nothing shown about it. */
  readonly vacuous: boolean;
}

/** The kinds of condition the agreement schema lets a clause name, in the schema's order. */
export function conditionKinds(): string[] {
  const defs = (AGREEMENT_SCHEMA as { $defs?: { conditions?: { properties?: object } } }).$defs;
  const properties = defs?.conditions?.properties;
  if (properties === undefined)
    throw new Error('invariant: the agreement schema has no $defs.conditions.properties');
  return Object.keys(properties);
}

function isJudged(kind: string): kind is ConditionKind {
  return Object.hasOwn(CONDITION_CHECKS, kind);
}

/** Counts, question by question, what each kind of condition did to the model's answer. */
export class ConditionTally {
  /** The schema's kinds, then any the model judges that the schema lacks (type and schema out of step). */
  private readonly kinds = [...new Set([...conditionKinds(), ...Object.keys(CONDITION_CHECKS)])];
  private readonly met = new Map<string, number>();
  private readonly missed = new Map<string, number>();

  constructor(private readonly set: ModelSet) {}

  observe(question: ModelQuestion): void {
    const ranked = modelCandidates(this.set, question);
    if (ranked === undefined) return;
    const gate = this.set.gates.find((item) => item.owner === question.owner);
    const purpose = question.purpose!;
    for (const { agreement, clause } of ranked) {
      if (!inForce(agreement, question) || !gateOpens(gate, clause.basis, purpose)) continue;
      const kinds = kindsOf(clause);
      if (
        requestConditionsMet(agreement, clause, question) &&
        recordConditionsMet(agreement, clause, question)
      ) {
        // The clause decides the question: every kind it names was met, and the answer rests on each.
        for (const kind of kinds) add(this.met, kind);
        return;
      }
      let unmet: ConditionKind | undefined;
      let count = 0;
      for (const kind of kinds) {
        if (kindMet(agreement, clause, kind, question)) continue;
        unmet = kind;
        if (++count > 1) break;
      }
      if (count === 1) add(this.missed, unmet!);
    }
  }

  results(): ConditionReach[] {
    return this.kinds.map((kind) => {
      const judged = isJudged(kind);
      const met = this.met.get(kind) ?? 0;
      const missed = this.missed.get(kind) ?? 0;
      return { kind, met, missed, judged, vacuous: !judged || met === 0 || missed === 0 };
    });
  }
}

function add(counts: Map<string, number>, kind: string): void {
  counts.set(kind, (counts.get(kind) ?? 0) + 1);
}
