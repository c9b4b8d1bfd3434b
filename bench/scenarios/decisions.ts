/**
 * Decision rate: how many decisions per second `policy.decide()` makes on the shipped agreements, for
 * four mixes a gateway and an owner meet, grants in play in two (goal ≥ 1,000,000/s). Pure CPU, no I/O: the figure is the
 * engine's, and it bounds what redaction before planning and per-field rules can cost.
 */
import { loadDefaultPolicy, type DecisionInput, type Grant } from '../../policy';
import { CATEGORIES } from '../../vocabulary';
import { median, type Figure, type Ratio, type Scenario } from '../harness';

const GOAL_PER_SECOND = 1_000_000;
const at = Date.UTC(2026, 5, 15);
const base = { analyst: 'sok.r', roles: ['analyst'] } as const;

/**
 * The owner's grant MLA-2026-7 (KR's desk approved KH's formal request), in play as the owner holds it: one
 * grant book per request, looked up before execution, as subgraphs/kit/server.ts builds it.
 */
const GRANT: Grant = {
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
};
const grants = new Map([[GRANT.id, GRANT]]);
const withGrant = { ...base, country: 'KH', purpose: 'investigation', caseReference: 'KH-CAS-000001', requestReference: GRANT.id } as const;

const MIXES: Readonly<Record<string, readonly DecisionInput[]>> = {
  // A joint-team member over every category of a record in the team's operation: release and withhold mixed.
  'joint-team member, every category, record in scope': CATEGORIES.map((category) => ({
    requester: { ...base, country: 'KH', purpose: 'investigation', jointTeam: 'JTF-KR-KH-2025', requestReference: 'MLA-2026-7' },
    owner: 'KR',
    category,
    at,
    record: { operations: ['BREAKING-CHAINS'], sourceGrade: 'A1' },
  })),
  // The release path alone, under the owner's grant.
  'MLAT release of person.identity under a grant': [{ requester: withGrant, owner: 'KR', category: 'person.identity', at, record: { id: 'KR-SUS-000001' }, grants }],
  // Grants in play: the owner deciding every category of a granted subject and of one it does not cover.
  'owner with a grant, every category, granted and other subject': CATEGORIES.flatMap((category) =>
    ['KR-SUS-000001', 'KR-SUS-000009'].map((id) => ({ requester: withGrant, owner: 'KR', category, at, record: { id }, grants })),
  ),
  // Nothing met: every category withheld, with routes.
  'no condition met, every category': CATEGORIES.map((category) => ({
    requester: { ...base, country: 'TH', purpose: 'investigation' },
    owner: 'KR',
    category,
    at,
  })),
};

export const decisions: Scenario = {
  name: 'decisions',
  description: 'policy.decide() rate on the shipped agreements, four mixes, grants in play in two (goal ≥ 1,000,000 decisions/s)',
  run(ctx) {
    const policy = loadDefaultPolicy();
    const figures: Figure[] = [];
    const ratios: Ratio[] = [];
    const perRound = ctx.quick ? 100_000 : 1_000_000;
    const rounds = ctx.quick ? 3 : 7;
    for (const [name, inputs] of Object.entries(MIXES)) {
      const rates: number[] = [];
      let sink = 0;
      for (let round = 0; round < rounds; round++) {
        ctx.signal.throwIfAborted();
        const start = process.hrtime.bigint();
        for (let i = 0; i < perRound; i++) sink += policy.decide(inputs[i % inputs.length]!).routes.length;
        rates.push(perRound / (Number(process.hrtime.bigint() - start) / 1e9));
      }
      if (sink < 0) ctx.log('unreachable'); // keeps the loop from being optimised away
      const rate = median(rates);
      figures.push({ name: `${name}: decisions per second (median of ${rounds})`, value: Math.round(rate), unit: '/s' });
      ratios.push({
        metric: `${name}: rate / goal`,
        value: rate / GOAL_PER_SECOND,
        goal: '≥ 1 (1,000,000/s)',
        met: rate >= GOAL_PER_SECOND,
      });
    }
    return Promise.resolve({ figures, ratios });
  },
};
