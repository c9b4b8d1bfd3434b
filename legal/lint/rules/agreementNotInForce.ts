import { dayStart } from '../../domain';
import type { LintFinding, SetRule } from '../types';
import { citationsOf, dayOf, endedBefore, windowsOf } from './agreementWindows';
import { at } from './sourceOf';

export const agreementNotInForce: SetRule = {
  id: 'agreement-not-in-force',
  severity: 'info',
  description: "the agreement (or a joint team's window) starts after the date",
  needs: 'set',
  check: ({ set, at: asOf }) => {
    const findings: LintFinding[] = [];
    for (const agreement of set.agreements) {
      for (const window of windowsOf(agreement)) {
        // A window that also ended before the date is agreement-expired's.
        if (endedBefore(window, asOf) || dayStart(window.from) <= asOf) continue;
        const message =
          window.team === undefined
            ? `${agreement.title} (${agreement.id}) is not yet in force on ${dayOf(asOf)}: it applies from ${window.from}`
            : `joint team ${window.team.id} of ${agreement.title} acts only from ${window.from}: on ${dayOf(asOf)} its clauses (${citationsOf(window)}) do not apply yet`;
        findings.push({
          rule: 'agreement-not-in-force',
          severity: 'info',
          message,
          ...at(window.team === undefined ? agreement.source : window.team.clauses[0]!.source),
        });
      }
    }
    return findings;
  },
};
