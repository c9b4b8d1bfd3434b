import { readFreeText } from '../../policy';

/**
 * Free text a desk officer writes into a request's history (a question to the requester, a refusal's
 * note), read the one way every free text in Accord is read (policy/freeText.ts): no control, format or
 * bidi characters, spaces collapsed. A question must say something the requester can answer, so it needs
 * real words; a note only adds to a refusal's ground, so it may be short, but never invisible.
 */

/** A question must have at least this many letters (any script). */
export const QUESTION_MIN_LETTERS = 10;
/** A question or a note stays a message, not a document. Counted in characters after normalisation. */
export const DESK_TEXT_MAX_CHARACTERS = 2_000;

const LETTER = /\p{L}/gu;

export type DeskTextReading =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly problem: string };

export function readDeskText(value: unknown, what: string, minLetters: number): DeskTextReading {
  if (typeof value !== 'string') return { ok: false, problem: `${what} must be text` };
  const read = readFreeText(value, what);
  if (!read.ok) return read;
  const letters = read.text.match(LETTER)?.length ?? 0;
  if (letters < minLetters)
    return {
      ok: false,
      problem: `${what} must say something in words: at least ${minLetters} letters (it has ${letters})`,
    };
  const length = [...read.text].length;
  if (length > DESK_TEXT_MAX_CHARACTERS)
    return {
      ok: false,
      problem: `${what} must be at most ${DESK_TEXT_MAX_CHARACTERS} characters (it has ${length})`,
    };
  return read;
}
