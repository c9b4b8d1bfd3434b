// The explorer's reading of an answer (gateway/explorer/client/answer.ts): which line of the formatted
// answer holds a field, and what of a withheld field is told. The expected line is found by a marker
// placed at the field, in the text as GraphiQL formats it (JSON.stringify, two spaces).
import { lineOf, pathText, readAnswer, withheldSummary } from '../../gateway/explorer/client/answer';

const MARK = '__the field__';

/** The answer with MARK at `path` under `data`, formatted as GraphiQL shows it, and the marker's line. */
function placed(
  answer: Record<string, unknown>,
  path: readonly (string | number)[],
): { text: string; line: number } {
  const copy = JSON.parse(JSON.stringify(answer)) as Record<string, unknown>;
  let node = copy['data'] as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = MARK;
  const marked = JSON.stringify(copy, null, 2);
  return {
    text: JSON.stringify(answer, null, 2),
    line: marked.split('\n').findIndex((l) => l.includes(MARK)) + 1,
  };
}

const ANSWER = {
  errors: [
    {
      message: 'x',
      path: ['search', 1, 'suspects', 0, 'fullName'],
      extensions: { code: 'FOLLOW_UP_REQUIRED', reason: 'HIT_ONLY', routes: [] },
    },
  ],
  data: {
    search: [
      { country: 'KR', suspects: [{ id: 'KR-1', fullName: 'A', aliases: [] }], compounds: [] },
      {
        country: 'KH',
        suspects: [
          { id: 'KH-1', fullName: null, aliases: ['b', 'c'] },
          { id: 'KH-2', fullName: null, aliases: [] },
        ],
        compounds: [{ id: 'C', name: null }],
      },
    ],
    suspect: { id: 'X', associates: [{ id: 'Y', nationality: null }] },
  },
  extensions: {
    obligations: {
      KH: {
        revision: 'r',
        releases: [
          {
            title: 'T',
            citation: 'art. 1',
            categories: ['meta.reference'],
            obligations: { retentionDays: 180 },
          },
        ],
      },
    },
  },
};

it.each([
  [['search', 1, 'suspects', 0, 'fullName']],
  [['search', 1, 'suspects', 1, 'fullName']],
  [['search', 1, 'compounds', 0, 'name']],
  [['search', 0, 'suspects', 0, 'fullName']],
  [['suspect', 'associates', 0, 'nationality']],
  [['search', 1, 'country']],
])('finds the line of %j', (path) => {
  const { text, line } = placed(ANSWER, path);
  expect(line).toBeGreaterThan(0);
  expect(lineOf(text, path)).toBe(line);
});

it('finds no line in text formatted otherwise, or for a place that is not there', () => {
  const path = ['search', 1, 'suspects', 0, 'fullName'];
  expect(lineOf(JSON.stringify(ANSWER), path)).toBeUndefined();
  expect(lineOf(JSON.stringify(ANSWER, null, 2), ['search', 7, 'fullName'])).toBeUndefined();
  expect(lineOf('not json', path)).toBeUndefined();
});

it('tells a withheld field with its reason and routes, or that no route releases more, and the obligations per owner', () => {
  const read = readAnswer({
    ...ANSWER,
    errors: [
      ...ANSWER.errors,
      {
        message: 'y',
        path: ['suspect', 'associates', 0, 'nationality'],
        extensions: {
          code: 'WITHHELD',
          owner: 'TH',
          reason: 'NO_CLAUSE',
          routes: [{ text: 'KR–TH MoU art. 3: needs a case reference' }],
        },
      },
      { message: 'Not found.', path: ['case'], extensions: { code: 'NOT_FOUND' } },
    ],
  });
  expect(read.withheld.map((w) => [pathText(w.path), withheldSummary(w)])).toEqual([
    ['search[1].suspects[0].fullName', 'HIT_ONLY; no route releases more'],
    ['suspect.associates[0].nationality', 'NO_CLAUSE; routes: KR–TH MoU art. 3: needs a case reference'],
  ]);
  expect(read.errors).toEqual([{ code: 'NOT_FOUND', message: 'Not found.', path: ['case'] }]);
  expect(read.obligations).toEqual([{ owner: 'KH', releases: ANSWER.extensions.obligations.KH.releases }]);
});
