import { compilePolicy, type Policy } from '../../../policy/core';
import { candidatesOf, dimensionsOf, edgesOf, inputOf, profilesOf, timePointsOf } from '../../domain';
import { EFFECT_RANK } from '../../standing';
import type { ClauseStats } from '../coverageSweep';
import type { LintFinding, SetRule } from '../types';
import { at, describeClause, refOf } from './sourceOf';

export const clauseRedundant: SetRule = {
  id: 'clause-redundant',
  severity: 'info',
  description:
    'removing the clause changes no effect anywhere; only which clause is cited (and its obligations) would change',
  needs: 'set',
  check: ({ policy, coverage }) => {
    const findings: LintFinding[] = [];
    for (const stat of coverage().values()) {
      if (!stat.determines) continue;
      const takers = takersWithout(policy, stat);
      if (takers === undefined) continue;
      const ref = refOf(stat.agreement, stat.clause);
      findings.push({
        rule: 'clause-redundant',
        severity: 'info',
        message: `${describeClause(ref)} is redundant: without it every question gets the same effect (from ${takers.join(', ')}); only the clause cited and its obligations would change`,
        ...at(stat.clause.source),
        clause: ref,
      });
    }
    return findings;
  },
};

/**
 * The clauses that take over when this one is removed, if removing it changes no effect on any question
 * of the cells where it is a candidate; undefined when some effect changes.
 */
function takersWithout(policy: Policy, stat: ClauseStats): string[] | undefined {
  const set = policy.set;
  const without = compilePolicy({
    ...set,
    revision: `${set.revision} without ${stat.key}`,
    agreements: set.agreements.map((agreement) =>
      agreement === stat.agreement
        ? { ...agreement, clauses: agreement.clauses.filter((clause) => clause !== stat.clause) }
        : agreement,
    ),
  });
  const takers = new Set<string>();
  for (const cell of stat.cells) {
    const candidates = candidatesOf(policy, cell);
    const dimensions = dimensionsOf(candidates);
    for (const time of timePointsOf(edgesOf(candidates))) {
      for (const profile of profilesOf(dimensions, cell.requester)) {
        const input = inputOf(cell, profile, time.at, dimensions.teams);
        const withIt = policy.decide(input);
        const clause = withIt.clauses[0];
        if (clause === undefined || `${clause.agreement}/${clause.clause}` !== stat.key) continue;
        const other = without.decide(input);
        if (EFFECT_RANK[other.effect] !== EFFECT_RANK[withIt.effect]) return undefined;
        const taker = other.clauses[0];
        if (taker !== undefined) takers.add(describeClause(taker));
      }
    }
  }
  return [...takers].sort();
}
