/**
 * The one reading of free text (policy/freeText.ts), pinned exactly: the problem sentences, the position
 * of a bad character counted in characters (not UTF-16 units), which form of a character is named, and
 * the edges of the letter minimum and the length maximum. Expected values are written by hand.
 */
import { codePointName, isJustification, readFreeText, readJustification } from '../../policy/freeText';

describe('codePointName', () => {
  test.each([
    ['\u0000', 'U+0000'],
    ['\u00a0', 'U+00A0'],
    ['\u200b', 'U+200B'],
    ['\u{1f600}', 'U+1F600'],
  ])('%j is %s', (char, name) => {
    expect(codePointName(char)).toBe(name);
  });
});

describe('readFreeText', () => {
  test('normalises, collapses runs of spaces and trims', () => {
    expect(readFreeText('  Victim\u00a0\u00a0 held\u3000in  ｃｏｍｐｏｕｎｄ  ', 'the text')).toEqual({
      ok: true,
      text: 'Victim held in compound',
    });
  });

  test('names the character and its place, counted in characters', () => {
    expect(readFreeText('\u{1f600}\u{1f600} help\u0007 now', 'accord-justification')).toEqual({
      ok: false,
      problem:
        'accord-justification holds an invisible or control character (U+0007 at character 8): send plain text, without control, format or bidi characters.',
    });
  });

  test('a character is named as sent, where the sent text has it', () => {
    // U+3164 (Hangul filler) normalises to U+1160; the analyst sent U+3164, at character 3.
    expect(readFreeText('ab\u3164cd', 'x')).toEqual({
      ok: false,
      problem:
        'x holds an invisible or control character (U+3164 at character 3): send plain text, without control, format or bidi characters.',
    });
  });

  test('a joiner inside a word is writing; at a word edge it is padding', () => {
    expect(readFreeText('ab\u200bcd', 'x')).toEqual({ ok: true, text: 'ab\u200bcd' });
    expect(readFreeText('ab\u200b cd', 'x')).toMatchObject({ ok: false });
    expect(readFreeText('\u200babcd', 'x')).toMatchObject({ ok: false });
    // The second joiner is checked too, not only the first.
    expect(readFreeText('ab\u200bcd\u200b', 'x')).toEqual({
      ok: false,
      problem:
        'x holds an invisible or control character (U+200B at character 6): send plain text, without control, format or bidi characters.',
    });
  });
});

describe('readJustification', () => {
  test('at least ten letters, in any script; digits and signs do not count', () => {
    expect(readJustification('abcdefghij')).toEqual({ ok: true, text: 'abcdefghij' });
    expect(readJustification('피해자가감금폭행신고')).toEqual({ ok: true, text: '피해자가감금폭행신고' });
    expect(readJustification('abc 123 def 456 ghi!')).toEqual({
      ok: false,
      problem:
        'the justification must say why life or safety is at imminent risk, in at least 10 letters (it has 9).',
    });
    expect(readJustification('12345678901', 'accord-justification')).toEqual({
      ok: false,
      problem:
        'accord-justification must say why life or safety is at imminent risk, in at least 10 letters (it has 0).',
    });
  });

  test('at most 1000 characters after normalisation, counted in characters', () => {
    const at = (length: number) => 'a'.repeat(length);
    expect(readJustification(at(1000))).toEqual({ ok: true, text: at(1000) });
    expect(readJustification(`${'\u{1f600}'.repeat(990)}abcdefghij`).ok).toBe(true);
    expect(readJustification(at(1001))).toEqual({
      ok: false,
      problem: 'the justification must be at most 1000 characters (it has 1001).',
    });
  });

  test('a refused reading is passed on as it is', () => {
    expect(readJustification('abcdefghij\u0000', 'y')).toEqual({
      ok: false,
      problem:
        'y holds an invisible or control character (U+0000 at character 11): send plain text, without control, format or bidi characters.',
    });
  });
});

describe('isJustification', () => {
  test.each<[unknown, boolean]>([
    ['Victim confined in a compound.', true],
    ['too short', false],
    [42, false],
    [undefined, false],
    [null, false],
    [['Victim confined in a compound.'], false],
  ])('%j → %s', (value, expected) => {
    expect(isJustification(value)).toBe(expected);
  });
});
