/**
 * The one reading of a record's facts (policy/recordFacts.ts), shared by the owner deciding record by record
 * and `explain --record-id`. Here, next to the other policy tests, so that a mutation run of policy/ loads
 * it (test/kit/ covers the same function through the owner's authorization, outside the mutation test set).
 * Expected values are written out by hand and compared strictly: a key present with `undefined` is a
 * difference.
 */
import { recordFactsOf } from '../../policy';

describe('recordFactsOf', () => {
  test('a record with every fact: its id, its operations and its source grade', () => {
    expect(
      recordFactsOf({ id: 'KR-P-1', name: 'Kim', operations: ['OP-A', 'OP-B'], sourceGrade: 'B2' }),
    ).toStrictEqual({ id: 'KR-P-1', operations: ['OP-A', 'OP-B'], sourceGrade: 'B2' });
  });

  test('a record with none of them: no facts, and no key set to undefined', () => {
    expect(recordFactsOf({ name: 'Kim' })).toStrictEqual({});
  });

  test('an operation list keeps its strings only, in order', () => {
    expect(recordFactsOf({ operations: ['OP-A', 7, null, { id: 'OP-X' }, 'OP-B'] })).toStrictEqual({
      operations: ['OP-A', 'OP-B'],
    });
    expect(recordFactsOf({ operations: [] })).toStrictEqual({ operations: [] });
  });

  test('facts of the wrong type are left out, each on its own', () => {
    expect(recordFactsOf({ id: 12, operations: 'OP-A', sourceGrade: 'B2' })).toStrictEqual({
      sourceGrade: 'B2',
    });
    expect(recordFactsOf({ id: 'KR-P-1', operations: { 0: 'OP-A' }, sourceGrade: 2 })).toStrictEqual({
      id: 'KR-P-1',
    });
    expect(recordFactsOf({ id: null, operations: null, sourceGrade: null })).toStrictEqual({});
  });

  test.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'KR-P-1'],
    ['a number', 42],
    ['a boolean', true],
  ])('%s is no record: no facts', (_label, value) => {
    expect(recordFactsOf(value)).toStrictEqual({});
  });
});
