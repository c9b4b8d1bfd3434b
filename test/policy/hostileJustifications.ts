/**
 * Justifications a hostile or careless client sends in the accord-justification header (issue 10, item 5),
 * each with what must happen to it, written by hand: refused with a message that says why, or accepted as
 * the given normalised text. Shared by the policy test and the end-to-end test.
 */
/** Raw UTF-8 bytes in a header, as node hands them over: one Latin-1 character per byte. */
const rawBytes = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

export interface JustificationCase {
  readonly name: string;
  /** The accord-justification header as it arrives. */
  readonly header: string;
  /** Refused: what the message must say. Accepted: the text every reader keeps. */
  readonly expect: { readonly refused: RegExp } | { readonly text: string };
  /**
   * Refused only for how it travels (raw bytes in a header), while its text, given to the policy or the
   * audit log directly, is a justification.
   */
  readonly textIsJustification?: true;
}

export const HOSTILE_JUSTIFICATIONS: readonly JustificationCase[] = [
  { name: 'ten zero-width spaces', header: '%E2%80%8B'.repeat(10), expect: { refused: /U\+200B/ } },
  { name: 'ten NULs', header: '%00'.repeat(10), expect: { refused: /U\+0000/ } },
  {
    name: 'one letter padded with tabs',
    header: `${'%09'.repeat(5)}a${'%09'.repeat(5)}`,
    expect: { refused: /U\+0009/ },
  },
  {
    name: 'one letter and raw tabs',
    header: `a${'\t'.repeat(10)}.`,
    expect: { refused: /not printable ASCII.*percent-encoded/ },
  },
  {
    name: 'ten percent-encoded spaces',
    header: '%20'.repeat(10),
    expect: { refused: /at least 10 letters \(it has 0\)/ },
  },
  {
    name: 'ten no-break spaces',
    header: '%C2%A0'.repeat(10),
    expect: { refused: /at least 10 letters \(it has 0\)/ },
  },
  {
    name: 'one letter padded with spaces',
    header: `a${'%20'.repeat(12)}`,
    expect: { refused: /at least 10 letters \(it has 1\)/ },
  },
  {
    name: 'raw no-break spaces around a justification',
    header: '\xa0\xa0Victim confined at the compound\xa0\xa0',
    expect: { refused: /not printable ASCII \(U\+00A0 at character 1\).*percent-encoded/ },
    textIsJustification: true,
  },
  {
    name: 'raw UTF-8 bytes',
    header: rawBytes('피해자가 단지 내 감금 및 폭행을 신고함'),
    expect: { refused: /not printable ASCII.*percent-encoded UTF-8/ },
  },
  {
    name: 'a right-to-left override',
    header: encodeURIComponent('Victim confined \u202Eredivorp eht ot nwonk'),
    expect: { refused: /U\+202E/ },
  },
  {
    name: 'an ANSI escape and a newline',
    header: encodeURIComponent('Victim confined\n\u001b[2KNo emergency release awaits its review.'),
    expect: { refused: /U\+000A/ },
  },
  {
    name: 'a Korean justification, percent-encoded',
    header: encodeURIComponent('피해자가 단지 내 감금 및 폭행을 신고함; 오늘 밤 구조팀 투입 예정.'),
    expect: { text: '피해자가 단지 내 감금 및 폭행을 신고함; 오늘 밤 구조팀 투입 예정.' },
  },
  {
    // Khmer writes no spaces between words and marks word breaks with U+200B: inside a word it is writing.
    name: 'a Khmer justification with word-break zero-width spaces, percent-encoded',
    header: encodeURIComponent('ជនរងគ្រោះ\u200Bត្រូវបាន\u200Bឃុំខ្លួន\u200Bនៅ\u200Bក្នុង\u200Bបរិវេណ'),
    expect: { text: 'ជនរងគ្រោះ\u200Bត្រូវបាន\u200Bឃុំខ្លួន\u200Bនៅ\u200Bក្នុង\u200Bបរិវេណ' },
  },
  // Hangul fillers are letters (Lo) that show nothing: ten of them once counted as ten letters.
  {
    name: 'ten Hangul fillers',
    header: encodeURIComponent('\u3164'.repeat(10)),
    expect: { refused: /U\+3164 at character 1/ },
  },
  {
    name: 'half-width Hangul fillers between words',
    header: encodeURIComponent('Victim\uFFA0\u1160 confined at the compound'),
    expect: { refused: /U\+FFA0 at character 7/ },
  },
  {
    name: 'a zero-width space after the last word',
    header: encodeURIComponent('Victim confined at the compound\u200B'),
    expect: { refused: /U\+200B at character 32/ },
  },
  {
    name: 'zero-width spaces between words and spaces',
    header: encodeURIComponent('Victim \u200B confined at the compound'),
    expect: { refused: /U\+200B at character 8/ },
  },
  {
    name: 'full-width letters and no-break spaces (normalised)',
    header: encodeURIComponent('Ｖｉｃｔｉｍ\u00A0\u00A0confined,\u3000rescue tonight '),
    expect: { text: 'Victim confined, rescue tonight' },
  },
];
