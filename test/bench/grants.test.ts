// The benchmark variants with grants in play run and do what their labels say: the decision mixes decide
// under the grant (or, without it in the book, never), and the gateway search with the reference gets the
// fields the owners' grants open while the same search without it does not. Short runs; no timing is
// asserted (docs/style.md, rule 11): only that a number came out.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDefaultPolicy } from '../../policy';
import { META_REFERENCE } from '../../vocabulary';
import { closedLoop } from '../../bench/harness';
import { runScenarios } from '../../bench/runner';
import { decisions, GRANT, MIX_NAMES, mixes, OTHER_SUBJECT } from '../../bench/scenarios/decisions';
import {
  gatewayGrants,
  GRANT_ID,
  startGrantSearch,
  type GrantSearch,
} from '../../bench/scenarios/gateway-grants';
import { MEMBERS } from '../../schema';
import { DEMO_IDS } from '../../subgraphs/reference';

const quietIo = { log: () => undefined };

/** A scenario context's clean-ups and folders, for building a scenario's alliance in a test. */
function testContext() {
  const cleanups: (() => unknown)[] = [];
  return {
    defer: (cleanup: () => unknown) => void cleanups.push(cleanup),
    async tempDir(prefix: string) {
      const dir = await mkdtemp(join(tmpdir(), `accord-bench-test-${prefix}-`));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      return dir;
    },
    async cleanUp() {
      for (const cleanup of cleanups.reverse()) await cleanup();
    },
  };
}

describe('decisions with grants in play', () => {
  const policy = loadDefaultPolicy();
  const inputs = mixes();

  it('decides the granted subject under the grant, for exactly the categories the grant and its clauses share', () => {
    // The oracle reads the agreement data, not the engine: the categories the grant's clauses name.
    const agreement = policy.set.agreements.find((a) => a.id === GRANT.agreement)!;
    const named = new Set(
      agreement.clauses
        .filter((clause) => GRANT.clauses.includes(clause.id))
        .flatMap((clause) => Object.keys(clause.categories)),
    );
    const expected = GRANT.categories
      .filter((category) => named.has(category))
      .map((category) => `${GRANT.subjects[0]} ${category}`);
    expect(expected.length).toBeGreaterThan(0);

    const underGrant = inputs[MIX_NAMES.granted]!.filter((input) => policy.decide(input).grant === GRANT.id);
    const released = underGrant
      .filter((input) => input.category !== META_REFERENCE)
      .map((input) => `${input.record!.id} ${input.category}`);
    expect(released.sort()).toEqual(expected.sort());
    for (const input of underGrant) expect(policy.decide(input).effect).toBe('release');
    expect(underGrant.some((input) => input.record!.id === OTHER_SUBJECT)).toBe(false);
  });

  it('decides the same requests with no grant in the book under no grant, and releases none of the granted categories', () => {
    const mix = inputs[MIX_NAMES.ungranted]!;
    expect(mix.map((input) => `${input.record!.id} ${input.category}`)).toEqual(
      inputs[MIX_NAMES.granted]!.map((input) => `${input.record!.id} ${input.category}`),
    );
    for (const input of mix) {
      const decision = policy.decide(input);
      expect(decision.grant).toBeUndefined();
      if (GRANT.categories.includes(input.category)) expect(decision.effect).not.toBe('release');
    }
  });

  it('runs and reports a rate per mix and the ratios to the same requests without the grant and to the plain mixes', async () => {
    const [entry] = await runScenarios([decisions], { quick: true }, quietIo);
    expect(entry).toMatchObject({ status: 'ok' });
    for (const name of Object.values(MIX_NAMES)) {
      const figure = entry!.figures.find((f) => f.name.startsWith(`${name}:`));
      expect(figure?.value).toBeGreaterThan(0);
      expect(Number.isFinite(figure!.value)).toBe(true);
    }
    for (const metric of [
      'rate, grant in the book / same requests without',
      'rate, grant in the book / plain joint-team mix',
    ]) {
      expect(entry!.ratios.find((r) => r.metric === metric)?.value).toBeGreaterThan(0);
    }
  });
});

describe('gateway-grants: the search of every member with the owners\u2019 grant vs without', () => {
  type Answer = {
    data: { search: { country: string; suspects: { id: string; fullName: string | null }[] | null }[] };
    errors?: { path?: (string | number)[]; extensions?: { code?: string; owner?: string } }[];
    extensions?: { obligations?: Record<string, { releases: { grant?: string }[] }> };
  };
  let ctx: ReturnType<typeof testContext>;
  let search: GrantSearch;
  /** The last answer of each variant's load, read back from the text the sender checked. */
  const answers: Partial<Record<'grant' | 'none', Answer>> = {};

  beforeAll(async () => {
    ctx = testContext();
    search = await startGrantSearch(ctx);
    // A few iterations of each variant's load, through a sender that also keeps the last answer.
    for (const variant of ['grant', 'none'] as const) {
      const send = search.gateway.sender(search.body, search.headers[variant], (text) => {
        answers[variant] = JSON.parse(text) as Answer;
        return undefined;
      });
      const load = await closedLoop(send, { concurrency: 2, requests: 4 });
      expect(load.requests).toBe(4);
      const checked = await closedLoop(search.senders[variant], { concurrency: 2, requests: 4 });
      expect(checked.requests).toBe(4);
      expect(checked.throughput).toBeGreaterThan(0);
    }
  }, 120_000);

  afterAll(() => ctx?.cleanUp());

  it('has the follow-up approved by every owner whose data the treaty releases only on a formal request', () => {
    expect(Object.keys(search.grants).length).toBeGreaterThan(0);
    for (const [owner, grant] of Object.entries(search.grants)) {
      expect(grant).toMatchObject({ id: GRANT_ID, owner, requesterCountry: 'KR' });
      expect(grant.subjects.every((id) => id.startsWith(`${owner}-`))).toBe(true);
    }
  });

  it('with the reference, every member names every suspect, and each granting owner cites its grant', () => {
    const answer = answers.grant!;
    expect(answer.errors).toBeUndefined();
    expect(answer.data.search.map((s) => s.country).sort()).toEqual(MEMBERS.map((m) => m.code).sort());
    // The members the scenario puts a Tiger record in (DEMO_IDS.tigerKR, …): a member added since has none.
    const tigerHolders = new Set(
      Object.entries(DEMO_IDS)
        .filter(([name]) => name.startsWith('tiger'))
        .map(([, id]) => id.slice(0, id.indexOf('-'))),
    );
    expect(
      answer.data.search
        .filter((s) => (s.suspects ?? []).length > 0)
        .map((s) => s.country)
        .sort(),
    ).toEqual(
      MEMBERS.map((m) => m.code)
        .filter((code) => tigerHolders.has(code))
        .sort(),
    );
    for (const result of answer.data.search) {
      for (const suspect of result.suspects ?? []) expect(suspect.fullName).toEqual(expect.any(String));
    }
    for (const owner of Object.keys(search.grants)) {
      expect(
        answer.extensions?.obligations?.[owner]?.releases.some((release) => release.grant === GRANT_ID),
      ).toBe(true);
    }
  });

  it('without it, the owners that release names only under the grant give hits and follow-up refusals, and nothing cites the grant', () => {
    const answer = answers.none!;
    const withheld = answer.data.search
      .filter((s) => s.suspects?.some((x) => x.fullName === null))
      .map((s) => s.country);
    expect(withheld.length).toBeGreaterThan(0);
    for (const owner of withheld) expect(search.grants[owner]).toBeDefined();
    for (const result of answer.data.search.filter((s) => withheld.includes(s.country))) {
      for (const suspect of result.suspects!) {
        expect(suspect.id.startsWith(`${result.country}-`)).toBe(true);
        expect(suspect.fullName).toBeNull();
      }
    }
    expect(answer.errors?.length).toBeGreaterThan(0);
    for (const error of answer.errors!)
      expect(error.extensions).toMatchObject({ code: 'FOLLOW_UP_REQUIRED' });
    expect(new Set(answer.errors!.map((error) => error.extensions!.owner))).toEqual(new Set(withheld));
    expect(JSON.stringify(answer.extensions ?? {})).not.toContain(GRANT_ID);
  });

  it('asking only ids, both get the same records, and with the reference the owners still decide under their grant', async () => {
    const withGrant = (await search.gateway.post(search.idsBody, search.headers.grant)) as Answer;
    const without = (await search.gateway.post(search.idsBody, search.headers.none)) as Answer;
    expect(withGrant.data).toEqual(without.data);
    expect(withGrant.data.search.flatMap((s) => s.suspects ?? []).length).toBeGreaterThan(0);
    for (const owner of Object.keys(search.grants)) {
      expect(
        withGrant.extensions?.obligations?.[owner]?.releases.some((release) => release.grant === GRANT_ID),
      ).toBe(true);
    }
    expect(JSON.stringify(without.extensions ?? {})).not.toContain(GRANT_ID);
    for (const variant of ['idsGrant', 'idsNone'] as const)
      expect((await closedLoop(search.senders[variant], { concurrency: 2, requests: 4 })).requests).toBe(4);
  });

  it('runs as a scenario and reports both throughputs and their ratio', async () => {
    const [entry] = await runScenarios([gatewayGrants], { quick: true }, quietIo);
    expect(entry).toMatchObject({ status: 'ok' });
    for (const name of ['A, reference to the grants: throughput', 'B, no reference: throughput']) {
      expect(entry!.figures.find((f) => f.name === name)?.value).toBeGreaterThan(0);
    }
    expect(entry!.ratios.find((r) => r.metric === 'throughput A (grant) / B (none)')?.value).toBeGreaterThan(
      0,
    );
  }, 180_000);
});
