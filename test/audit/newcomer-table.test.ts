/**
 * `npm run audit -- query --grant ID` prints what a grant's records say in a table: no cell is cut, so the
 * grant id at the end of a desk act's "request …, grant … until …" is there whole, whatever its column's
 * width. The columns still line up while every cell fits.
 */
import { table } from '../../audit/queryRecords';

const GRANT = 'KH-FUR-2026-3f9a1c2b7d';
const ACT = `request ${GRANT}, grant ${GRANT} until 2026-07-05T09:00:00.000Z; person.identity financial.accounts`;

describe('audit query tables', () => {
  it('shows a cell longer than its column whole, the grant id in it included', () => {
    const text = table([
      ['at', 'record', 'act', 'what', 'clauses'],
      ['2026-06-05T09:00:00.000Z', 'kh-desk#3', 'grant.issued', ACT, 'kr-kh-mlat-2021 proceeds'],
    ]);
    expect(text).toContain(ACT);
    expect(text.match(new RegExp(GRANT, 'g'))).toHaveLength(2);
  });

  it('lines the columns up when every cell fits', () => {
    const lines = table([
      ['a', 'b', 'c'],
      ['long cell', 'x', 'last'],
    ]).split('\n');
    expect(lines[0]!.indexOf('b')).toBe(lines[1]!.indexOf('x'));
  });
});
