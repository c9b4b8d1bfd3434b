/**
 * How many decisions per second policy.decide() makes on the shipped scenario. Not a test (timing depends
 * on the machine): run with `npx tsx test/policy/decideRate.bench.ts`.
 */
import { loadDefaultPolicy, type DecisionInput } from '../../policy';
import { CATEGORIES } from '../../vocabulary';

const policy = loadDefaultPolicy();
const at = Date.UTC(2026, 5, 1);
const base = { analyst: 'sok.r', roles: ['analyst'] } as const;

const mixes: Record<string, DecisionInput[]> = {
  // The gateway's common case: a JIT member's query over a record's fields (release and withhold mixed).
  'KH→KR JIT member, all categories, record linked': CATEGORIES.map((category) => ({
    requester: { ...base, country: 'KH', purpose: 'investigation', jointTeam: 'JTF-KR-KH-2025', requestReference: 'MLA-2026-7' },
    owner: 'KR',
    category,
    at,
    record: { operations: ['BREAKING-CHAINS'], sourceGrade: 'A1' },
  })),
  'release path only (MLAT person.identity)': [
    {
      requester: { ...base, country: 'KH', purpose: 'investigation', requestReference: 'MLA-2026-7' },
      owner: 'KR',
      category: 'person.identity',
      at,
    },
  ],
  'withhold path (no conditions met, all categories)': CATEGORIES.map((category) => ({
    requester: { ...base, country: 'TH', purpose: 'investigation' },
    owner: 'KR',
    category,
    at,
  })),
};

for (const [name, inputs] of Object.entries(mixes)) {
  const rounds: number[] = [];
  for (let round = 0; round < 7; round++) {
    const n = 2_000_000;
    const start = process.hrtime.bigint();
    let sink = 0;
    for (let i = 0; i < n; i++) sink += policy.decide(inputs[i % inputs.length]!).routes.length;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (sink < 0) console.log(sink);
    rounds.push(n / seconds);
  }
  rounds.sort((a, b) => a - b);
  console.log(`${name}: median ${(rounds[3]! / 1e6).toFixed(2)} M decisions/s (min ${(rounds[0]! / 1e6).toFixed(2)}, max ${(rounds[6]! / 1e6).toFixed(2)})`);
}
