// Aliases (issue 10, item 8). An alias beginning with `__` is refused in validation: the gateway reads
// `__typename` to tell whose record an object is. Every other alias only renames: an answer under aliases
// that swap fields, take the name `id` or `country`, or another field's name, holds what the same question
// without aliases holds, and both audit records say so, decision for decision.
import { MEMBERS } from '../../schema';
import { parseRequestHeaders, type RequestContext } from '../../policy';
import type { CrossingBody } from '../../audit';
import { analyst, TEST_NOW, type GraphQLAnswer } from '../support/alliance';
import { auditedAllianceForSuite } from '../support/auditedAlliance';
import { sidesOf, sortByJson } from '../support/crossings';

/** Who asks: one analyst the gateway cuts fields for; one whose joint team the owner decides record by record. */
const REQUESTERS: Record<string, Record<string, string>> = {
  'KR investigation': analyst('KR', 'lee.h', { purpose: 'investigation', case: 'KR-CAS-000001' }),
  'KR joint team': analyst('KR', 'kim.j', {
    purpose: 'investigation',
    case: 'KR-CAS-000001',
    jit: 'JTF-KR-KH-2025',
  }),
};

/** `[response key, field]` pairs: aliases that swap, shadow another field, or take `id` and `country`. */
const SELECTIONS: Record<string, readonly (readonly [string, string])[]> = {
  'two fields swap names': [
    ['id', 'id'],
    ['fullName', 'aliases'],
    ['aliases', 'fullName'],
  ],
  'a field under the name id': [['id', 'fullName']],
  'fields under country and id': [
    ['country', 'fullName'],
    ['id', 'nationality'],
  ],
  'country kept, two fields swapped': [
    ['id', 'id'],
    ['country', 'country'],
    ['fullName', 'nationality'],
    ['nationality', 'fullName'],
  ],
  'a list under the name country': [
    ['country', 'phones'],
    ['id', 'id'],
  ],
};

/** The first suspect of every member of the registry. */
const RECORDS = MEMBERS.map((member) => `${member.code}-SUS-000001`);

function selection(pairs: readonly (readonly [string, string])[], aliased: boolean): string {
  const fields = aliased
    ? pairs.map(([key, field]) => (key === field ? field : `${key}: ${field}`))
    : [...new Set(pairs.map(([, field]) => field))];
  return fields.join(' ');
}

/** The answer and errors of the plain question, renamed the way the aliases rename: what the aliased one must get. */
function renamed(
  plain: GraphQLAnswer,
  pairs: readonly (readonly [string, string])[],
): { data: unknown; errors: unknown[] } {
  const suspect = plain.body.data?.['suspect'] as Record<string, unknown> | null | undefined;
  const data =
    suspect === null || suspect === undefined
      ? { suspect: suspect ?? null }
      : { suspect: Object.fromEntries(pairs.map(([key, field]) => [key, suspect[field]])) };
  const errors: unknown[] = [];
  for (const error of plain.body.errors ?? []) {
    const field = error.path?.[1];
    const keys = field === undefined ? [undefined] : pairs.filter(([, f]) => f === field).map(([key]) => key);
    for (const key of keys)
      errors.push({
        code: error.extensions?.['code'],
        category: error.extensions?.['category'],
        path: key === undefined ? error.path : ['suspect', key],
      });
  }
  return { data, errors: sortByJson(errors) };
}

function errorsOf(answer: GraphQLAnswer): unknown[] {
  return sortByJson(
    (answer.body.errors ?? []).map((e) => ({
      code: e.extensions?.['code'],
      category: e.extensions?.['category'],
      path: e.path,
    })),
  );
}

/** Consultation entries by (path with its last key mapped to the field, decision). */
function consulted(records: readonly CrossingBody[], keyToField: (key: string) => string[]): string[] {
  const out: string[] = [];
  for (const record of records) {
    for (const { path, ...decision } of record.fields) {
      const cut = path.lastIndexOf('.');
      for (const field of keyToField(path.slice(cut + 1)))
        out.push(JSON.stringify([record.owner, `${path.slice(0, cut + 1)}${field}`, decision]));
    }
  }
  return out.sort();
}

describe('aliases at the gateway', () => {
  const alliance = auditedAllianceForSuite({}, 60_000);
  const ask = (query: string, headers: Record<string, string>) => alliance.ask(query, headers);

  it.each([
    ['__typename over a case summary', '{ case(id: "KR-CAS-000001") { id __typename: modusOperandi } }'],
    ['__typename over a name', '{ suspect(id: "KH-SUS-000001") { id __typename: fullName } }'],
    ['__schema over an id', '{ suspect(id: "KR-SUS-000001") { __schema: id } }'],
    ['an alias with two leading underscores on a root field', '{ __s: suspect(id: "KR-SUS-000001") { id } }'],
    [
      'inside an inline fragment',
      '{ suspect(id: "KR-SUS-000001") { id ... on KRSuspect { __x: nationality } } }',
    ],
    [
      'inside a fragment',
      '{ suspect(id: "KR-SUS-000001") { ...F } } fragment F on Suspect { id __typename: country }',
    ],
  ])('refuses an alias beginning with __ (%s) in validation, and asks no member', async (_name, query) => {
    const { answer, requestId } = await ask(query, REQUESTERS['KR investigation']!);
    expect(answer.status).toBe(400);
    expect(answer.body.data ?? null).toBeNull();
    expect(answer.body.errors?.map((e) => e.extensions?.['code'])).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(answer.body.errors![0]!.message).toMatch(
      /alias "__\w+" is refused: names that begin with "__" are reserved/,
    );
    if (requestId) expect((await alliance.crossings(requestId)).disclosures).toEqual([]);
  });

  const cases = Object.entries(REQUESTERS).flatMap(([who, headers]) =>
    Object.entries(SELECTIONS).flatMap(([what, pairs]) =>
      RECORDS.map((id) => ({ who, headers, what, pairs, id })),
    ),
  );
  it.each(cases)(
    '$who, $id, $what: the same answer and the same records as without aliases',
    async ({ headers, pairs, id }) => {
      const parsed = parseRequestHeaders((name) => headers[name], TEST_NOW);
      if (!parsed.ok) throw new Error(parsed.problems.join(' '));
      const requester: RequestContext = parsed.context;
      const plain = await ask(`{ suspect(id: "${id}") { ${selection(pairs, false)} } }`, headers);
      const aliased = await ask(`{ suspect(id: "${id}") { ${selection(pairs, true)} } }`, headers);
      expect(aliased.answer.status).toBe(plain.answer.status);

      const expected = renamed(plain.answer, pairs);
      expect({ data: aliased.answer.body.data ?? null, errors: errorsOf(aliased.answer) }).toEqual(expected);

      // The consultation: the plain request's entries, each under the key the alias gave it.
      const plainRecords = (await alliance.crossings(plain.requestId!)).consultations;
      const aliasedCrossings = await alliance.crossings(aliased.requestId!);
      const fieldOf = (key: string): string[] => pairs.filter(([k]) => k === key).map(([, field]) => field);
      const keysOf = (field: string): string[] => [field];
      expect(
        consulted(aliasedCrossings.consultations, (key) => (fieldOf(key).length ? fieldOf(key) : [key])),
      ).toEqual(
        consulted(plainRecords, keysOf)
          .flatMap((entry) => {
            // A field asked for under several keys is consulted once per key.
            const [, path] = JSON.parse(entry) as [string, string];
            const field = path.slice(path.lastIndexOf('.') + 1);
            const times = Math.max(1, pairs.filter(([, f]) => f === field).length);
            return Array.from({ length: times }, () => entry);
          })
          .sort(),
      );
      // Both sides of the aliased request agree.
      for (const [owner, { consultation, disclosure }] of Object.entries(
        sidesOf(aliasedCrossings, requester, TEST_NOW),
      )) {
        expect({ owner, consultation }).toEqual({ owner, consultation: disclosure });
      }
    },
  );
});
