import type { Agreement, Clause, ClauseRef } from '../../../policy/core';

/** Where a finding points: the file and line of what it is about (never the object's other keys). */
export function at(source: { file: string; line: number }): { file: string; line: number } {
  return { file: source.file, line: source.line };
}

export function refOf(agreement: Agreement, clause: Clause): ClauseRef {
  return { agreement: agreement.id, clause: clause.id, title: agreement.title, citation: clause.citation };
}

/** "KR–KH MLAT Art. 5 (kr-kh-mlat-2021/persons)": how every message names a clause. */
export function describeClause(ref: ClauseRef): string {
  return `${ref.title} ${ref.citation} (${ref.agreement}/${ref.clause})`;
}
