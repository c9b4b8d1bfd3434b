/**
 * The one error the loader throws: the agreement set is refused, with every problem found (not just the
 * first), each naming the file, the line and what is wrong. The gateway and the subgraphs refuse to start
 * on it.
 */
export interface Problem {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly message: string;
}

export class AgreementSetError extends Error {
  override readonly name = 'AgreementSetError';
  readonly problems: readonly Problem[];

  constructor(dir: string, problems: readonly Problem[]) {
    const lines = problems.map((problem) => `  ${problem.file}:${problem.line}: ${problem.message}`);
    super(
      `Agreement set ${dir} refused: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${lines.join('\n')}`,
    );
    this.problems = problems;
  }
}
