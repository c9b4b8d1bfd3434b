/**
 * What an append does to a record before it is hashed, made cheaper (issue 12): canonicalJson writes an
 * object that is canonical already without copying it, and validateCrossingRecord checks a field's
 * decision parts once per record when later fields hold the very same parts. Neither may change a byte
 * written nor let a field through that a check of its own would refuse.
 */
import { canonicalJson } from '../../audit/canonicalJson';
import { validateCrossingRecord } from '../../audit/validateRecord';
import type { FieldEntry } from '../../audit';
import { OBLIGATIONS, crossing } from './support/records';

/**
 * RFC 8785-style canonical JSON, written out by hand for these tests: members sorted by UTF-16 code
 * units, `undefined` members left out, `undefined` in an array written as null.
 */
function oracle(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value))
    return `[${value.map((item) => (item === undefined ? 'null' : oracle(item))).join(',')}]`;
  const members = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${members.map(([key, member]) => `${JSON.stringify(key)}:${oracle(member)}`).join(',')}}`;
}

describe('canonical JSON of values that are partly canonical already', () => {
  const shared = { a: 1, b: ['x'] };
  const cases: Record<string, unknown> = {
    'canonical throughout': { a: 1, b: { c: [1, 'two', null, true], d: 'e' }, z: [] },
    'a canonical parent over an unordered child': { a: { y: 1, x: 2 }, b: 3 },
    'an unordered child deep in canonical parents': { a: { b: [{ c: { e: 1, d: 2 } }] } },
    'an unordered child late in an array': { list: [{ a: 1 }, { a: 2 }, { b: 1, a: 3 }] },
    'an undefined member of a canonical object': { a: 1, b: undefined, c: 2 },
    'undefined in an array': { a: [1, undefined, 3] },
    'keys in locale order, not in code-unit order': { a: 1, B: 2, é: 3, z: 4 },
    'keys that sort by code units, not by locale': { B: 1, a: 2, é: 3, z: 4, '\u{1F600}': 5, '\uFB01': 6 },
    'keys that are canonical by code units': { B: 1, a: 2, z: 3, é: 4, '\u{1F600}': 5, '\uFB01': 6 },
    'the same object met twice': { a: shared, b: shared, c: { k: shared } },
    'an empty object and array': { a: {}, b: [] },
  };
  it.each(Object.entries(cases))('%s', (_name, value) => {
    const before = JSON.stringify(value);
    expect(canonicalJson(value)).toBe(oracle(value));
    // Nothing given is changed on the way.
    expect(JSON.stringify(value)).toBe(before);
  });

  it('writes keys that look like array indices in the order a JavaScript object keeps them, as before', () => {
    // Ascending by number, not by code unit: a copy cannot order them otherwise. Records have no such keys;
    // the order is pinned so that no hash of anything already written changes.
    expect(canonicalJson({ '10': 1, '9': 2, a: 3 })).toBe('{"9":2,"10":1,"a":3}');
    expect(canonicalJson({ a: 3, '9': 2, '10': 1 })).toBe('{"9":2,"10":1,"a":3}');
  });

  it('still refuses what JSON cannot hold inside a canonical object', () => {
    expect(() => canonicalJson({ a: 1, b: { c: Infinity } })).toThrow(/Infinity, which JSON cannot hold/);
    expect(() => canonicalJson({ a: [1, NaN] })).toThrow(/NaN, which JSON cannot hold/);
    expect(() => canonicalJson({ a: { b: new Map() } })).toThrow(/not a plain object/);
  });
});

/** A field's decision parts, as the engine's entries carry them (written out, not taken from the code). */
const CLAUSES = [
  { agreement: 'kr-kh-mlat-2021', clause: 'persons-and-records', citation: 'art. 1(4)(b)', title: 'MLAT' },
];

describe('fields that share a clauses array', () => {
  const base = {
    category: 'person.identity',
    effect: 'release',
    reason: 'RELEASED',
    clauses: CLAUSES,
    obligations: OBLIGATIONS,
  } as const;

  /** Each field checked on its own: the refusal a record of that field alone gets, or null. */
  function alone(field: FieldEntry): string | null {
    try {
      validateCrossingRecord(crossing('disclosure', 1, { owner: 'KH', fields: [field] }));
      return null;
    } catch (error) {
      return (error as Error).message.replace('fields[0]', 'fields[i]');
    }
  }

  // Each differs from the first field in one part only, and is refused for that part.
  const second: Record<string, FieldEntry> = {
    'another category, not one of the vocabulary': { path: 'b', ...base, category: 'person.shoe_size' },
    'another effect, not one of the three': { path: 'b', ...base, effect: 'leak' as 'release' },
    'another reason, not text': { path: 'b', ...base, reason: 'A\u0000B' },
    'other obligations, malformed': {
      path: 'b',
      ...base,
      obligations: { ...OBLIGATIONS, handlingCode: 'H9' as 'H1' },
    },
    'a gate, malformed': { path: 'b', ...base, gate: { owner: 'KH', citations: 's. 12' } as never },
    'a grant, malformed': { path: 'b', ...base, grant: { id: ' ' } },
    'a grant on a withheld field': {
      path: 'b',
      ...base,
      effect: 'withhold',
      reason: 'CONDITION_UNMET',
      grant: { id: 'MLA-KR-0001' },
    },
  };
  it.each(Object.entries(second))(
    'a second field with %s is refused as it would be alone',
    (_name, field) => {
      const own = alone(field);
      expect(own).not.toBeNull();
      const record = crossing('disclosure', 1, { owner: 'KH', fields: [{ path: 'a', ...base }, field] });
      expect(() => validateCrossingRecord(record)).toThrow(own!.replace('fields[i]', 'fields[1]'));
    },
  );

  it('a cross-border release sharing an empty clauses array with a withheld field is refused', () => {
    const none: never[] = [];
    const record = crossing('disclosure', 1, {
      owner: 'KH',
      fields: [
        {
          path: 'a',
          category: 'person.identity',
          effect: 'withhold',
          reason: 'CONDITION_UNMET',
          clauses: none,
        },
        { path: 'b', category: 'person.identity', effect: 'release', reason: 'RELEASED', clauses: none },
      ],
    });
    expect(() => validateCrossingRecord(record)).toThrow(/fields\[1\].*cites no clause/);
  });

  it('are stored exactly as fields with a copy of every part each', () => {
    const fields = (copy: boolean): FieldEntry[] =>
      ['a', 'b', 'c', 'd'].map((path, i) => {
        const parts = copy ? structuredClone(base) : base;
        // Two decisions in turn: the category tells them apart.
        return {
          path,
          record: `KH-SUS-00000${i}`,
          ...parts,
          category: i % 2 ? 'meta.reference' : parts.category,
        };
      });
    const shared = validateCrossingRecord(crossing('disclosure', 1, { owner: 'KH', fields: fields(false) }));
    const copied = validateCrossingRecord(crossing('disclosure', 1, { owner: 'KH', fields: fields(true) }));
    expect(canonicalJson(shared.body)).toBe(canonicalJson(copied.body));
    expect(shared.body.decisions).toHaveLength(2);
    expect(shared.body.fields.map((f) => f.decision)).toEqual([0, 1, 0, 1]);
  });
});
