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
  expect(parseOwnerReport(WELL_FORMED, { owner: 'XX', crossBorder: true })).toEqual({
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
    expect(parseOwnerReport(value, { owner: 'XX', crossBorder: true })).toEqual({ hits: new Map() });
});

it('lists no releases for an owner that released nothing, and sets aside one that did not say who it is', () => {
  const reader = { owner: 'XX', crossBorder: true };
  expect(parseOwnerReport({ ...WELL_FORMED, releases: [] }, reader).releases).toBeUndefined();
  expect(parseOwnerReport({ ...WELL_FORMED, owner: 7 }, reader).releases).toBe('malformed');
  expect(parseOwnerReport({ ...WELL_FORMED, releases: 'all' }, reader).releases).toBe('malformed');
});

it("sets aside releases in another owner's name, or from a server that is no member's", () => {
  expect(parseOwnerReport(WELL_FORMED, { owner: 'YY', crossBorder: true }).releases).toBe('malformed');
  expect(parseOwnerReport(WELL_FORMED, { owner: undefined, crossBorder: true }).releases).toBe('malformed');
});

it('sets aside releases any one of which lacks its shape, and passes on only the fields a release has', () => {
  const reader = { owner: 'XX', crossBorder: true };
  const good = { ...CLAUSE, categories: [CATEGORY] };
  for (const bad of [
    null,
    'release',
    [good],
    { ...good, categories: 7 },
    { ...good, categories: ['not.a.category'] },
    { ...good, clause: undefined },
    { ...good, obligations: 'none' },
    { ...good, grant: 7 },
    { ...good, grantValidUntil: 'someday' },
  ])
    expect(parseOwnerReport({ ...WELL_FORMED, releases: [good, bad] }, reader).releases).toBe('malformed');
  const parsed = parseOwnerReport({ ...WELL_FORMED, releases: [{ ...good, note: '<script>' }] }, reader);
  expect(parsed.releases).toEqual({ owner: 'XX', revision: 'rev-1', releases: [good] });
});

it('sets aside a field report without its shape, or a cross-border release without its clause', () => {
  const clauseless = { decisions: [{ category: CATEGORY, effect: 'release', clauses: [] }], decided: [] };
  expect(parseOwnerReport({ fields: clauseless }, { owner: 'XX', crossBorder: true }).fields).toBe(
    'malformed',
  );
  // At home, a release need not cite an agreement's clause.
  expect(parseOwnerReport({ fields: clauseless }, { owner: 'XX', crossBorder: false }).fields).toEqual(
    clauseless,
  );
  const outOfRange = { decisions: [], decided: [['XX-SUS-000001', 'fullName', 0]] };
  expect(parseOwnerReport({ fields: outOfRange }, { owner: 'XX', crossBorder: false }).fields).toBe(
    'malformed',
  );
  const unknownCategory = { decisions: [{ category: 'x.y', effect: 'withhold', clauses: [] }], decided: [] };
  expect(parseOwnerReport({ fields: unknownCategory }, { owner: 'XX', crossBorder: false }).fields).toBe(
    'malformed',
  );
  expect(parseOwnerReport({}, { owner: 'XX', crossBorder: true }).fields).toBeUndefined();
});

it('sets aside filings that are not a list of short ids', () => {
  expect(parseOwnerReport({ filed: [] }, { owner: 'XX', crossBorder: true }).filed).toBe('malformed');
  expect(parseOwnerReport({ filed: ['ok', 'not ok'] }, { owner: 'XX', crossBorder: true }).filed).toBe(
    'malformed',
  );
  expect(parseOwnerReport({}, { owner: 'XX', crossBorder: true }).filed).toBeUndefined();
});

it('keeps only the hit tokens that are short strings', () => {
  const hits = { a: 'token', b: 7, c: 'x'.repeat(257), d: 'y'.repeat(256) };
  expect(parseOwnerReport({ hits }, { owner: 'XX', crossBorder: true }).hits).toEqual(
    new Map([
      ['a', 'token'],
      ['d', 'y'.repeat(256)],
    ]),
  );
  expect(parseOwnerReport({ hits: ['a'] }, { owner: 'XX', crossBorder: true }).hits).toEqual(new Map());
});
