/** `matrix`: category × purpose and field × purpose per pair, in Markdown, CSV, HTML and JSON. */
import { loadDefaultPolicy } from '../../policy';
import { readCommittedSupergraph } from '../../schema';
import { buildMatrix, cellOf, readFieldCatalog } from '../../legal';
import { cli, TODAY, TODAY_TEXT } from './support';

const policy = loadDefaultPolicy();
const fields = readFieldCatalog(readCommittedSupergraph());

describe('buildMatrix', () => {
  const matrix = buildMatrix(policy, { at: TODAY, fields });
  const pair = (requester: string, owner: string) =>
    matrix.pairs.find((item) => item.requester === requester && item.owner === owner)!;

  test('every ordered pair of members, every purpose × category', () => {
    const members = policy.set.members.length;
    expect(matrix.pairs).toHaveLength(members * (members - 1));
    expect(pair('KR', 'KH').cells).toHaveLength(matrix.purposes.length * matrix.categories.length);
  });

  test('each way to get something, with its clause and the least the request must carry', () => {
    const identity = cellOf(pair('KR', 'KH'), 'investigation', 'person.identity');
    expect(identity.effect).toBe('release');
    expect(identity.unconditional).toBe('hit-only');
    expect(
      identity.outcomes.map((outcome) => [
        outcome.effect,
        `${outcome.clause.agreement}/${outcome.clause.clause}`,
        outcome.needs,
      ]),
    ).toEqual([
      [
        'release',
        'kr-kh-mlat-2021/persons-and-records',
        'a case reference; a request reference (formal MLA request) approved by the owner (a grant)',
      ],
      [
        'release',
        'kr-kh-joint-task-force-2025/operational-data',
        'joint team JTF-KR-KH-2025, as a named member; a record linked to BREAKING-CHAINS',
      ],
      [
        'hit-only',
        'breaking-chains-operation-2025/index-hits',
        'nothing (no reference, no team, no emergency)',
      ],
    ]);
    expect(cellOf(pair('KR', 'KH'), 'investigation', 'compound.intel').outcomes[0]?.needs).toContain(
      'source grade B',
    );
  });

  test('a cell that gives nothing says why: not covered, forbidden by domestic law', () => {
    expect(cellOf(pair('KR', 'KH'), 'investigation', 'victim.welfare')).toMatchObject({
      effect: 'withhold',
      standing: 'not-covered',
      reason: 'CATEGORY_NOT_COVERED',
    });
    const forbidden = cellOf(pair('KH', 'KR'), 'victim_identification', 'person.identity');
    expect(forbidden).toMatchObject({ effect: 'withhold', standing: 'forbidden', reason: 'DOMESTIC_GATE' });
    expect(forbidden.blocked[0]?.text).toContain('KR domestic gate (PIPA) has no ground');
  });

  test('before any agreement was in force, nothing crosses', () => {
    const early = buildMatrix(policy, {
      at: Date.parse('2000-01-01T12:00:00Z'),
      requesters: ['KR'],
      owners: ['KH'],
    });
    expect(early.pairs[0]!.cells.every((cell) => cell.effect === 'withhold')).toBe(true);
    expect(cellOf(early.pairs[0]!, 'investigation', 'person.identity').standing).toBe('not-in-force');
  });

  test('per field of the supergraph: the cell of its category', () => {
    const passport = pair('KR', 'KH').fields.find(
      (field) => field.entry.coordinate === 'KHSuspect.passportNumbers',
    )!;
    expect(passport.entry.category).toBe('person.identity');
    expect(passport.cells[0]).toBe(cellOf(pair('KR', 'KH'), 'investigation', 'person.identity'));
    expect(pair('KR', 'KH').fields.every((field) => field.entry.owner === 'KH')).toBe(true);
  });
});

describe('npm run policy -- matrix', () => {
  test('Markdown for one pair: the grid, numbered notes citing clauses, fields', () => {
    const run = cli(['matrix', '--requester', 'KR', '--owner', 'KH', '--at', TODAY_TEXT]);
    expect(run.status).toBe(0);
    expect(run.out).toContain('## KH data → KR analyst (requester KR, owner KH)');
    expect(run.out).toMatch(/\| person\.identity \| release \[\d\] · release \[\d\] · hit \[\d\] \|/);
    expect(run.out).toMatch(/\| victim\.welfare \| not covered \|/);
    expect(run.out).toMatch(
      /\d\. KR–KH MLAT 2021 art\. 1\(2\)\(b\)–\(c\) \(kr-kh-mlat-2021\/persons-and-records, MLAT\) — releases; needs a case reference; a request reference \(formal MLA request\) approved by the owner \(a grant\)/,
    );
    expect(run.out).toContain('| KHSuspect.passportNumbers | person.identity |');
    expect(run.out).toContain('ILLUSTRATIVE');
    expect(run.out.match(/^## /gm)).toHaveLength(1);
  });

  test('CSV: a header and one row per way to get something, per field with --fields', () => {
    const run = cli([
      'matrix',
      '--requester',
      'KR',
      '--owner',
      'KH',
      '--at',
      TODAY_TEXT,
      '--format',
      'csv',
      '--fields',
    ]);
    const rows = run.out.trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      'requester,owner,field,category,purpose,effect,standing,reason,without conditions,clause,title,citation,basis,needs',
    );
    expect(rows).toContain(
      'KR,KH,,person.identity,investigation,release,released,RELEASED,hit-only,kr-kh-mlat-2021/persons-and-records,KR–KH MLAT 2021,art. 1(2)(b)–(c),MLAT,a case reference; a request reference (formal MLA request) approved by the owner (a grant)',
    );
    expect(rows).toContain(
      'KR,KH,,victim.welfare,investigation,withhold,not covered,CATEGORY_NOT_COVERED,withhold,,,,,',
    );
    expect(
      rows.some((row) =>
        row.startsWith('KR,KH,KHSuspect.passportNumbers,person.identity,investigation,release,'),
      ),
    ).toBe(true);
  });

  test('HTML: a standalone document with no script and no external resource', () => {
    const run = cli(['matrix', '--owner', 'KR', '--at', TODAY_TEXT, '--format', 'html']);
    expect(run.out).toMatch(/^<!doctype html>/);
    expect(run.out).toContain('<h2>KR data → KH analyst</h2>');
    expect(run.out).toContain('<td class="forbidden">forbidden by domestic law</td>');
    expect(run.out).not.toMatch(/<script|<link|https?:\/\//);
  });

  test('JSON, and an unknown country or format gets the nearest names', () => {
    expect(
      JSON.parse(
        cli(['matrix', '--requester', 'TH', '--owner', 'KR', '--at', TODAY_TEXT, '--format', 'json']).out,
      ).pairs,
    ).toHaveLength(1);
    expect(cli(['matrix', '--owner', 'KHM']).err).toContain("unknown owner country 'KHM' (did you mean KH?");
    expect(cli(['matrix', '--format', 'htm']).err).toContain("unknown format 'htm' (did you mean html?");
  });
});
