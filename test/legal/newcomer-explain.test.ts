/**
 * `npm run policy -- explain` as a newcomer uses it:
 * - `--record-id ID` alone looks the record up in its owner's store (the data folder, read-only): a record
 *   in a joint team's operation is decided under the team's clause, as its owner decides it; before, it was
 *   taken as linked to no operation. A store without the record is refused; a folder without the owner's
 *   store says, beside the record, that nothing was read.
 * - `--jit` (the analyst's name for the joint team: `accord --jit`, `Accord-JIT`) suggests `--team`.
 * - `--request` with a data folder that holds no grant store says no Accord runs there, not that the
 *   owner holds no such grant, and creates nothing.
 * The team, its operation, owner and category come from the agreements; the records from a seeded store.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDefaultPolicy } from '../../policy';
import { ENTITY_INTERFACES, formatGlobalId } from '../../schema';
import { openStore, storeFile } from '../../subgraphs/reference';
import { cli } from './support';

const policy = loadDefaultPolicy();

/** A joint team's clause, its requester (a member of the team) and an owner whose records it scopes. */
const TEAM = (() => {
  for (const agreement of policy.set.agreements) {
    for (const clause of agreement.clauses) {
      const team = clause.conditions.jointTeam;
      if (team === undefined) continue;
      const requester = Object.keys(team.members)[0]!;
      const owner = agreement.parties.find((party) => party !== requester);
      if (owner === undefined) continue;
      return {
        agreement: agreement.id,
        clause: clause.id,
        team,
        requester,
        analyst: team.members[requester]![0]!,
        owner,
        category: Object.keys(clause.categories)[0]!,
        purpose: clause.purposes[0]!,
        // Inside the team's validity and the agreement's force.
        at: `${team.validFrom}T12:00:00Z`,
      };
    }
  }
  throw new Error('no clause scoped to a joint team in the agreements');
})();

let dir: string;
/** A record of the owner's linked to the team's operation, and one linked to none, as the store holds them. */
let inScope: string;
let outOfScope: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'accord-newcomer-explain-'));
  // The owner's store as its service seeds it on first start (npm start), small.
  const store = openStore({ country: TEAM.owner, file: storeFile(TEAM.owner, dir), size: 30 });
  try {
    const records = ENTITY_INTERFACES.flatMap((kind) => [
      ...store
        .load(
          kind,
          Array.from({ length: store.counts[kind] }, (_, i) => formatGlobalId(TEAM.owner, kind, i + 1)),
        )
        .values(),
    ]) as { id: string; operations?: readonly string[] }[];
    inScope = records.find((r) => r.operations?.includes(TEAM.team.operation))!.id;
    outOfScope = records.find((r) => (r.operations ?? []).length === 0)!.id;
  } finally {
    store.close();
  }
  expect({ inScope, outOfScope }).toEqual({ inScope: expect.any(String), outOfScope: expect.any(String) });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Explained {
  question: { record?: { id?: string; operations?: string[] }; recordSource?: string };
  decision: { effect: string };
  determining?: { agreement: string; clause: string };
}

/** `explain` as the team's analyst (`analyst` null: as no named analyst), with `extra` options. */
function explain(extra: readonly string[], format = 'json', analyst: string | null = TEAM.analyst) {
  return cli([
    'explain',
    '--requester',
    TEAM.requester,
    ...(analyst === null ? [] : ['--analyst', analyst]),
    '--purpose',
    TEAM.purpose,
    '--owner',
    TEAM.owner,
    '--category',
    TEAM.category,
    '--at',
    TEAM.at,
    ...extra,
    '--format',
    format,
  ]);
}

describe('explain --record-id', () => {
  it("looks the record up in its owner's store: in the team's operation, the team's clause releases", () => {
    const run = explain(['--team', TEAM.team.id, '--record-id', inScope, '--data-dir', dir]);
    expect({ status: run.status, err: run.err }).toEqual({ status: 0, err: '' });
    const explained = JSON.parse(run.out) as Explained;
    expect(explained.question.record?.operations).toContain(TEAM.team.operation);
    expect(explained.decision.effect).toBe('release');
    expect(explained.determining).toMatchObject({ agreement: TEAM.agreement, clause: TEAM.clause });
  });

  it('a record outside the operation is not released under the team’s clause, and the text says where its facts come from', () => {
    const run = explain(['--team', TEAM.team.id, '--record-id', outOfScope, '--data-dir', dir], 'text');
    expect(run.status).toBe(0);
    expect(run.out).toMatch(new RegExp(`- Record: ${outOfScope}, linked to no operation.*record store`));
    const json = JSON.parse(
      explain(['--team', TEAM.team.id, '--record-id', outOfScope, '--data-dir', dir]).out,
    ) as Explained;
    expect(json.determining?.clause).not.toBe(TEAM.clause);
  });

  it('an id the store does not hold is refused (exit 2), naming the store', () => {
    const missing = formatGlobalId(TEAM.owner, ENTITY_INTERFACES[0]!, 999_999);
    const run = explain(['--record-id', missing, '--data-dir', dir]);
    expect(run.status).toBe(2);
    expect(run.err).toContain(`holds no record ${missing}`);
  });

  it('a folder without the owner’s store: the record is explained by its id, and the text says it was not looked up', () => {
    const empty = join(dir, 'no-store');
    const run = explain(['--record-id', inScope, '--data-dir', empty], 'text');
    expect(run.status).toBe(0);
    expect(run.out).toMatch(/not looked up: .*holds no record store/);
    expect(existsSync(empty)).toBe(false);
  });
});

describe('explain, spelt as an analyst would', () => {
  it('--jit suggests --team, and --request-ref suggests --request', () => {
    const jit = explain(['--jit', TEAM.team.id]);
    expect(jit.status).toBe(2);
    expect(jit.err).toContain('unknown option --jit (did you mean --team');
    const ref = explain(['--request-ref', 'MLA-1']);
    expect(ref.status).toBe(2);
    expect(ref.err).toContain('unknown option --request-ref (did you mean --request');
  });
});

describe('explain --request with a data folder that holds no grant store', () => {
  it('says no Accord runs there (exit 2), naming the folder, and creates nothing', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'accord-newcomer-no-grants-'));
    try {
      const run = explain(['--request', 'MLA-2026-0042', '--data-dir', elsewhere]);
      expect({ status: run.status, out: run.out }).toEqual({ status: 2, out: '' });
      expect(run.err).toContain(`No Accord runs in ${elsewhere}`);
      expect(run.err).toContain(`${TEAM.owner}'s grant store`);
      expect(run.err).not.toMatch(/holds no such grant/);
      expect(readdirSync(elsewhere)).toEqual([]);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

describe('explain without --analyst', () => {
  const asked = (withAnalyst: boolean, format: string) =>
    explain(['--team', TEAM.team.id], format, withAnalyst ? TEAM.analyst : null);

  it('says the analyst shown is a stand-in, and how to name one (a joint team reads the name)', () => {
    const text = asked(false, 'text');
    expect(text.status).toBe(0);
    expect(text.out).toMatch(/- Asked by: .* \(no analyst named, so a stand-in: give --analyst NAME/);
    const json = JSON.parse(asked(false, 'json').out) as { question: { analystStandIn?: boolean } };
    expect(json.question.analystStandIn).toBe(true);
  });

  it('a named analyst is shown as named, with no such note', () => {
    const text = asked(true, 'text');
    expect(text.out).toContain(`analyst ${TEAM.analyst}, purpose`);
    expect(text.out).not.toContain('stand-in');
    const json = JSON.parse(asked(true, 'json').out) as { question: { analystStandIn?: boolean } };
    expect(json.question.analystStandIn).toBeUndefined();
  });
});
