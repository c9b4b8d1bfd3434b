import type { LintFinding, SetRule } from '../types';
import { at, describeClause, refOf } from './sourceOf';

export const clauseShadowed: SetRule = {
  id: 'clause-shadowed',
  severity: 'warning',
  description:
    'whenever the clause applies, a clause ranked before it applies too and decides: it never determines a decision, its obligations never travel',
  needs: 'set',
  check: ({ coverage }) => {
    const sweep = coverage();
    const findings: LintFinding[] = [];
    for (const stat of sweep.values()) {
      if (!stat.applies || stat.determines) continue;
      const ref = refOf(stat.agreement, stat.clause);
      const by = [...stat.shadowers]
        .sort()
        .map((shadower) =>
          describeClause(refOf(sweep.get(shadower)!.agreement, sweep.get(shadower)!.clause)),
        );
      findings.push({
        rule: 'clause-shadowed',
        severity: 'warning',
        message: `${describeClause(ref)} is shadowed: whenever it applies, ${by.join(' or ')} applies too and decides first, so it never determines a decision and its obligations never travel`,
        ...at(stat.clause.source),
        clause: ref,
      });
    }
    return findings;
  },
};
