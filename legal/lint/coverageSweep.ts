/**
 * One sweep of the finite domain (legal/domain.ts) with the engine itself, shared by the three clause
 * coverage rules (clause-shadowed, clause-redundant, condition-never-met): policy.explain says which
 * clauses apply to each question, decide which one determines it.
 */
import type { Agreement, Clause, FailedCondition, Policy } from '../../policy/core';
import { CATEGORIES, META_REFERENCE, PURPOSES, type Purpose } from '../../vocabulary';
import {
  candidatesOf,
  cellsOf,
  dimensionsOf,
  edgesOf,
  inputOf,
  profilesOf,
  timePointsOf,
  type Cell,
} from '../domain';

export interface ClauseStats {
  readonly key: string;
  readonly agreement: Agreement;
  readonly clause: Clause;
  /** It determined at least one decision. */
  determines: boolean;
  /** It applied (all its conditions met) to at least one question. */
  applies: boolean;
  /** Clauses that decided where it applied too. */
  readonly shadowers: Set<string>;
  /** Flow "owner>requester" → purposes where it applied at least once. */
  readonly appliedFlows: Map<string, Set<Purpose>>;
  /** Flow|purpose → the furthest failure seen where it never applied. */
  readonly furthest: Map<string, FailedCondition>;
  /** Cells (listed categories) where it is a candidate. */
  readonly cells: Cell[];
}

/** Every clause's statistics, keyed "agreement/clause", in the set's order. */
export type CoverageSweep = ReadonlyMap<string, ClauseStats>;

export function sweepCoverage(policy: Policy): CoverageSweep {
  const set = policy.set;
  const stats = new Map<string, ClauseStats>();
  for (const agreement of set.agreements) {
    for (const clause of agreement.clauses) {
      const key = `${agreement.id}/${clause.id}`;
      stats.set(key, {
        key,
        agreement,
        clause,
        determines: false,
        applies: false,
        shadowers: new Set(),
        appliedFlows: new Map(),
        furthest: new Map(),
        cells: [],
      });
    }
  }
  const members = set.members.map((member) => member.code);
  // meta.reference is implied by every clause: a clause's own contribution is its listed categories.
  const categories = CATEGORIES.filter((category) => category !== META_REFERENCE);
  for (const cell of cellsOf(members, members, PURPOSES, categories)) {
    const candidates = candidatesOf(policy, cell);
    if (candidates.length === 0) continue;
    for (const { agreement, clause } of candidates)
      stats.get(`${agreement.id}/${clause.id}`)!.cells.push(cell);
    const dimensions = dimensionsOf(candidates);
    const candidateKeys = new Set(candidates.map(({ agreement, clause }) => `${agreement.id}/${clause.id}`));
    const flow = `${cell.owner}>${cell.requester}`;
    for (const time of timePointsOf(edgesOf(candidates))) {
      for (const profile of profilesOf(dimensions, cell.requester)) {
        const { decision, considered } = policy.explain(inputOf(cell, profile, time.at, dimensions.teams));
        const determining = decision.clauses[0];
        const determiningKey =
          determining === undefined ? undefined : `${determining.agreement}/${determining.clause}`;
        for (const evaluation of considered) {
          const key = `${evaluation.agreement}/${evaluation.clause}`;
          if (!candidateKeys.has(key)) continue;
          const stat = stats.get(key)!;
          const flowPurpose = `${flow}|${cell.purpose!}`;
          if (evaluation.applies) {
            stat.applies = true;
            let purposes = stat.appliedFlows.get(flow);
            if (purposes === undefined) stat.appliedFlows.set(flow, (purposes = new Set()));
            purposes.add(cell.purpose!);
            if (key === determiningKey) stat.determines = true;
            else if (determiningKey !== undefined) stat.shadowers.add(determiningKey);
          } else if (evaluation.failed !== undefined) {
            const known = stat.furthest.get(flowPurpose);
            if (known === undefined || failureStage(evaluation.failed) > failureStage(known))
              stat.furthest.set(flowPurpose, evaluation.failed);
          }
        }
      }
    }
  }
  return stats;
}

/** How far a clause got (policy/evaluateClause.ts order): the furthest failure says most. */
function failureStage(failure: FailedCondition): number {
  switch (failure.kind) {
    case 'direction':
    case 'category':
    case 'purpose':
      return 0;
    case 'notInForce':
      return 1;
    case 'domesticGate':
      return 3;
    case 'jointTeamScope':
    case 'sourceGrade':
      return 4;
    default:
      return 2;
  }
}
