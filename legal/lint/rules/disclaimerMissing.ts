import type { LintFinding, SetRule } from '../types';
import { at } from './sourceOf';

export const disclaimerMissing: SetRule = {
  id: 'disclaimer-missing',
  severity: 'info',
  description:
    'an agreement says nothing of its status (sample agreements must say ILLUSTRATIVE, docs/domain.md)',
  needs: 'set',
  check: ({ set }) => {
    const findings: LintFinding[] = [];
    for (const agreement of set.agreements) {
      if (agreement.disclaimer === undefined || agreement.disclaimer.trim() === '') {
        findings.push({
          rule: 'disclaimer-missing',
          severity: 'info',
          message: `${agreement.title} (${agreement.id}) has no disclaimer: say whether its contents are the instrument's text or a model`,
          ...at(agreement.source),
        });
      }
    }
    return findings;
  },
};
