import type { Purpose } from '../../../vocabulary';
import type { LintFinding, SetRule } from '../types';
import { at, describeClause, refOf } from './sourceOf';

export const conditionNeverMet: SetRule = {
  id: 'condition-never-met',
  severity: 'warning',
  description:
    "for some flows and purposes the clause never applies, at any time, whatever the request carries (e.g. the owner's domestic gate has no ground for it)",
  needs: 'set',
  check: ({ coverage }) => {
    const findings: LintFinding[] = [];
    for (const stat of coverage().values()) {
      const ref = refOf(stat.agreement, stat.clause);
      // Flows and purposes where it never applied, grouped by why.
      const byReason = new Map<string, { flows: Set<string>; purposes: Set<string> }>();
      for (const [flowPurpose, failure] of stat.furthest) {
        const [flow = '', purpose = ''] = flowPurpose.split('|');
        if (stat.appliedFlows.get(flow)?.has(purpose as Purpose) === true) continue;
        let entry = byReason.get(failure.text);
        if (entry === undefined)
          byReason.set(failure.text, (entry = { flows: new Set(), purposes: new Set() }));
        entry.flows.add(flow);
        entry.purposes.add(purpose);
      }
      for (const [text, { flows, purposes }] of byReason) {
        const owners = [...new Set([...flows].map((flow) => flow.split('>')[0]!))].sort();
        const flowText = owners
          .map(
            (owner) =>
              `${owner} data to ${[...flows]
                .filter((flow) => flow.startsWith(`${owner}>`))
                .map((flow) => flow.split('>')[1]!)
                .sort()
                .join(', ')}`,
          )
          .join('; ');
        findings.push({
          rule: 'condition-never-met',
          severity: 'warning',
          message: `${describeClause(ref)} never applies${stat.applies ? '' : ' at all'} for ${flowText}, for ${[...purposes].join(', ')}, whatever the request carries and at any time: ${text}`,
          ...at(stat.clause.source),
          clause: ref,
        });
      }
    }
    return findings;
  },
};
