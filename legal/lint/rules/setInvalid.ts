import type { LintFinding, LoaderRule } from '../types';

/** The loader refused the set: each problem with its file, line and the nearest valid names. */
export const setInvalid: LoaderRule = {
  id: 'set-invalid',
  severity: 'error',
  description:
    'the loader refused the set (unknown categories, parties, purposes, kinds beyond their bounds, …)',
  needs: 'loader',
};

/** Problems of a set the loader refused, as findings. */
export function problemFindings(
  problems: readonly { file: string; line: number; message: string }[],
): LintFinding[] {
  return problems.map((problem) => ({
    rule: setInvalid.id,
    severity: setInvalid.severity,
    message: problem.message,
    file: problem.file,
    line: problem.line,
  }));
}
