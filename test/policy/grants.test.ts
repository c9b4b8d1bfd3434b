/**
 * Grants as the only basis for a clause's request-reference condition (policy/evaluateClause.ts): for every
 * clause of the shipped set that needs a request reference, a grant made for exactly the question opens it,
 * and a grant that falls short in any one respect opens nothing, exactly as if no reference were given.
 * The clauses, pairs, purposes and categories come from the agreement set, not from this file.
 */
import { type DecisionInput, type Grant, type RequestContext } from '../../policy';
import { CATEGORIES, META_REFERENCE, type Category } from '../../vocabulary';
import { shippedPolicy } from './shippedPolicy';

const policy = shippedPolicy();
const DAY = 86_400_000;

interface Case {
  readonly label: string;
  readonly input: DecisionInput;
  readonly grant: Grant;
}

/** One question per clause that needs a request reference: its first flow, purpose and released category. */
function questions(): Case[] {
  const cases: Case[] = [];
  for (const agreement of policy.set.agreements) {
    for (const clause of agreement.clauses) {
      if (clause.conditions.requestReference !== true) continue;
      const category = (Object.keys(clause.categories) as Category[]).find(
        (c) => clause.categories[c] === 'release',
      );
      if (category === undefined) continue;
      const [owner, requester] =
        clause.direction === 'both'
          ? agreement.parties
          : [clause.direction.from[0]!, clause.direction.to[0]!];
      const at = Math.max(
        Date.parse(`${agreement.inForce.from}T00:00:00Z`),
        Date.parse('2026-06-01T00:00:00Z'),
      );
      const who: RequestContext = {
        country: requester!,
        analyst: 'analyst.one',
        roles: ['analyst'],
        purpose: clause.purposes[0]!,
        caseReference: `${requester}-CAS-000001`,
        requestReference: `${owner}-GRANT-1`,
        ...(clause.conditions.warrantReference === true && { warrantReference: 'W-1' }),
        ...(clause.conditions.interpolNotice === true && {
          interpolNotice: `${clause.conditions.noticeColours?.[0] ?? 'red'}:A-1/2026`,
        }),
      };
      const grant: Grant = {
        id: who.requestReference!,
        owner: owner!,
        requesterCountry: who.country,
        analysts: [who.analyst],
        caseReference: who.caseReference!,
        purpose: who.purpose!,
        agreement: agreement.id,
        clauses: [clause.id],
        subjects: [`${owner}-SUS-000001`],
        categories: [category],
        validFrom: at - DAY,
        validUntil: at + DAY,
        evidentiaryUse: true,
      };
      const input: DecisionInput = {
        requester: who,
        owner: owner!,
        category,
        at,
        record: { id: `${owner}-SUS-000001` },
        grants: new Map([[grant.id, grant]]),
      };
      cases.push({
        label: `${agreement.id}/${clause.id} (${owner} → ${requester}, ${category})`,
        input,
        grant,
      });
    }
  }
  return cases;
}

/** Built in the first test that needs them (see ./shippedPolicy.ts for why not at import). */
let cases: Case[] | undefined;
const CASES = (): Case[] => (cases ??= questions());

/** The decision with the grant replaced (undefined: the owner holds none by that name). */
function withGrant(
  base: Case,
  change: Partial<Grant> | undefined,
  input: Partial<DecisionInput> = {},
): DecisionInput {
  const grants =
    change === undefined
      ? new Map<string, Grant>()
      : new Map([[base.grant.id, { ...base.grant, ...change }]]);
  return { ...base.input, grants, ...input };
}

/** The refusal with no reference at all: what every grant that falls short must look like. */
function withoutReference(base: Case): ReturnType<typeof policy.decide> {
  const { requestReference: _ignored, ...requester } = base.input.requester;
  return policy.decide({ ...base.input, requester });
}

const FLAWS = (base: Case): [string, Partial<Grant> | undefined][] => [
  ['a made-up reference (the owner holds no such grant)', undefined],
  ['another subject', { subjects: [`${base.grant.owner}-SUS-000002`] }],
  [
    'another category',
    { categories: [CATEGORIES.find((c) => c !== base.input.category && c !== META_REFERENCE)!] },
  ],
  ['another case', { caseReference: 'OTHER-CAS-000009' }],
  ['another requester country', { requesterCountry: 'ZZ' }],
  ['another analyst', { analysts: ['someone.else'] }],
  [
    'another purpose',
    { purpose: base.input.requester.purpose === 'investigation' ? 'asset_tracing' : 'investigation' },
  ],
  ['another clause', { clauses: [`${base.grant.clauses[0]}-other`] }],
  ['not yet valid', { validFrom: base.input.at + 1 }],
  ['expired (its end is exclusive)', { validUntil: base.input.at }],
  ['revoked at that instant', { revokedAt: base.input.at }],
];

test('a grant made for exactly the question releases, and the decision and obligations cite it', () => {
  for (const base of CASES()) {
    const decision = policy.decide(base.input);
    expect({
      case: base.label,
      effect: decision.effect,
      grant: decision.grant,
      cited: decision.obligations?.grant,
    }).toEqual({ case: base.label, effect: 'release', grant: base.grant.id, cited: base.grant.id });
    expect(decision.clauses.map((c) => `${c.agreement}/${c.clause}`)).toContain(
      `${base.grant.agreement}/${base.grant.clauses[0]}`,
    );
  }
});

test('a grant short of the question in any one respect: the same refusal as no reference', () => {
  for (const base of CASES()) {
    const missing = withoutReference(base);
    for (const [what, change] of FLAWS(base)) {
      const decision = policy.decide(withGrant(base, change));
      expect({
        case: base.label,
        what,
        grant: decision.grant,
        effect: decision.effect,
        reason: decision.reason,
        clauses: decision.clauses,
      }).toEqual({
        case: base.label,
        what,
        grant: undefined,
        effect: missing.effect,
        reason: missing.reason,
        clauses: missing.clauses,
      });
    }
  }
});

test('a grant never widens its clause: a category the clause does not name stays as it was without the grant', () => {
  for (const base of CASES()) {
    const clause = policy.set.agreements
      .find((a) => a.id === base.grant.agreement)!
      .clauses.find((c) => c.id === base.grant.clauses[0])!;
    for (const category of CATEGORIES) {
      if (category === META_REFERENCE || clause.categories[category] !== undefined) continue;
      const input = withGrant(base, { categories: [...base.grant.categories, category] }, { category });
      const decision = policy.decide(input);
      const { requestReference: _ignored, ...requester } = input.requester;
      expect({ case: base.label, category, effect: decision.effect }).toEqual({
        case: base.label,
        category,
        effect: policy.decide({ ...input, requester }).effect,
      });
      expect(decision.clauses.map((c) => c.clause)).not.toContain(base.grant.clauses[0]);
    }
  }
});

test('without the grant book (the gateway), the grant clause never decides: the field is left to the owner', () => {
  for (const base of CASES()) {
    const { grants: _g, record: _r, ...input } = base.input;
    const decision = policy.decide(input);
    // Another clause may give it without any reference; the grant's clause never does without the owner.
    expect(decision.clauses.map((c) => `${c.agreement}/${c.clause}`)).not.toContain(
      `${base.grant.agreement}/${base.grant.clauses[0]}`,
    );
    if (decision.effect !== 'release')
      expect({ case: base.label, recordDependent: decision.recordDependent }).toEqual({
        case: base.label,
        recordDependent: true,
      });
  }
});

test('an approval without evidentiary use forbids it in the obligations', () => {
  for (const base of CASES())
    expect(policy.decide(withGrant(base, { evidentiaryUse: false })).obligations?.evidentiaryUse).toBe(
      'forbidden',
    );
});

test('the set has clauses that need a request reference (the table is not empty)', () => {
  expect(CASES().length).toBeGreaterThan(0);
});
