/**
 * The reference model's table of INTERPOL notice colours and the purposes each serves
 * (legal/model/notices.ts) is its own copy, written from docs/domain.md#interpol-notices, apart from the
 * engine's (vocabulary/interpolNotices.ts NOTICE_PURPOSES). Here the two copies and the table of the doc
 * must say the same, entry by entry: a purpose moved, dropped or added in any one of them fails, naming the
 * colour. And the model reads the colour of a notice by itself, in any case, as the doc says.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_NOTICE_PURPOSES, colourOfNotice } from '../../legal/model';
import { NOTICE_COLOURS, NOTICE_PURPOSES, PURPOSES, noticeColourOf } from '../../vocabulary';

const sorted = (purposes: readonly string[]): string[] => [...purposes].sort();

/** The table of docs/domain.md's "INTERPOL notices" section: colour → the purposes in its last column. */
function docTable(): Map<string, string[]> {
  const text = readFileSync(join(__dirname, '..', '..', 'docs', 'domain.md'), 'utf8');
  const section = text.split(/^### INTERPOL notices$/m)[1]?.split(/^#/m)[0] ?? '';
  const table = new Map<string, string[]>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    // | colour | what the notice asks | purposes it serves |: rows only, not the header or the rule.
    if (cells.length !== 5 || cells[1] === 'colour' || /^-+$/.test(cells[1]!)) continue;
    table.set(
      cells[1]!,
      [...cells[3]!.matchAll(/`([a-z_]+)`/g)].map((match) => match[1]!),
    );
  }
  return table;
}

describe("the model's table of notice colours and purposes", () => {
  test('has an entry for every colour of the vocabulary, and no other', () => {
    expect(sorted(Object.keys(MODEL_NOTICE_PURPOSES))).toEqual(sorted(NOTICE_COLOURS));
  });

  test.each(NOTICE_COLOURS.map((colour) => [colour]))(
    "%s: the model's purposes are the vocabulary's (the engine's)",
    (colour) => {
      expect({ colour, purposes: sorted(MODEL_NOTICE_PURPOSES[colour]) }).toEqual({
        colour,
        purposes: sorted(NOTICE_PURPOSES[colour]),
      });
    },
  );

  test("docs/domain.md's table names every colour once, each with the model's purposes", () => {
    const doc = docTable();
    expect(sorted([...doc.keys()])).toEqual(sorted(NOTICE_COLOURS));
    for (const colour of NOTICE_COLOURS)
      expect({ colour, purposes: sorted(doc.get(colour)!) }).toEqual({
        colour,
        purposes: sorted(MODEL_NOTICE_PURPOSES[colour]),
      });
  });

  test('every purpose in it is a purpose of the vocabulary, and no colour lists one twice', () => {
    for (const purposes of Object.values(MODEL_NOTICE_PURPOSES)) {
      for (const purpose of purposes) expect(PURPOSES).toContain(purpose);
      expect(new Set(purposes).size).toBe(purposes.length);
    }
  });
});

describe('the colour a notice names, as the model reads it', () => {
  test.each(NOTICE_COLOURS.map((colour) => [colour]))(
    '%s in lower, upper and mixed case, as the engine reads it',
    (colour) => {
      const mixed = colour.charAt(0).toUpperCase() + colour.slice(1);
      for (const spelling of [colour, colour.toUpperCase(), mixed]) {
        expect(colourOfNotice(`${spelling}:A-1/2026`)).toBe(colour);
        expect(noticeColourOf(`${spelling}:A-1/2026`)).toBe(colour);
      }
    },
  );

  test('no colon, an unknown word, a colour after the first colon, or nothing: no colour', () => {
    for (const notice of ['A-1/2026', 'red', 'scarlet:A-1/2026', 'A-1:red:2026', ':A-1', '', ' red:A-1']) {
      expect({ notice, colour: colourOfNotice(notice) }).toEqual({ notice, colour: undefined });
      expect({ notice, colour: noticeColourOf(notice) }).toEqual({ notice, colour: undefined });
    }
  });
});
