import type { LintFinding, SetRule } from '../types';
import { citesNothing } from './citationMissing';
import { at, describeClause, refOf } from './sourceOf';

/** A citation names an article or paragraph when it holds a number, arabic or roman. */
const namesAnArticle = (citation: string): boolean => /\d/.test(citation) || /\b[ivxlcdm]+\b/i.test(citation);

export const citationVague: SetRule = {
  id: 'citation-vague',
  severity: 'warning',
  description: 'a clause citation names no article or paragraph',
  needs: 'set',
  check: ({ set }) => {
    const findings: LintFinding[] = [];
    for (const agreement of set.agreements) {
      for (const clause of agreement.clauses) {
        // A clause that cites nothing at all is citation-missing's, not this rule's.
        if (citesNothing(clause.citation) || namesAnArticle(clause.citation)) continue;
        const ref = refOf(agreement, clause);
        findings.push({
          rule: 'citation-vague',
          severity: 'warning',
          message: `${describeClause(ref)} cites '${clause.citation}', which names no article or paragraph`,
          ...at(clause.source),
          clause: ref,
        });
      }
    }
    return findings;
  },
};
