/**
 * How search text is compared, by the owner's index and by the owner's query budget alike: Unicode-
 * compatibility folded (NFKC), lower case, and every run of characters that are not letters, marks or
 * digits turned into one space. "Do Gang-min" → "do gang min"; "+855 96 555-0142" → "855 96 555 0142";
 * Khmer and Hangul stay as they are.
 */
export function normalizeSearchText(value: string): string {
  return value
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The fewest letters or digits a search term must have (spaces and punctuation not counted). Shorter
 * terms are refused, not answered with nothing: a one-letter prefix would scan a large share of every
 * member's index, and an empty answer would tell the analyst "no such record" when nothing was searched.
 * The hub refuses them for the whole search; a member's index answers them with nothing (a backstop).
 */
export const MIN_SEARCH_TERM_LENGTH = 2;

/** The letters and digits of a search term, as the index compares them: normalized, spaces removed. */
export function searchTermLetters(term: string): string {
  return normalizeSearchText(term).replace(/ /g, '');
}
