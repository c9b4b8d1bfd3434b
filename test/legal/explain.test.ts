/**
 * `explain`: the decision and the reasoning, down to the failing condition, for a field of the supergraph
 * or a category; clear errors with the nearest valid names for every bad input.
 */
import { loadDefaultPolicy, type Grant, type RequestContext } from '../../policy';
import { readCommittedSupergraph } from '../../schema';
import { CATEGORIES } from '../../vocabulary';
import { explainRequest, LegalInputError, readFieldCatalog } from '../../legal';
import { modelDecide } from '../../legal/model';
import { modelQuestionOf } from '../../legal/modelQuestion';
import { cli, TODAY, TODAY_TEXT } from './support';

const policy = loadDefaultPolicy();
const fields = readFieldCatalog(readCommittedSupergraph());
const kr: RequestContext = {
  country: 'KR',
  analyst: 'choi.m',
  roles: ['analyst'],
  purpose: 'investigation',
  caseReference: 'KR-CASE-1',
};

describe('explainRequest', () => {
  test('a withheld field: every clause considered, the exact failing condition, the field null', () => {
    const explanation = explainRequest(
      { policy, fields },
      { requester: kr, field: 'KHSuspect.financialAccounts', at: TODAY },
    );
    expect(explanation.question.owner).toBe('KH');
    expect(explanation.question.category).toBe('financial.accounts');
    expect(explanation.decision.effect).toBe('withhold');
    expect(explanation.standing).toBe('conditions-unmet');
    expect(explanation.delivered).toBe(false);
    const mlat = explanation.considered.find(
      (item) => item.agreement === 'kr-kh-mlat-2021' && item.clause === 'proceeds',
    );
    expect(mlat).toMatchObject({ applies: false, effect: 'release', failed: { kind: 'requestReference' } });
    expect(explanation.decision.routes.map((route) => route.text)).toContain(
      'KR–KH MLAT 2021 art. 1(2)(g): needs a request reference (Accord-Request-Ref: the formal request for mutual legal assistance)',
    );
  });

  test("a release names the determining clause, its obligations and the owner's domestic gate (second key)", () => {
    // The owner decides: it knows the record and holds the grant the request reference names.
    const grant: Grant = {
      id: 'MLA/KH/1',
      owner: 'KR',
      requesterCountry: 'KH',
      analysts: ['heng.p'],
      caseReference: 'KH-CAS-000001',
      purpose: 'investigation',
      agreement: 'kr-kh-mlat-2021',
      clauses: ['persons-and-records'],
      subjects: ['KR-SUS-000001'],
      categories: ['person.identity'],
      validFrom: TODAY - 86_400_000,
      validUntil: TODAY + 86_400_000,
      evidentiaryUse: true,
    };
    const requester = {
      ...kr,
      country: 'KH',
      analyst: 'heng.p',
      caseReference: 'KH-CAS-000001',
      requestReference: 'MLA/KH/1',
    };
    const question = { requester, field: 'KRSuspect.fullName', at: TODAY, record: { id: 'KR-SUS-000001' } };
    // A reference the owner holds no grant for opens nothing more than none.
    expect(explainRequest({ policy, fields }, { ...question, grants: new Map() }).decision.effect).toBe(
      'hit-only',
    );
    const explanation = explainRequest(
      { policy, fields },
      { ...question, grants: new Map([[grant.id, grant]]) },
    );
    expect(explanation.decision.effect).toBe('release');
    expect(explanation.decision.grant).toBe('MLA/KH/1');
    expect(explanation.delivered).toBe(true);
    expect(explanation.determining).toMatchObject({
      agreement: 'kr-kh-mlat-2021',
      clause: 'persons-and-records',
      applies: true,
    });
    expect(explanation.obligations?.handlingCode).toBe('H2');
    expect(explanation.gate?.title).toBe('KR domestic gate (PIPA)');
    expect(explanation.gate?.checks.find((check) => check.basis === 'MLAT')).toMatchObject({
      allowed: true,
      citations: ['PIPA art. 18(2)(6)', 'PIPA art. 28-8(1)'],
    });
  });

  test('"forbidden" (domestic gate) is told apart from "not covered"', () => {
    const forbidden = explainRequest(
      { policy },
      {
        requester: { ...kr, country: 'KH', purpose: 'victim_identification' },
        owner: 'KR',
        category: 'person.identity',
        at: TODAY,
      },
    );
    expect(forbidden.standing).toBe('forbidden');
    expect(forbidden.gate?.checks.find((check) => check.basis === 'HIT_ONLY')?.allowed).toBe(false);
    const uncovered = explainRequest(
      { policy },
      { requester: kr, owner: 'KH', category: 'victim.welfare', at: TODAY },
    );
    expect(uncovered.standing).toBe('not-covered');
  });

  test('agrees with the reference model (legal/model, no code shared with the engine) for every category and both directions', () => {
    let delivered = 0;
    for (const category of CATEGORIES) {
      for (const [requester, owner] of [
        [kr, 'KH'],
        [{ ...kr, country: 'TH', analyst: 'somchai.k' }, 'KR'],
      ] as const) {
        const explanation = explainRequest({ policy }, { requester, owner, category, at: TODAY });
        const model = modelDecide(policy.set, modelQuestionOf({ requester, owner, category, at: TODAY }));
        const clause =
          explanation.determining === undefined
            ? undefined
            : `${explanation.determining.agreement}/${explanation.determining.clause}`;
        expect({
          category,
          owner,
          effect: explanation.decision.effect,
          reason: explanation.decision.reason,
          clause,
        }).toEqual({
          category,
          owner,
          effect: model.effect,
          reason: model.reason,
          clause: model.clause,
        });
        // The analyst sees the value only when it is released (a hit gives the reference, nothing more).
        expect(explanation.delivered).toBe(
          model.effect === 'release' || (model.effect === 'hit-only' && category === 'meta.reference'),
        );
        if (explanation.delivered) delivered++;
      }
    }
    // Not vacuous: the two directions release some categories and withhold others.
    expect(delivered).toBeGreaterThan(0);
    expect(delivered).toBeLessThan(CATEGORIES.length * 2);
  });

  test.each([
    [{ field: 'KHSuspect.pasportNumbers' }, /did you mean KHSuspect\.passportNumbers/],
    [{ field: 'KHSuspec.fullName' }, /no record type 'KHSuspec' \(did you mean KHSuspect/],
    [
      { field: 'KHSuspect.fullName', owner: 'TH' },
      /field of KH records, but the owner given is TH: use THSuspect\.fullName/,
    ],
    [
      { owner: 'KH', category: 'person.identiy' },
      /unknown category 'person.identiy' \(did you mean person.identity\?/,
    ],
    [{ owner: 'KX', category: 'person.identity' }, /unknown owner country 'KX' \(did you mean KH, KR\?/],
    [{ owner: 'KH' }, /give a field .* or a data category/],
  ])('bad input %j is refused with the nearest valid names', (question, message) => {
    expect(() => explainRequest({ policy, fields }, { requester: kr, at: TODAY, ...question })).toThrow(
      LegalInputError,
    );
    expect(() => explainRequest({ policy, fields }, { requester: kr, at: TODAY, ...question })).toThrow(
      message,
    );
  });

  test("an interface coordinate with an owner names the owner's field", () => {
    expect(
      explainRequest(
        { policy, fields },
        { requester: kr, owner: 'KH', field: 'Suspect.passportNumbers', at: TODAY },
      ).question.field?.coordinate,
    ).toBe('KHSuspect.passportNumbers');
  });
});

describe('npm run policy -- explain', () => {
  test('prints the question, decision, each clause with its failing condition, gate, routes and revision', () => {
    const run = cli([
      'explain',
      '--requester',
      'KR',
      '--purpose',
      'investigation',
      '--field',
      'KHSuspect.passportNumbers',
      '--case',
      'KR-CASE-1',
      '--at',
      TODAY_TEXT,
    ]);
    expect(run).toMatchObject({ status: 0, err: '' });
    expect(run.out).toContain(
      '# Explain: KHSuspect.passportNumbers (person.identity) of a KH record, asked by KR',
    );
    expect(run.out).toContain('## Decision: HIT-ONLY — hit only (HIT_ONLY)');
    expect(run.out).toContain('KHSuspect.passportNumbers is null for the analyst');
    expect(run.out).toMatch(
      /✗ KR–KH MLAT 2021 art\. 1\(2\)\(b\)–\(c\) .*\n {4}- fails: needs a request reference/,
    );
    expect(run.out).toMatch(/✓ Breaking Chains Operation 2025 para\. 3 .* — DETERMINES THE DECISION/);
    expect(run.out).toContain('agreements/instruments/kr-kh-mlat-2021.yaml:17');
    expect(run.out).toContain('KH has declared no domestic release gate in this set.');
    expect(run.out).toContain(
      `Agreement set revision: ${policy.revision} (SHA-256 of what the agreements say, not a git commit`,
    );
    expect(run.out).toContain('> ILLUSTRATIVE');
  });

  test('--format json gives the explanation as data', () => {
    const run = cli([
      'explain',
      '--requester',
      'KH',
      '--owner',
      'KR',
      '--category',
      'victim.location',
      '--purpose',
      'victim_rescue',
      '--emergency',
      'Victims confined',
      '--emergency-at',
      '2026-06-01T10:00Z',
      '--at',
      '2026-06-01T12:00Z',
      '--format',
      'json',
    ]);
    expect(run.status).toBe(0);
    const explanation = JSON.parse(run.out);
    expect(explanation.decision).toMatchObject({
      effect: 'release',
      clauses: [{ agreement: 'alliance-emergency-2025' }],
    });
    expect(explanation.gate.checks).toEqual(
      expect.arrayContaining([expect.objectContaining({ basis: 'EMERGENCY', allowed: true })]),
    );
  });

  test.each([
    [
      [
        'explain',
        '--requester',
        'KR',
        '--purpose',
        'investgation',
        '--category',
        'person.identity',
        '--owner',
        'KH',
      ],
      "unknown purpose 'investgation' (did you mean investigation?",
    ],
    [
      [
        'explain',
        '--requester',
        'KR',
        '--purpose',
        'investigation',
        '--category',
        'person.identity',
        '--ownr',
        'KH',
      ],
      'unknown option --ownr (did you mean --owner?',
    ],
    [
      [
        'explain',
        '--requester',
        'KR',
        '--category',
        'person.identity',
        '--owner',
        'KH',
        '--at',
        '2026-02-30',
      ],
      "'2026-02-30' is not a valid --at",
    ],
    [['explan'], "unknown command 'explan' (did you mean explain?"],
    [['explain', '--purpose', 'investigation'], 'explain needs --requester'],
  ])('%j: exit 2 with a clear message', (argv, message) => {
    const run = cli(argv);
    expect(run.status).toBe(2);
    expect(run.err).toContain(message);
  });
});
