import type { FieldRule } from '../types';

export const fieldCategoryMissing: FieldRule = {
  id: 'field-category-missing',
  severity: 'error',
  description: 'a field of a record type carries no @category, so no agreement can speak about it',
  needs: 'fields',
  check: ({ fields }) =>
    (fields?.uncategorized ?? []).map((entry) => ({
      rule: 'field-category-missing',
      severity: 'error',
      message: `${entry.coordinate} has no @category: no agreement can speak about it (deny by default withholds it from every foreign analyst)`,
    })),
};
