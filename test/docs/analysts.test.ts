import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REQUEST_HEADERS } from '../../policy/requestHeaders';
import { REASON_CODE_LIST } from '../../policy';
import { ERROR_CODES } from '../../schema/errors';
import { PURPOSES } from '../../vocabulary';
import { DECLARATION_FLAGS } from '../../cli/declaration';
import { EXIT } from '../../cli/exitCodes';

// docs/analysts.md is the analysts' reference: every header the code parses, every purpose, every error
// code a client can see, every reason a refusal gives and every exit code of accord has its entry, so
// one added to the code without a word for the analyst fails here.

const GUIDE = readFileSync(join(__dirname, '..', '..', 'docs', 'analysts.md'), 'utf8');
/** The text under the heading `title`, up to the next heading. */
function section(title: string): string {
  const start = GUIDE.indexOf(`\n${title}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const body = GUIDE.slice(start + title.length + 2);
  const next = body.search(/^#/m);
  return next === -1 ? body : body.slice(0, next);
}

/** The first column of the table in that section, backticks removed (its header row left out). */
function firstColumn(title: string): string[] {
  const rows = section(title)
    .split('\n')
    .filter((line) => line.startsWith('|') && !line.startsWith('|---'));
  return rows.slice(1).map((line) => line.split('|')[1]!.trim().replace(/`/g, ''));
}

describe('docs/analysts.md', () => {
  it('names every Accord-* header the gateway and the owners read', () => {
    for (const header of Object.values(REQUEST_HEADERS))
      expect(GUIDE.toLowerCase()).toContain(`\`${header}\``);
  });

  it("lists every declaration header in the headers table, with accord's flag for it", () => {
    const rows = GUIDE.split('\n').filter((line) => /^\| `Accord-/.test(line));
    for (const [flag, { header }] of Object.entries(DECLARATION_FLAGS)) {
      expect(rows.some((row) => row.toLowerCase().startsWith(`| \`${header}\` | \`--${flag}\` |`))).toBe(
        true,
      );
    }
  });

  it('says what every purpose is for', () => {
    expect(firstColumn('## Purposes').sort()).toEqual([...PURPOSES].sort());
  });

  it('says what every error code means and what to do next', () => {
    expect(firstColumn('### Error codes (`extensions.code`)').sort()).toEqual(
      Object.keys(ERROR_CODES).sort(),
    );
  });

  it('says what every refusal reason means', () => {
    const title = '### Reasons (`extensions.reason` of a `WITHHELD` or `FOLLOW_UP_REQUIRED`)';
    const documented = firstColumn(title);
    // The reasons of released fields are named in the text below the table, the others each have a row.
    for (const reason of REASON_CODE_LIST)
      expect(documented.includes(reason) || section(title).includes(`\`${reason}\``)).toBe(true);
    for (const reason of documented) expect(REASON_CODE_LIST).toContain(reason);
  });

  it('lists every exit code of accord', () => {
    expect(firstColumn('### Exit codes').map(Number).sort()).toEqual(Object.values(EXIT).sort());
  });
});
