import type { RecordFacts } from './types';

/**
 * The facts record-level conditions read, from a record as a national system holds it: its global id (the
 * subjects of a grant), the operations it is linked to (a joint team's scope) and its source grade. A
 * national system's records carry them as `id`, `operations` and `sourceGrade`. One reading for the owner
 * deciding record by record (subgraphs/kit) and the legal workbench looking a record up (`explain
 * --record-id`), so that the two cannot read a record differently.
 */
export function recordFactsOf(record: unknown): RecordFacts {
  if (record === null || typeof record !== 'object') return {};
  const { id, operations, sourceGrade } = record as {
    id?: unknown;
    operations?: unknown;
    sourceGrade?: unknown;
  };
  return {
    ...(typeof id === 'string' ? { id } : {}),
    ...(Array.isArray(operations)
      ? { operations: operations.filter((o): o is string => typeof o === 'string') }
      : {}),
    ...(typeof sourceGrade === 'string' ? { sourceGrade } : {}),
  };
}
