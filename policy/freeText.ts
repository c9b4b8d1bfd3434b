/**
 * Free text an analyst declares (today: the emergency justification), read ONE way by everyone who reads
 * it: the header parser at the gateway and again at each owner's subgraph, the policy when it decides
 * whether a declaration is justified, and the audit validator before the text is logged. Before this
 * module each had its own idea of "blank" (`trim()`, `/\S/`, a length), and the disagreements were
 * exploitable: ten zero-width spaces passed the gateway and the policy, ten no-break spaces passed the
 * gateway but not the audit log.
 *
 * The reading: Unicode NFKC (so look-alike and compatibility forms, no-break and ideographic spaces
 * included, become their plain form), then refuse any character that is not visible text (controls,
 * format characters such as zero-width spaces and bidi overrides, line and paragraph separators, private
 * use, lone surrogates), collapse runs of spaces to one and trim, and count letters (any script: a
 * justification in Korean, Khmer or Thai counts its letters like one in English).
 */

/** A justification must say something: at least this many letters, in any script. */
export const JUSTIFICATION_MIN_LETTERS = 10;
/** ...and stay a justification, not a document. Counted in characters after normalisation. */
export const JUSTIFICATION_MAX_CHARACTERS = 1_000;

/**
 * Characters that are not visible text: controls (Cc), format characters (Cf: zero-width spaces and
 * joiners, bidi embeddings, overrides and isolates, the byte-order mark), lone surrogates (Cs), private
 * use (Co), the line and paragraph separators (Zl, Zp), and every default-ignorable code point: Unicode's
 * list of characters a renderer shows as nothing, among them the Hangul fillers (U+115F, U+1160, U+3164,
 * U+FFA0), which are letters (Lo) and would otherwise count towards the minimum while showing nothing.
 */
export const NOT_TEXT = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;
const NOT_TEXT_ANYWHERE = new RegExp(NOT_TEXT.source, 'gu');
/**
 * Zero-width space, non-joiner and joiner are format characters, but inside a word they are ordinary
 * writing: Khmer and Thai separate words with U+200B, Persian and the Indic scripts shape letters with
 * U+200C/U+200D. Between two letters (or marks) they stay; anywhere else they are padding and refused.
 */
const JOINER_IN_WORD = /(?<=[\p{L}\p{M}])[\u200B-\u200D](?=[\p{L}\p{M}])/uy;
const LETTER = /\p{L}/gu;
const SPACES = /\p{Zs}+/gu;

export type TextReading =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly problem: string };

/** `U+200B` for a character, as people look it up. */
export function codePointName(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Normalises free text and refuses what is not visible text. `what` names the text in the problem
 * (`accord-justification`). Idempotent: reading the text it returns gives the same text back, so the
 * gateway and an owner reading the forwarded value agree.
 */
export function readFreeText(value: string, what: string): TextReading {
  const normal = value.normalize('NFKC');
  // Named as sent where the sender's own text has it (NFKC turns U+3164 into U+1160, say); else as normalised.
  const sent = firstNotText(value);
  const bad = sent ?? firstNotText(normal);
  const within = sent ? value : normal;
  if (bad) {
    const position = [...within.slice(0, bad.index)].length + 1;
    return {
      ok: false,
      problem: `${what} holds an invisible or control character (${codePointName(bad[0])} at character ${position}): send plain text, without control, format or bidi characters.`,
    };
  }
  return { ok: true, text: normal.replace(SPACES, ' ').trim() };
}

/** The first character that is not visible text, in-word joiners excepted (see JOINER_IN_WORD). */
function firstNotText(text: string): RegExpExecArray | null {
  NOT_TEXT_ANYWHERE.lastIndex = 0;
  for (let match = NOT_TEXT_ANYWHERE.exec(text); match; match = NOT_TEXT_ANYWHERE.exec(text)) {
    JOINER_IN_WORD.lastIndex = match.index;
    if (!JOINER_IN_WORD.test(text)) return match;
  }
  return null;
}

/** Reads an emergency justification: free text with at least the minimum of letters and at most the maximum length. */
export function readJustification(value: string, what = 'the justification'): TextReading {
  const read = readFreeText(value, what);
  if (!read.ok) return read;
  const letters = read.text.match(LETTER)?.length ?? 0;
  if (letters < JUSTIFICATION_MIN_LETTERS) {
    return {
      ok: false,
      problem: `${what} must say why life or safety is at imminent risk, in at least ${JUSTIFICATION_MIN_LETTERS} letters (it has ${letters}).`,
    };
  }
  const length = [...read.text].length;
  if (length > JUSTIFICATION_MAX_CHARACTERS) {
    return {
      ok: false,
      problem: `${what} must be at most ${JUSTIFICATION_MAX_CHARACTERS} characters (it has ${length}).`,
    };
  }
  return read;
}

/** The policy's and the audit validator's question: is this a justification at all? */
export function isJustification(value: unknown): boolean {
  return typeof value === 'string' && readJustification(value).ok;
}
