/**
 * Source grades for the `minimumSourceGrade` condition: the source-reliability letter of the 4x4 / 6x6
 * evaluation systems used by police intelligence (Europol 4x4: A completely reliable, B mostly reliable,
 * C not reliable, X cannot be judged). Records may carry the full code ("B2"); only the letter counts.
 */
export const SOURCE_GRADES = ['A', 'B', 'C', 'X'] as const;
export type SourceGrade = (typeof SOURCE_GRADES)[number];

/** Rank of a record's grade (0 = best), or undefined when the grade is missing or unknown. */
export function sourceGradeRank(grade: string | undefined): number | undefined {
  if (grade === undefined || grade.length === 0) return undefined;
  switch (grade.charCodeAt(0)) {
    case 65: // A
      return 0;
    case 66: // B
      return 1;
    case 67: // C
      return 2;
    case 88: // X: reliability cannot be judged; ranks below every graded source.
      return 3;
    default:
      return undefined;
  }
}
