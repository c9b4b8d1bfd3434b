import type { LintFinding, SetRule } from '../types';
import { citationsOf, dayOf, endedBefore, windowsOf } from './agreementWindows';
import { at } from './sourceOf';

export const agreementExpired: SetRule = {
  id: 'agreement-expired',
  severity: 'warning',
  description: "the agreement (or a joint team's window) ended before the date",
  needs: 'set',
  check: ({ set, at: asOf }) => {
    const findings: LintFinding[] = [];
    for (const agreement of set.agreements) {
      for (const window of windowsOf(agreement)) {
        if (!endedBefore(window, asOf)) continue;
        const message =
          window.team === undefined
            ? `${agreement.title} (${agreement.id}) expired on ${window.until}: on ${dayOf(asOf)} none of its ${agreement.clauses.length} clause(s) applies`
            : `joint team ${window.team.id} of ${agreement.title} acted until ${window.until}: on ${dayOf(asOf)} its clauses (${citationsOf(window)}) no longer apply`;
        findings.push({
          rule: 'agreement-expired',
          severity: 'warning',
          message,
          ...at(window.team === undefined ? agreement.source : window.team.clauses[0]!.source),
        });
      }
    }
    return findings;
  },
};
