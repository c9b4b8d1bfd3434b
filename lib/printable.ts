/**
 * Free text from a request or an audit record, made safe to print on a terminal. Whoever wrote the text
 * (an analyst's justification, a reviewer's note, a reference) must not be able to write on the
 * operator's screen: a newline would add a line of its own ("No emergency release awaits its review."),
 * an ANSI escape would move the cursor or hide the rest, a bidi override would reverse what follows.
 * Every command-line tool prints such text through `printable`; nothing is dropped, everything invisible
 * is shown as an escape, so the operator sees exactly what was written.
 */

/**
 * What is shown escaped: C0 and C1 controls and DEL (ESC starts ANSI sequences; U+009B is a one-character
 * CSI), format characters (zero-width spaces and joiners, bidi embeddings U+202A–U+202E and isolates
 * U+2066–U+2069, the byte-order mark), line and paragraph separators, lone surrogates; and the backslash
 * itself, so that a written `\n` and an escaped newline never look alike.
 */
const UNPRINTABLE = /[\\\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}]/gu;
const NAMED: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(char: string): string {
  const named = NAMED[char];
  if (named !== undefined) return named;
  const code = char.codePointAt(0)!;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  return code <= 0xffff
    ? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`
    : `\\u{${code.toString(16).toUpperCase()}}`;
}

const UNPRINTABLE_KEEPING_BACKSLASHES = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * `text` with every control, format, bidi and separator character (and `\`) shown as an escape.
 * `keepBackslashes`: for text that is already escaped (a JSON log line), where doubling them is noise.
 */
export function printable(text: string, options: { readonly keepBackslashes?: boolean } = {}): string {
  return text.replace(options.keepBackslashes ? UNPRINTABLE_KEEPING_BACKSLASHES : UNPRINTABLE, escapeOne);
}

/**
 * JSON for a terminal: the same value, still valid JSON that parses to the same strings, with the characters
 * JSON.stringify leaves raw (C1 controls, format and bidi characters, separators) written as \u escapes.
 */
export function printableJson(value: unknown, indent = 2): string {
  // C0 controls never reach here raw (JSON.stringify escapes them in strings; the newlines left are the
  // indentation's), so DEL and C1 are the controls to escape. An astral character is written as its pair.
  return JSON.stringify(value, null, indent).replace(
    /[\x7f-\x9f\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu,
    (char) =>
      [...Array(char.length).keys()]
        .map((i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`)
        .join(''),
  );
}
