// The words the explorer shows beside the headers and the purposes (policy/analystHeaders.ts,
// vocabulary/purposeMeanings.ts) are the analysts' guide's (docs/analysts.md), and the headers are the
// ones accord sends: one wording, one list, wherever an analyst reads them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANALYST_HEADERS } from '../../policy';
import { PURPOSES, PURPOSE_MEANINGS } from '../../vocabulary';
import { DECLARATION_FLAGS } from '../../cli/declaration';

const GUIDE = readFileSync(join(__dirname, '..', '..', 'docs', 'analysts.md'), 'utf8');

/** The rows of the table under `title`: cells, backticks removed (header row left out). */
function table(title: string): string[][] {
  const body = GUIDE.slice(GUIDE.indexOf(`\n${title}\n`) + title.length + 2);
  const end = body.search(/^#/m);
  return (end === -1 ? body : body.slice(0, end))
    .split('\n')
    .filter((line) => line.startsWith('|') && !line.startsWith('|---'))
    .slice(1)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/`/g, '')),
    );
}

it("gives every purpose the guide's meaning", () => {
  const guide = new Map(table('## Purposes').map(([purpose, meaning]) => [purpose!, meaning!]));
  for (const purpose of PURPOSES) expect(PURPOSE_MEANINGS[purpose]).toBe(guide.get(purpose));
});

it("lists the headers of the guide's table and of accord's flags, no more, no fewer", () => {
  const names = ANALYST_HEADERS.map((header) => header.name).sort();
  expect(names).toEqual(
    table('## The headers')
      .map(([header]) => header!)
      .sort(),
  );
  expect(names.map((name) => name.toLowerCase())).toEqual(
    Object.values(DECLARATION_FLAGS)
      .map((flag) => flag.header)
      .sort(),
  );
});
