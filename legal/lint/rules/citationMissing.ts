import type { LintFinding, SetRule } from '../types';
import { at, describeClause, refOf } from './sourceOf';

const PLACEHOLDER = /^(?:tbd|tba|todo|fixme|xxx|n\/?a|none|unknown|\?+|-+|\.+)$/i;

/** Blank, or a placeholder that stands for nothing ("TBD", "n/a", "?"). */
export const citesNothing = (text: string | undefined): boolean =>
  text === undefined || text.trim() === '' || PLACEHOLDER.test(text.trim());

export const citationMissing: SetRule = {
  id: 'citation-missing',
  severity: 'error',
  description: 'a clause, instrument or gate ground cites nothing (blank or a placeholder)',
  needs: 'set',
  check: ({ set }) => {
    const findings: LintFinding[] = [];
    for (const agreement of set.agreements) {
      if (citesNothing(agreement.instrument.citation)) {
        findings.push({
          rule: 'citation-missing',
          severity: 'error',
          message: `${agreement.title} (${agreement.id}) does not cite its instrument ('${agreement.instrument.citation}')`,
          ...at(agreement.source),
        });
      }
      for (const clause of agreement.clauses) {
        const ref = refOf(agreement, clause);
        if (citesNothing(clause.citation)) {
          findings.push({
            rule: 'citation-missing',
            severity: 'error',
            message: `${describeClause(ref)} cites no article ('${clause.citation}'): every rule must say where it comes from`,
            ...at(clause.source),
            clause: ref,
          });
        }
      }
    }
    for (const gate of set.gates) {
      for (const ground of [...gate.grounds, ...gate.requirements]) {
        if (citesNothing(ground.citation))
          findings.push({
            rule: 'citation-missing',
            severity: 'error',
            message: `${gate.title}: ground '${ground.id}' cites no provision`,
            ...at(ground.source),
          });
      }
    }
    return findings;
  },
};
