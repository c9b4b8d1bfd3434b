/**
 * The small readers the conditions stand on: agreement dates as UTC days (policy/dates.ts) and the
 * source-reliability letter of a record (policy/sourceGrades.ts). Expected instants are written as full
 * ISO timestamps read by Date.parse, not computed the way the code computes them.
 */
import { dateWindow, parseIsoDate } from '../../policy/dates';
import { sourceGradeRank } from '../../policy/sourceGrades';

const utc = (text: string): number => Date.parse(text);

describe('parseIsoDate', () => {
  test.each([
    ['2021-03-01', '2021-03-01T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2020-12-31', '2020-12-31T00:00:00.000Z'],
    ['1970-01-01', '1970-01-01T00:00:00.000Z'],
  ])('%s is 00:00 UTC of that day', (text, instant) => {
    expect(parseIsoDate(text)).toBe(utc(instant));
  });

  test.each([
    ['2021-02-30', 'a day the month does not have'],
    ['2023-02-29', 'February 29 of a common year'],
    ['2021-04-31', 'April 31'],
    ['2021-13-01', 'month 13'],
    ['2021-00-10', 'month 0'],
    ['2021-01-00', 'day 0'],
    ['0099-12-31', 'a two-digit year (Date.UTC would read it as 1999)'],
    ['2021-1-01', 'a one-digit month'],
    ['2021-01-01T00:00:00Z', 'a date-time'],
    [' 2021-01-01', 'leading space'],
    ['2021-01-01 ', 'trailing space'],
    ['', 'nothing'],
  ])('%s is not a date (%s)', (text) => {
    expect(parseIsoDate(text)).toBeUndefined();
  });
});

describe('dateWindow', () => {
  test('from 00:00 UTC of `from` to 24:00 UTC of `until` (inclusive day)', () => {
    expect(dateWindow('2020-01-01', '2020-12-31')).toEqual({
      startMs: utc('2020-01-01T00:00:00Z'),
      endMs: utc('2021-01-01T00:00:00Z'),
    });
  });

  test('a one-day window is 24 hours long', () => {
    expect(dateWindow('2026-06-01', '2026-06-01')).toEqual({
      startMs: utc('2026-06-01T00:00:00Z'),
      endMs: utc('2026-06-02T00:00:00Z'),
    });
  });

  test('no `until`: open-ended', () => {
    expect(dateWindow('2020-01-01', undefined)).toEqual({
      startMs: utc('2020-01-01T00:00:00Z'),
      endMs: Infinity,
    });
  });

  test('an invalid date is an invariant breach, named in the message', () => {
    expect(() => dateWindow('2020-02-30', undefined)).toThrow(
      new Error('invariant: invalid date window 2020-02-30..'),
    );
    expect(() => dateWindow('2020-01-01', '2020-02-30')).toThrow(
      new Error('invariant: invalid date window 2020-01-01..2020-02-30'),
    );
    expect(() => dateWindow('someday', '2020-12-31')).toThrow(
      new Error('invariant: invalid date window someday..2020-12-31'),
    );
  });
});

describe('sourceGradeRank', () => {
  test.each([
    ['A', 0],
    ['B', 1],
    ['C', 2],
    ['X', 3],
    ['A1', 0],
    ['B2', 1],
    ['C3', 2],
    ['X6', 3],
  ])('%s ranks %d (only the letter counts)', (grade, rank) => {
    expect(sourceGradeRank(grade)).toBe(rank);
  });

  test.each([[undefined], [''], ['D'], ['E'], ['b'], ['a'], ['2'], [' A'], ['@']])(
    '%p has no rank',
    (grade) => {
      expect(sourceGradeRank(grade)).toBeUndefined();
    },
  );
});
