/**
 * A watch refused: every problem found, each naming the field (`identifiers[1].number`) and what it must
 * be. Nothing was registered, renewed or stored.
 */
export class WatchError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The watch was refused:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'WatchError';
  }
}
