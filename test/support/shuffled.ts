/** `items` in the order a Fisher–Yates shuffle drawing from `next` (numbers in [0, 1)) gives: seeded, the same every run. */
export function shuffled<T>(items: Iterable<T>, next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
