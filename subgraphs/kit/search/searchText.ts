/**
 * How search text is compared, by the owner's index and by the owner's query budget alike: Unicode-
 * compatibility folded (NFKC), lower case, and every run of characters that are not letters, marks or
 * digits turned into one space. "Do Gang-min" → "do gang min"; "+855 96 555-0142" → "855 96 555 0142";
 * Khmer and Hangul stay as they are.
 */
export function normalizeSearchText(value: string): string {
  return value.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ').trim();
}
