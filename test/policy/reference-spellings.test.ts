/**
 * References as a request may spell them (docs/domain.md#conditions, item 4): a case, request or warrant
 * reference that is there but empty or only white space is no reference, so the clause that needs it does
 * not decide; and the owner's grant counts from its very `validFrom`, and covers nothing when it gives no
 * category. Each on the shipped set, for every clause that needs the reference, derived from the set: the
 * request that the clause decides with the reference written out is asked again with it blank.
 */
import type { Clause, DecisionInput, Grant, RequestContext } from '../../policy';
import { META_REFERENCE } from '../../vocabulary';
import { toInput } from './expectDecision';
import { shippedPolicy } from './shippedPolicy';

const policy = shippedPolicy();
const BLANKS = ['', ' ', ' \t', '\n'];

type Field = 'caseReference' | 'requestReference' | 'warrantReference';
const NEEDS: Readonly<Record<Field, (clause: Clause) => boolean>> = {
  caseReference: (clause) => clause.conditions.caseReference === true,
  requestReference: (clause) => clause.conditions.requestReference === true,
  warrantReference: (clause) => clause.conditions.warrantReference === true,
};

/**
 * For every bilateral clause that needs the reference and releases some category: a request it decides,
 * with every reference it may need and a grant made under it (`agreement/clause`, the input).
 */
function decidedBy(needs: (clause: Clause) => boolean): { key: string; input: DecisionInput }[] {
  const found: { key: string; input: DecisionInput }[] = [];
  for (const agreement of policy.set.agreements) {
    if (agreement.parties.length !== 2) continue;
    for (const clause of agreement.clauses.filter(needs)) {
      if (clause.conditions.jointTeam !== undefined || clause.conditions.emergency !== undefined) continue;
      const category = Object.entries(clause.categories).find(([, mode]) => mode === 'release')?.[0];
      const [owner, from] =
        clause.direction === 'both'
          ? agreement.parties
          : [clause.direction.from[0]!, clause.direction.to[0]!];
      if (category === undefined || owner === undefined || from === undefined) continue;
      const key = `${agreement.id}/${clause.id}`;
      const input = toInput(
        {
          from,
          owner,
          category: category as DecisionInput['category'],
          purpose: clause.purposes[0]!,
          case: true,
          request: clause.conditions.requestReference === true,
          warrant: true,
          record: { sourceGrade: 'A' },
        },
        key,
      );
      found.push({ key, input });
    }
  }
  return found;
}

const clauseOf = (input: DecisionInput): string | undefined => {
  const ref = policy.decide(input).clauses[0];
  return ref === undefined ? undefined : `${ref.agreement}/${ref.clause}`;
};

describe.each(Object.keys(NEEDS) as Field[])('a blank %s', (field) => {
  const cases = decidedBy(NEEDS[field]);

  test('the shipped set has a clause that needs it, and it decides the request written out', () => {
    expect(cases.length).toBeGreaterThan(0);
    for (const { key, input } of cases)
      expect({ key, decided: clauseOf(input) }).toEqual({ key, decided: key });
  });

  test.each(BLANKS.map((text) => [JSON.stringify(text), text]))(
    'written %s, it is no reference: the clause does not decide',
    (_shown, text) => {
      for (const { key, input } of cases) {
        const requester: RequestContext = { ...input.requester, [field]: text };
        // The owner's grant is made for the request as written: a blank request reference names a grant by
        // that blank name, a blank case reference is the grant's case.
        const grants =
          input.grants === undefined
            ? undefined
            : new Map(
                [...input.grants.values()].map((grant): [string, Grant] =>
                  field === 'requestReference'
                    ? [text, { ...grant, id: text }]
                    : field === 'caseReference'
                      ? [grant.id, { ...grant, caseReference: text }]
                      : [grant.id, grant],
                ),
              );
        const blanked = { ...input, requester, ...(grants !== undefined && { grants }) };
        expect({ key, text, decided: clauseOf(blanked) }).not.toEqual({ key, text, decided: key });
      }
    },
  );
});

describe("the owner's grant at its edges", () => {
  const cases = decidedBy(NEEDS.requestReference);
  const withGrant = (input: DecisionInput, change: (grant: Grant) => Grant): DecisionInput => ({
    ...input,
    grants: new Map([...input.grants!].map(([id, grant]) => [id, change(grant)])),
  });

  test('valid from the very instant asked about: it counts', () => {
    expect(cases.length).toBeGreaterThan(0);
    for (const { key, input } of cases)
      expect({
        key,
        decided: clauseOf(withGrant(input, (grant) => ({ ...grant, validFrom: input.at }))),
      }).toEqual({ key, decided: key });
  });

  test('valid until the very instant asked about, or from the next millisecond: it does not', () => {
    for (const { key, input } of cases) {
      for (const change of [{ validUntil: input.at }, { validFrom: input.at + 1 }])
        expect({
          key,
          change,
          decided: clauseOf(withGrant(input, (grant) => ({ ...grant, ...change }))),
        }).not.toEqual({ key, change, decided: key });
    }
  });

  test('giving no category at all: it covers neither the category nor the record reference', () => {
    for (const { key, input } of cases) {
      // As made (giving the category asked for), it covers both.
      for (const category of [input.category, META_REFERENCE] as const)
        expect({ key, category, decided: clauseOf({ ...input, category }) }).toEqual({
          key,
          category,
          decided: key,
        });
      for (const category of [input.category, META_REFERENCE] as const)
        expect({
          key,
          category,
          decided: clauseOf({ ...withGrant(input, (grant) => ({ ...grant, categories: [] })), category }),
        }).not.toEqual({ key, category, decided: key });
    }
  });
});
