// audit/ownerReport.ts: the one reading of an owner's `extensions.accord` (the gateway's, in
// gateway/memberDataSource.ts). Each part is read on its own; a part without its shape is set aside.
import { parseOwnerReport, WHOLE_FETCH, type OwnerReport } from '../../audit';
import { CATEGORIES } from '../../vocabulary';

const [CATEGORY] = CATEGORIES;
const CLAUSE = { agreement: 'A-1', clause: 'c-2', title: 'An agreement', citation: 'Art. 2' };

const WELL_FORMED: OwnerReport = {
  owner: 'XX',
  revision: 'rev-1',
  releases: [{ ...CLAUSE, categories: [CATEGORY] }],
  decisionId: 'request-1:XX',
  fields: {
    decisions: [{ category: CATEGORY, effect: 'release', clauses: [CLAUSE] }],
    decided: [
      ['XX-SUS-000001', 'fullName', 0],
      [WHOLE_FETCH, WHOLE_FETCH, 0],
    ],
  },
  filed: ['XX-FUR-2026-000001'],
  hits: { 'XX-SUS-000001': 'token-1' },
};

it('reads every part of a well-formed report', () => {
  expect(parseOwnerReport(WELL_FORMED, true)).toEqual({
    releases: { owner: 'XX', revision: 'rev-1', releases: [{ ...CLAUSE, categories: [CATEGORY] }] },
    fields: {
      decisions: [{ category: CATEGORY, effect: 'release', clauses: [CLAUSE] }],
      decided: [
        ['XX-SUS-000001', 'fullName', 0],
        ['*', '*', 0],
      ],
    },
    filed: ['XX-FUR-2026-000001'],
    hits: new Map([['XX-SUS-000001', 'token-1']]),
  });
});

it('reads nothing from what is not a report', () => {
  for (const value of [undefined, null, 'accord', 7, []])
    expect(parseOwnerReport(value, true)).toEqual({ hits: new Map() });
});

it('lists no releases for an owner that released nothing, or did not say who it is', () => {
  expect(parseOwnerReport({ ...WELL_FORMED, releases: [] }, true).releases).toBeUndefined();
  expect(parseOwnerReport({ ...WELL_FORMED, owner: 7 }, true).releases).toBeUndefined();
  expect(parseOwnerReport({ ...WELL_FORMED, releases: 'all' }, true).releases).toBeUndefined();
});

it('sets aside a field report without its shape, or a cross-border release without its clause', () => {
  const clauseless = { decisions: [{ category: CATEGORY, effect: 'release', clauses: [] }], decided: [] };
  expect(parseOwnerReport({ fields: clauseless }, true).fields).toBe('malformed');
  // At home, a release need not cite an agreement's clause.
  expect(parseOwnerReport({ fields: clauseless }, false).fields).toEqual(clauseless);
  const outOfRange = { decisions: [], decided: [['XX-SUS-000001', 'fullName', 0]] };
  expect(parseOwnerReport({ fields: outOfRange }, false).fields).toBe('malformed');
  const unknownCategory = { decisions: [{ category: 'x.y', effect: 'withhold', clauses: [] }], decided: [] };
  expect(parseOwnerReport({ fields: unknownCategory }, false).fields).toBe('malformed');
  expect(parseOwnerReport({}, true).fields).toBeUndefined();
});

it('sets aside filings that are not a list of short ids', () => {
  expect(parseOwnerReport({ filed: [] }, true).filed).toBe('malformed');
  expect(parseOwnerReport({ filed: ['ok', 'not ok'] }, true).filed).toBe('malformed');
  expect(parseOwnerReport({}, true).filed).toBeUndefined();
});

it('keeps only the hit tokens that are short strings', () => {
  const hits = { a: 'token', b: 7, c: 'x'.repeat(257), d: 'y'.repeat(256) };
  expect(parseOwnerReport({ hits }, true).hits).toEqual(
    new Map([
      ['a', 'token'],
      ['d', 'y'.repeat(256)],
    ]),
  );
  expect(parseOwnerReport({ hits: ['a'] }, true).hits).toEqual(new Map());
});
