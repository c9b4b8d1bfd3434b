/**
 * Decision rate: how many decisions per second `policy.decide()` makes on the shipped agreements, for
 * three mixes a gateway and an owner meet (goal ≥ 1,000,000/s). Pure CPU, no I/O: the figure is the
 * engine's, and it bounds what redaction before planning and per-field rules can cost.
 */
import { loadDefaultPolicy, type DecisionInput } from '../../policy';
import { CATEGORIES } from '../../vocabulary';
import { median, type Figure, type Ratio, type Scenario } from '../harness';

const GOAL_PER_SECOND = 1_000_000;
const at = Date.UTC(2026, 5, 15);
const base = { analyst: 'sok.r', roles: ['analyst'] } as const;

const MIXES: Readonly<Record<string, readonly DecisionInput[]>> = {
  // A joint-team member over every category of a record in the team's operation: release and withhold mixed.
  'joint-team member, every category, record in scope': CATEGORIES.map((category) => ({
    requester: { ...base, country: 'KH', purpose: 'investigation', jointTeam: 'JTF-KR-KH-2025', requestReference: 'MLA-2026-7' },
    owner: 'KR',
    category,
    at,
    record: { operations: ['BREAKING-CHAINS'], sourceGrade: 'A1' },
  })),
  // The release path alone.
  'MLAT release of person.identity': [
    { requester: { ...base, country: 'KH', purpose: 'investigation', requestReference: 'MLA-2026-7' }, owner: 'KR', category: 'person.identity', at },
  ],
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
  description: 'policy.decide() rate on the shipped agreements, three mixes (goal ≥ 1,000,000 decisions/s)',
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
