/**
 * Decision rate: how many decisions per second `policy.decide()` makes on the shipped agreements (goal
 * ≥ 1,000,000/s each). Pure CPU, no I/O: the figure is the engine's, and it bounds what redaction before
 * planning and per-field rules can cost. The mixes are measured in interleaved rounds, so their ratios
 * are comparable within a run:
 *
 * - plain (no request reference, no grant): a joint-team member over every category, and a requester
 *   that meets no condition;
 * - grants in play: the owner deciding every category of a granted subject and of one the grant does not
 *   cover, under clauses that need a request reference, with the grant the reference names in the book
 *   (as subgraphs/kit/server.ts reads it once per request); the same requests with no grant in the book
 *   (what a reference the owner never approved gets); and the release path alone under the grant.
 */
import { loadDefaultPolicy, type DecisionInput, type Grant, type GrantBook } from '../../policy';
import { CATEGORIES } from '../../vocabulary';
import { interleave, median, ratio, type Figure, type Ratio, type Scenario } from '../harness';

const GOAL_PER_SECOND = 1_000_000;
const at = Date.UTC(2026, 5, 15);
const base = { analyst: 'sok.r', roles: ['analyst'] } as const;

/**
 * The owner's grant MLA-2026-7 (KR's desk approved KH's formal request), in play as the owner holds it: one
 * grant book per request, looked up before execution, as subgraphs/kit/server.ts builds it.
 */
export const GRANT: Grant = Object.freeze<Grant>({
  id: 'MLA-2026-7',
  owner: 'KR',
  requesterCountry: 'KH',
  analysts: ['sok.r'],
  caseReference: 'KH-CAS-000001',
  purpose: 'investigation',
  agreement: 'kr-kh-mlat-2021',
  clauses: ['persons-and-records', 'proceeds', 'telecom-records'],
  subjects: ['KR-SUS-000001', 'KR-SUS-000002'],
  categories: ['person.identity', 'person.criminal_record', 'financial.accounts'],
  validFrom: at - 86_400_000,
  validUntil: at + 30 * 86_400_000,
  evidentiaryUse: true,
});
/** A subject of the owner the grant does not name. */
export const OTHER_SUBJECT = 'KR-SUS-000009';
const withGrant = {
  ...base,
  country: 'KH',
  purpose: 'investigation',
  caseReference: GRANT.caseReference,
  requestReference: GRANT.id,
} as const;

/** The owner deciding every category of the granted subject and of another, with `book` as its grants. */
export function grantMix(book: GrantBook): DecisionInput[] {
  return CATEGORIES.flatMap((category) =>
    [GRANT.subjects[0]!, OTHER_SUBJECT].map((id) => ({
      requester: withGrant,
      owner: 'KR',
      category,
      at,
      record: { id },
      grants: book,
    })),
  );
}

export const MIX_NAMES = {
  jointTeam: 'plain: joint-team member, every category, record in scope',
  nothingMet: 'plain: no condition met, every category',
  granted: 'grants: owner with the grant in its book, every category, granted and other subject',
  ungranted: 'grants: the same requests, no grant in the book',
  release: 'grants: MLAT release of person.identity under the grant',
} as const;

export function mixes(): Readonly<Record<string, readonly DecisionInput[]>> {
  const book: GrantBook = new Map([[GRANT.id, GRANT]]);
  return {
    // A joint-team member over every category of a record in the team's operation: release and withhold
    // mixed. No request reference: one would need a grant (below), and a made-up one opens nothing.
    [MIX_NAMES.jointTeam]: CATEGORIES.map((category) => ({
      requester: { ...base, country: 'KH', purpose: 'investigation', jointTeam: 'JTF-KR-KH-2025' },
      owner: 'KR',
      category,
      at,
      record: { operations: ['BREAKING-CHAINS'], sourceGrade: 'A1' },
    })),
    // Nothing met: every category withheld, with routes.
    [MIX_NAMES.nothingMet]: CATEGORIES.map((category) => ({
      requester: { ...base, country: 'TH', purpose: 'investigation' },
      owner: 'KR',
      category,
      at,
    })),
    [MIX_NAMES.granted]: grantMix(book),
    [MIX_NAMES.ungranted]: grantMix(new Map()),
    [MIX_NAMES.release]: [
      {
        requester: withGrant,
        owner: 'KR',
        category: 'person.identity',
        at,
        record: { id: GRANT.subjects[0]! },
        grants: book,
      },
    ],
  };
}

export const decisions: Scenario = {
  name: 'decisions',
  description:
    'policy.decide() rate on the shipped agreements, plain and with grants in play (goal ≥ 1,000,000 decisions/s)',
  async run(ctx) {
    const policy = loadDefaultPolicy();
    const inputsByMix = mixes();
    // Checked before timing: the grant mix really releases under the grant, and without it nothing does.
    const underGrant = (name: string) =>
      inputsByMix[name]!.filter((input) => policy.decide(input).grant === GRANT.id).length;
    if (underGrant(MIX_NAMES.granted) === 0)
      throw new Error(
        'With the grant in the book, no decision released under it: the mix does not time the grant path.',
      );
    if (underGrant(MIX_NAMES.ungranted) !== 0 || underGrant(MIX_NAMES.release) !== 1)
      throw new Error('The grant mixes do not decide as labelled.');

    const perRound = ctx.quick ? 100_000 : 1_000_000;
    const rounds = ctx.quick ? 3 : 7;
    let sink = 0;
    const timeMix = (inputs: readonly DecisionInput[]) => () => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < perRound; i++) sink += policy.decide(inputs[i % inputs.length]!).routes.length;
      return Promise.resolve(perRound / (Number(process.hrtime.bigint() - start) / 1e9));
    };
    const rates = await interleave(
      Object.fromEntries(Object.entries(inputsByMix).map(([name, inputs]) => [name, timeMix(inputs)])),
      rounds,
      ctx.signal,
    );
    if (sink < 0) ctx.log('unreachable'); // keeps the loops from being optimised away

    const figures: Figure[] = [];
    const ratios: Ratio[] = [];
    const rate = (name: string) => median(rates[name]!);
    for (const name of Object.keys(inputsByMix)) {
      figures.push({
        name: `${name}: decisions per second (median of ${rounds})`,
        value: Math.round(rate(name)),
        unit: '/s',
      });
      ratios.push(ratio(`${name}: rate / 1,000,000/s`, rate(name), GOAL_PER_SECOND, { min: 1 }));
    }
    ratios.push(
      ratio(
        'rate, grant in the book / same requests without',
        rate(MIX_NAMES.granted),
        rate(MIX_NAMES.ungranted),
      ),
      ratio(
        'rate, grant in the book / plain joint-team mix',
        rate(MIX_NAMES.granted),
        rate(MIX_NAMES.jointTeam),
      ),
      ratio(
        'rate, grant in the book / plain no-condition mix',
        rate(MIX_NAMES.granted),
        rate(MIX_NAMES.nothingMet),
      ),
    );
    return { figures, ratios };
  },
};
