// Search as an oracle, end to end over HTTP through the gateway: the attacks of the security review
// (issue 10, item 1), each beside the same search by someone the agreements do let find the record, so a
// refusal is the policy's and not an empty index. The full table is test/subgraphs/search-oracle.test.ts.
import { openAuditReader, type CrossingBody } from '../../audit';
import {
  DEMO_IDS,
  openStore,
  type CaseRecord,
  type SuspectRecord,
  type VictimRecord,
} from '../../subgraphs/reference';
import { sqliteAuditBackend, type AuditBackend } from '../support/auditBackends';
import { TEST_NOW, analyst, startAlliance, type Alliance, type GraphQLAnswer } from '../support/alliance';

const TH = analyst('TH', 'somchai.p', { purpose: 'investigation', case: 'TH-CAS-000001' });
const VN = analyst('VN', 'nguyen.t', { purpose: 'investigation', case: 'VN-CAS-000001' });
const PH = analyst('PH', 'santos.m', { purpose: 'investigation', case: 'PH-CAS-000001' });
const KR = analyst('KR', 'lee.h', { purpose: 'investigation', case: 'KR-CAS-000001' });

// The values come from KR's records as its store holds them, not from this file.
const kr = openStore({ country: 'KR', file: ':memory:' });
const tiger = kr.load('Suspect', [DEMO_IDS.tigerKR]).get(DEMO_IDS.tigerKR) as SuspectRecord;
const victim = kr.load('Victim', [DEMO_IDS.confinedVictimKR]).get(DEMO_IDS.confinedVictimKR) as VictimRecord;
const caseRecord = kr
  .load('Case', [DEMO_IDS.voicePhishingCaseKR])
  .get(DEMO_IDS.voicePhishingCaseKR) as CaseRecord;
kr.close();
const digits = (value: string): string => value.replace(/\D/g, '');
const bankAccount = digits(tiger.financialAccounts.find((account) => /\d{6}/.test(account.number))!.number);

/** One aliased search per term, asking KR only: `t0: search(term: "…", countries: ["KR"]) { … }`. */
function searches(terms: readonly string[]): string {
  return `{ ${terms.map((term, i) => `t${i}: search(term: ${JSON.stringify(term)}, countries: ["KR"]) { suspects { id } cases { id } victims { id } }`).join(' ')} }`;
}

/** The ids every aliased search found, per alias. */
function found(answer: GraphQLAnswer): string[][] {
  const data = answer.body.data ?? {};
  return Object.keys(data)
    .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
    .map((alias) =>
      ((data[alias] ?? []) as Record<string, { id: string }[] | null>[]).flatMap((national) =>
        Object.values(national).flatMap((list) => (list ?? []).map((hit) => hit.id)),
      ),
    );
}

describe('search is no oracle for categories the requester may not see (over HTTP)', () => {
  let alliance: Alliance;
  beforeAll(async () => {
    alliance = await startAlliance();
  });
  afterAll(async () => {
    await alliance?.stop();
  });

  it("a TH analyst cannot rebuild a KR suspect's bank account or phones digit by digit", async () => {
    const prefixes = (value: string): string[] =>
      Array.from({ length: value.length - 4 }, (_, i) => value.slice(0, i + 4));
    const terms = [
      ...prefixes(bankAccount),
      ...tiger.phones.flatMap((phone) => prefixes(digits(phone)).slice(-4)),
    ];
    // A few aliases per request, as the gateway's operation limits allow.
    for (let i = 0; i < terms.length; i += 3) {
      const answer = await alliance.query(searches(terms.slice(i, i + 3)), { headers: TH });
      expect(answer.status).toBe(200);
      expect(found(answer).flat()).not.toContain(DEMO_IDS.tigerKR);
    }
    // The whole number neither: TH's basis with KR covers no financial accounts and no contact data.
    expect(
      found(await alliance.query(searches([bankAccount, ...tiger.phones]), { headers: TH })).flat(),
    ).not.toContain(DEMO_IDS.tigerKR);
    // KR's own police find the suspect by the same prefix: the index holds it.
    expect(found(await alliance.query(searches([bankAccount.slice(0, 6)]), { headers: KR }))[0]).toContain(
      DEMO_IDS.tigerKR,
    );
  });

  it('a prefix of an identifier never matches across a border, even where its category is released', async () => {
    // PH may see KR's contact data: the whole phone finds the suspect, a prefix of it does not.
    const phone = digits(tiger.phones[0]!);
    const [whole, prefix] = found(
      await alliance.query(searches([phone, phone.slice(0, -2)]), { headers: PH }),
    );
    expect(whole).toContain(DEMO_IDS.tigerKR);
    expect(prefix).not.toContain(DEMO_IDS.tigerKR);
  });

  it('VN, with only a hit on identity, finds a KR suspect by name but not by phone', async () => {
    const [byPhone, byName] = found(
      await alliance.query(searches([tiger.phones[0]!, tiger.fullName]), { headers: VN }),
    );
    expect(byPhone).not.toContain(DEMO_IDS.tigerKR);
    expect(byName).toContain(DEMO_IDS.tigerKR);
  });

  it("a TH analyst cannot confirm a KR victim's name, which PH may see", async () => {
    expect(found(await alliance.query(searches([victim.fullName]), { headers: TH }))[0]).not.toContain(
      victim.id,
    );
    expect(found(await alliance.query(searches([victim.fullName]), { headers: PH }))[0]).toContain(victim.id);
  });

  it('a TH analyst cannot find a KR case by its case number, which KR finds', async () => {
    expect(found(await alliance.query(searches([caseRecord.caseNumber]), { headers: TH }))[0]).not.toContain(
      caseRecord.id,
    );
    expect(found(await alliance.query(searches([caseRecord.caseNumber]), { headers: KR }))[0]).toContain(
      caseRecord.id,
    );
  });
});

describe("an owner's query budget (over HTTP)", () => {
  const LIMIT = 3;
  let alliance: Alliance;
  let backend: AuditBackend;
  let logs: ReturnType<AuditBackend['forAlliance']>;
  // The budget's own clock, stepped by hand; the decision clock stays fixed at TEST_NOW throughout.
  let budgetNow = 0;
  beforeAll(async () => {
    backend = sqliteAuditBackend();
    logs = backend.forAlliance();
    alliance = await startAlliance({
      searchTermsPerMinute: LIMIT,
      audit: logs,
      now: () => TEST_NOW,
      searchClock: () => budgetNow,
    });
  });
  afterAll(async () => {
    await alliance?.stop();
    await backend?.close();
  });

  it('refuses distinct terms beyond the limit with a code that says nothing of records, records the refusal, and refills after a minute', async () => {
    const budgetErrors = (answer: GraphQLAnswer) =>
      (answer.body.errors ?? []).filter((e) => e.extensions?.['code'] === 'SEARCH_BUDGET_EXCEEDED');
    // Three distinct terms (one asked twice) fit the budget.
    const first = await alliance.query(
      searches([tiger.fullName, 'Nobody Anywhere', tiger.fullName, 'Tiger']),
      { headers: VN },
    );
    expect(budgetErrors(first)).toEqual([]);
    expect(found(first)[0]).toContain(DEMO_IDS.tigerKR);

    // A fourth is refused, alike whether KR holds it or not; a term already counted still answers.
    const over = await alliance.query(searches([tiger.fullName, 'Another Nobody']), { headers: VN });
    expect(found(over)[0]).toContain(DEMO_IDS.tigerKR);
    const again = await alliance.query(searches([tiger.aliases.find((a) => a !== 'Tiger')!]), {
      headers: VN,
    });
    expect(budgetErrors(over)).toHaveLength(1);
    expect(budgetErrors(again)).toHaveLength(1);
    const shape = (answer: GraphQLAnswer) =>
      budgetErrors(answer).map((e) => ({ message: e.message, extensions: e.extensions }));
    expect(shape(again)).toEqual(shape(over));
    expect(budgetErrors(over)[0]!.extensions).toEqual({ code: 'SEARCH_BUDGET_EXCEEDED', country: 'KR' });

    // Another analyst has a budget of their own; the owner's own police have none.
    expect(
      budgetErrors(
        await alliance.query(searches(['Another Nobody']), {
          headers: analyst('VN', 'tran.b', { purpose: 'investigation', case: 'VN-CAS-000001' }),
        }),
      ),
    ).toEqual([]);
    expect(
      budgetErrors(await alliance.query(searches(['a1', 'b2', 'c3', 'd4', 'e5']), { headers: KR })),
    ).toEqual([]);

    // A minute later on the budget's clock, the budget is whole again, though decisions are still made
    // at the same fixed instant (as under ACCORD_CLOCK).
    budgetNow += 60_000;
    expect(budgetErrors(await alliance.query(searches(['Another Nobody']), { headers: VN }))).toEqual([]);

    // KR's log of disclosures holds both refusals.
    const url = [...logs.urls].find((u) => u.endsWith('-kr.db'))!;
    const reader = await openAuditReader(url);
    try {
      const bodies = (await reader.query({ kinds: ['disclosure'], limit: 1000 })).map(
        (f) => f.entry!.body as CrossingBody,
      );
      const refusals = bodies
        .filter((b) => b.analyst === 'nguyen.t')
        .flatMap((b) => b.fields.filter((f) => f.reason === 'SEARCH_BUDGET_EXCEEDED'));
      expect(refusals).toHaveLength(2);
      expect(refusals[0]).toMatchObject({ effect: 'withhold', category: 'meta.reference', clauses: [] });
    } finally {
      await reader.close();
    }
  });
});
