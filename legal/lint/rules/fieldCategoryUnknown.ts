import { CATEGORIES, isCategory, nearestNames } from '../../../vocabulary';
import type { FieldRule, LintFinding } from '../types';

export const fieldCategoryUnknown: FieldRule = {
  id: 'field-category-unknown',
  severity: 'error',
  description: "a field's @category is not in the vocabulary",
  needs: 'fields',
  check: ({ fields }) => {
    const findings: LintFinding[] = [];
    for (const entry of fields?.fields ?? []) {
      if (isCategory(entry.category)) continue;
      const near = nearestNames(entry.category, CATEGORIES);
      findings.push({
        rule: 'field-category-unknown',
        severity: 'error',
        message: `${entry.coordinate} has the unknown category '${entry.category}'${near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : ''}`,
      });
    }
    return findings;
  },
};
