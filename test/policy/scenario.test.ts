/**
 * The five-country scenario of docs/domain.md, clause by clause: what each agreement gives, with its conditions
 * met and unmet, inside and outside its validity windows, and the KR domestic gate (two keys).
 * Default time: 2026-06-01 (every scenario instrument in force, the joint team active).
 */
import { shippedPolicy } from './shippedPolicy';
import { CATEGORIES, PURPOSES } from '../../vocabulary';
import { ANALYSTS, expectDecision, OPERATION, toInput, type Extra, type Question } from './expectDecision';

const policy = shippedPolicy();
const linked = { operations: [OPERATION], sourceGrade: 'A' };
const unlinked = { operations: ['OTHER-OP'], sourceGrade: 'A' };

type Row = [label: string, question: Question, expected: string, extra?: Extra];

function table(rows: readonly Row[]): void {
  test.each(rows.map((row) => [row[0], row] as const))('%s', (_label, [, question, expected, extra]) => {
    expectDecision(policy, question, expected, extra);
  });
}

describe('KR–KH MLAT 2021 (request reference; evidentiary use)', () => {
  table([
    [
      'KH gets KR identity with a request reference',
      { from: 'KH', owner: 'KR', category: 'person.identity', purpose: 'investigation', request: true },
      'release kr-kh-mlat-2021/persons-and-records',
    ],
    [
      'without it, only the Breaking Chains hit; the route names the request reference',
      { from: 'KH', owner: 'KR', category: 'person.identity', purpose: 'investigation' },
      'hit-only breaking-chains-operation-2025/index-hits',
      { route: 'KR–KH MLAT 2021 art. 1(2)(b)–(c): needs a request reference' },
    ],
    [
      'KR gets KH bank accounts for asset tracing',
      { from: 'KR', owner: 'KH', category: 'financial.accounts', purpose: 'asset_tracing', request: true },
      'release kr-kh-mlat-2021/proceeds',
    ],
    [
      '… not without the request reference',
      { from: 'KR', owner: 'KH', category: 'financial.accounts', purpose: 'asset_tracing' },
      'withhold CONDITION_UNMET',
      { route: 'needs a request reference' },
    ],
    [
      '… not for locating a fugitive (purpose)',
      {
        from: 'KR',
        owner: 'KH',
        category: 'financial.accounts',
        purpose: 'fugitive_location',
        request: true,
      },
      'withhold PURPOSE_NOT_COVERED',
      { route: 'needs one of the purposes: asset_tracing' },
    ],
    [
      'subscriber and traffic data',
      { from: 'KR', owner: 'KH', category: 'telecom.traffic', purpose: 'investigation', request: true },
      'release kr-kh-mlat-2021/telecom-records',
    ],
    [
      'never message content',
      {
        from: 'KR',
        owner: 'KH',
        category: 'telecom.content',
        purpose: 'judicial_evidence',
        request: true,
        warrant: true,
      },
      'withhold CATEGORY_NOT_COVERED',
    ],
    [
      'the day before entry into force (24 Feb 2021)',
      {
        from: 'KH',
        owner: 'KR',
        category: 'person.criminal_record',
        purpose: 'investigation',
        request: true,
        at: '2021-02-23T23:59:59Z',
      },
      'withhold NOT_IN_FORCE',
      { route: 'in force only from 2021-02-24' },
    ],
    [
      'from its first day',
      {
        from: 'KH',
        owner: 'KR',
        category: 'person.criminal_record',
        purpose: 'investigation',
        request: true,
        at: '2021-02-24T00:00:00Z',
      },
      'release kr-kh-mlat-2021/persons-and-records',
    ],
    [
      'MLAT ranks before the task force when both apply',
      {
        from: 'KH',
        owner: 'KR',
        category: 'person.identity',
        purpose: 'investigation',
        request: true,
        team: true,
        record: linked,
      },
      'release kr-kh-mlat-2021/persons-and-records',
    ],
  ]);

  test('MLAT obligations travel with the data, and the KR gate cites the treaty ground', () => {
    const decision = policy.decide(
      toInput({
        from: 'KH',
        owner: 'KR',
        category: 'person.identity',
        purpose: 'investigation',
        request: true,
        grantClause: 'kr-kh-mlat-2021/persons-and-records',
      }),
    );
    // The grant the release relied on is cited with the obligations.
    expect(decision.grant).toBe('MLA/KH/2026/17');
    expect(decision.obligations).toEqual({
      handlingCode: 'H2',
      onwardTransfer: 'with_consent',
      evidentiaryUse: 'allowed',
      retentionDays: 1825,
      notifySource: false,
      grant: 'MLA/KH/2026/17',
    });
    expect(decision.gate).toEqual({
      owner: 'KR',
      title: 'KR domestic gate (PIPA)',
      citations: ['PIPA art. 18(2)(6)', 'PIPA art. 28-8(1)'],
    });
    expect(decision.clauses).toEqual([
      {
        agreement: 'kr-kh-mlat-2021',
        clause: 'persons-and-records',
        title: 'KR–KH MLAT 2021',
        citation: 'art. 1(2)(b)–(c)',
      },
    ]);
  });
});

describe('KR–KH Joint Task Force 2025 (members, operation scope, one-year window)', () => {
  table([
    [
      'a KH member gets a KR person location on the operation',
      {
        from: 'KH',
        owner: 'KR',
        category: 'person.location',
        purpose: 'investigation',
        team: true,
        record: linked,
      },
      'release kr-kh-joint-task-force-2025/operational-data',
    ],
    [
      'a KR member gets KH compound locations',
      {
        from: 'KR',
        owner: 'KH',
        category: 'compound.location',
        purpose: 'victim_rescue',
        team: true,
        record: linked,
      },
      'release kr-kh-joint-task-force-2025/operational-data',
    ],
    [
      'a record outside the operation',
      {
        from: 'KH',
        owner: 'KR',
        category: 'person.location',
        purpose: 'investigation',
        team: true,
        record: unlinked,
      },
      'withhold CONDITION_UNMET',
      { route: `needs a record linked to operation ${OPERATION}`, recordDependent: false },
    ],
    [
      'before the record is known: left to the owner',
      { from: 'KH', owner: 'KR', category: 'person.location', purpose: 'investigation', team: true },
      'withhold CONDITION_UNMET',
      { recordDependent: true },
    ],
    [
      'identity before the record is known: a hit now, maybe more per record',
      { from: 'KH', owner: 'KR', category: 'person.identity', purpose: 'investigation', team: true },
      'hit-only breaking-chains-operation-2025/index-hits',
      { recordDependent: true },
    ],
    [
      'an analyst who is not a member',
      {
        from: 'KH',
        owner: 'KR',
        category: 'person.location',
        purpose: 'investigation',
        team: true,
        analyst: ANALYSTS.KH!.other,
        record: linked,
      },
      'withhold CONDITION_UNMET',
      { route: 'needs an analyst named as a member of joint team JTF-KR-KH-2025' },
    ],
    [
      'a member of another country with the same analyst id',
      {
        from: 'TH',
        owner: 'KR',
        category: 'person.location',
        purpose: 'investigation',
        team: true,
        analyst: 'sok.r',
        record: linked,
      },
      'withhold PURPOSE_NOT_COVERED',
    ],
    [
      'without declaring the team',
      { from: 'KH', owner: 'KR', category: 'person.location', purpose: 'investigation', record: linked },
      'withhold CONDITION_UNMET',
      { route: 'needs the joint-team id JTF-KR-KH-2025' },
    ],
    [
      'a wrong team id',
      {
        from: 'KH',
        owner: 'KR',
        category: 'person.location',
        purpose: 'investigation',
        team: 'JTF-OTHER',
        record: linked,
      },
      'withhold CONDITION_UNMET',
    ],
    [
      'before the arrangement is in force (2026-01-01)',
      {
        from: 'KH',
        owner: 'KR',
        category: 'person.location',
        purpose: 'investigation',
        team: true,
        record: linked,
        at: '2025-12-31T23:59:59Z',
      },
      'withhold NOT_IN_FORCE',
    ],
    [
      'last moment of the team window',
      {
        from: 'KH',
        owner: 'KR',
        category: 'person.location',
        purpose: 'investigation',
        team: true,
        record: linked,
        at: '2026-12-31T23:59:59Z',
      },
      'release kr-kh-joint-task-force-2025/operational-data',
    ],
    [
      'after the team window, arrangement still in force',
      {
        from: 'KH',
        owner: 'KR',
        category: 'person.location',
        purpose: 'investigation',
        team: true,
        record: linked,
        at: '2027-01-01T00:00:00Z',
      },
      'withhold CONDITION_UNMET',
      { route: 'acts only from 2026-01-01 to 2026-12-31' },
    ],
    [
      'compound intelligence from a grade A source',
      {
        from: 'KR',
        owner: 'KH',
        category: 'compound.intel',
        purpose: 'investigation',
        team: true,
        record: { operations: [OPERATION], sourceGrade: 'A2' },
      },
      'release kr-kh-joint-task-force-2025/compound-intelligence',
    ],
    [
      '… not from a grade C source',
      {
        from: 'KR',
        owner: 'KH',
        category: 'compound.intel',
        purpose: 'investigation',
        team: true,
        record: { operations: [OPERATION], sourceGrade: 'C3' },
      },
      'withhold CONDITION_UNMET',
      { route: 'needs a record of source grade B or better' },
    ],
    [
      '… nor an ungraded one',
      {
        from: 'KR',
        owner: 'KH',
        category: 'compound.intel',
        purpose: 'investigation',
        team: true,
        record: { operations: [OPERATION] },
      },
      'withhold CONDITION_UNMET',
      { recordDependent: false },
    ],
    [
      'strategic analysis of KH compounds (no personal data)',
      {
        from: 'KR',
        owner: 'KH',
        category: 'compound.location',
        purpose: 'strategic_analysis',
        team: true,
        record: linked,
      },
      'release kr-kh-joint-task-force-2025/joint-analysis',
    ],
    [
      'strategic analysis of KR data: no PIPA ground (two keys)',
      {
        from: 'KH',
        owner: 'KR',
        category: 'compound.location',
        purpose: 'strategic_analysis',
        team: true,
        record: linked,
      },
      'withhold DOMESTIC_GATE',
      { route: 'KR domestic gate (PIPA) has no ground' },
    ],
    [
      'strategic analysis never reaches personal data',
      {
        from: 'KR',
        owner: 'KH',
        category: 'person.identity',
        purpose: 'strategic_analysis',
        team: true,
        record: linked,
      },
      'withhold PURPOSE_NOT_COVERED',
    ],
    [
      'KR victim identity for a rescue by the team (PIPA 18(2)(7))',
      {
        from: 'KH',
        owner: 'KR',
        category: 'victim.identity',
        purpose: 'victim_rescue',
        team: true,
        record: linked,
      },
      'release kr-kh-joint-task-force-2025/operational-data',
    ],
  ]);

  test('task-force obligations: no onward transfer, no evidentiary use (evidence only via the MLAT)', () => {
    const decision = policy.decide(
      toInput({
        from: 'KH',
        owner: 'KR',
        category: 'person.location',
        purpose: 'investigation',
        team: true,
        record: linked,
      }),
    );
    expect(decision.obligations).toMatchObject({
      onwardTransfer: 'forbidden',
      evidentiaryUse: 'forbidden',
      handlingCode: 'H1',
    });
    expect(decision.gate?.citations).toEqual(['PIPA art. 18(2)(7)', 'PIPA art. 28-8(1)']);
  });
});

describe('KR–TH Police MoU 2019 (case reference; biometrics and border movements hit-only)', () => {
  table([
    [
      'TH gets KR identity with a case reference',
      { from: 'TH', owner: 'KR', category: 'person.identity', purpose: 'investigation', case: true },
      'release kr-th-police-mou-2019/information-exchange',
    ],
    [
      'KR gets TH wanted status',
      { from: 'KR', owner: 'TH', category: 'person.wanted_status', purpose: 'fugitive_location', case: true },
      'release kr-th-police-mou-2019/information-exchange',
    ],
    [
      'biometrics: a hit only',
      { from: 'TH', owner: 'KR', category: 'person.biometrics', purpose: 'investigation', case: true },
      'hit-only kr-th-police-mou-2019/information-exchange',
    ],
    [
      'border movements: a hit only',
      { from: 'KR', owner: 'TH', category: 'border.movements', purpose: 'border_alert', case: true },
      'hit-only kr-th-police-mou-2019/information-exchange',
    ],
    [
      'without a case reference: the multilateral hit',
      { from: 'TH', owner: 'KR', category: 'person.identity', purpose: 'investigation' },
      'hit-only breaking-chains-operation-2025/index-hits',
      { route: 'KR–TH Police MoU 2019 art. 3(1): needs a case reference' },
    ],
    [
      'case summary without a case reference',
      { from: 'TH', owner: 'KR', category: 'case.summary', purpose: 'investigation' },
      'withhold CONDITION_UNMET',
    ],
    [
      'no judicial evidence through the police channel',
      { from: 'TH', owner: 'KR', category: 'person.identity', purpose: 'judicial_evidence', case: true },
      'withhold PURPOSE_NOT_COVERED',
    ],
    [
      'not covered: financial data',
      { from: 'TH', owner: 'KR', category: 'financial.accounts', purpose: 'investigation', case: true },
      'withhold CATEGORY_NOT_COVERED',
    ],
    [
      'before the MoU (2019-11-25)',
      {
        from: 'TH',
        owner: 'KR',
        category: 'person.identity',
        purpose: 'investigation',
        case: true,
        at: '2019-11-24',
      },
      'withhold NOT_IN_FORCE',
    ],
  ]);

  test('police-channel obligations forbid evidentiary use', () => {
    const decision = policy.decide(
      toInput({ from: 'TH', owner: 'KR', category: 'person.identity', purpose: 'investigation', case: true }),
    );
    expect(decision.obligations).toMatchObject({ evidentiaryUse: 'forbidden', onwardTransfer: 'forbidden' });
  });
});

describe('KR–PH MLAT 2003 and Korean Desk MoU', () => {
  table([
    [
      'message content with a request reference and a judicial order',
      {
        from: 'PH',
        owner: 'KR',
        category: 'telecom.content',
        purpose: 'judicial_evidence',
        request: true,
        warrant: true,
      },
      'release kr-ph-mlat-2003/message-content',
    ],
    [
      '… not without the judicial order',
      { from: 'PH', owner: 'KR', category: 'telecom.content', purpose: 'judicial_evidence', request: true },
      'withhold CONDITION_UNMET',
      { route: 'needs a warrant or judicial order reference' },
    ],
    [
      '… not without the request reference',
      { from: 'KR', owner: 'PH', category: 'telecom.content', purpose: 'investigation', warrant: true },
      'withhold CONDITION_UNMET',
      { route: 'needs a request reference' },
    ],
    [
      'the Korean Desk locates a fugitive on a case reference',
      { from: 'KR', owner: 'PH', category: 'person.location', purpose: 'fugitive_location', case: true },
      'release kr-ph-korean-desk-mou-2012/liaison-exchange',
    ],
    [
      'with both channels met the MLAT determines',
      {
        from: 'KR',
        owner: 'PH',
        category: 'person.identity',
        purpose: 'investigation',
        case: true,
        request: true,
      },
      'release kr-ph-mlat-2003/persons-and-records',
    ],
    [
      'border movements: a desk hit, details via the MLAT',
      { from: 'KR', owner: 'PH', category: 'border.movements', purpose: 'investigation', case: true },
      'hit-only kr-ph-korean-desk-mou-2012/liaison-exchange',
      { route: 'KR–PH MLAT 2003 art. 1(4)(b)–(c): needs a request reference' },
    ],
    [
      'PH gets KR victim location for a rescue on the police channel',
      { from: 'PH', owner: 'KR', category: 'victim.location', purpose: 'victim_rescue', case: true },
      'release kr-ph-korean-desk-mou-2012/liaison-exchange',
    ],
    [
      'before the MLAT entered into force (model date 2008-11-17)',
      {
        from: 'KR',
        owner: 'PH',
        category: 'financial.transactions',
        purpose: 'asset_tracing',
        request: true,
        at: '2008-11-16',
      },
      'withhold NOT_IN_FORCE',
    ],
  ]);
});

describe('KR–VN MLAT 2003 and VN–KH MLA Treaty 2016 (in force 2020)', () => {
  table([
    [
      'VN traces KR proceeds',
      {
        from: 'VN',
        owner: 'KR',
        category: 'financial.transactions',
        purpose: 'asset_tracing',
        request: true,
      },
      'release kr-vn-mlat-2003/proceeds',
    ],
    [
      'VN asks a KR person location: no clause for that purpose',
      { from: 'VN', owner: 'KR', category: 'person.location', purpose: 'investigation', request: true },
      'withhold PURPOSE_NOT_COVERED',
      { route: 'Alliance Emergency Arrangement 2025 para. 2: needs one of the purposes: victim_rescue' },
    ],
    [
      'VN–KH: KH criminal records, after entry into force',
      {
        from: 'VN',
        owner: 'KH',
        category: 'person.criminal_record',
        purpose: 'investigation',
        request: true,
        at: '2020-06-01',
      },
      'release vn-kh-mla-2016/persons-and-records',
    ],
    [
      'VN–KH: signed 2016 but not yet in force in 2019',
      {
        from: 'VN',
        owner: 'KH',
        category: 'person.criminal_record',
        purpose: 'investigation',
        request: true,
        at: '2019-06-01',
      },
      'withhold NOT_IN_FORCE',
    ],
    [
      'KH gets VN identity',
      { from: 'KH', owner: 'VN', category: 'person.identity', purpose: 'arrest_extradition', request: true },
      'release vn-kh-mla-2016/persons-and-records',
    ],
    [
      'VN–KH: no telecom data',
      { from: 'KH', owner: 'VN', category: 'telecom.subscriber', purpose: 'investigation', request: true },
      'withhold CATEGORY_NOT_COVERED',
    ],
  ]);
});

describe('Breaking Chains Operation 2025 (all five, hit-only)', () => {
  table([
    [
      'TH–PH identity: a hit',
      { from: 'TH', owner: 'PH', category: 'person.identity', purpose: 'investigation' },
      'hit-only breaking-chains-operation-2025/index-hits',
    ],
    [
      'PH–VN compound location for a rescue: a hit',
      { from: 'PH', owner: 'VN', category: 'compound.location', purpose: 'victim_rescue' },
      'hit-only breaking-chains-operation-2025/index-hits',
    ],
    [
      'not covered: contact data',
      { from: 'TH', owner: 'PH', category: 'person.contact', purpose: 'investigation' },
      'withhold CATEGORY_NOT_COVERED',
    ],
    [
      'the reference goes with the hit',
      { from: 'TH', owner: 'PH', category: 'meta.reference', purpose: 'investigation' },
      'release breaking-chains-operation-2025/index-hits',
    ],
    [
      'the reference does not go where nothing would',
      { from: 'TH', owner: 'PH', category: 'meta.reference', purpose: 'judicial_evidence' },
      'withhold PURPOSE_NOT_COVERED',
    ],
    [
      'before the operation (2025-11-01)',
      { from: 'TH', owner: 'PH', category: 'person.identity', purpose: 'investigation', at: '2025-10-31' },
      'withhold NOT_IN_FORCE',
    ],
    [
      'after the operation (2027-10-31)',
      { from: 'TH', owner: 'PH', category: 'meta.reference', purpose: 'investigation', at: '2027-11-01' },
      'withhold NOT_IN_FORCE',
    ],
    [
      'KR data for victim identification: no PIPA ground (two keys)',
      { from: 'KH', owner: 'KR', category: 'person.identity', purpose: 'victim_identification' },
      'withhold DOMESTIC_GATE',
      { route: 'for a HIT_ONLY transfer for victim_identification' },
    ],
    [
      'KH data for victim identification: KH has no gate',
      { from: 'TH', owner: 'KH', category: 'person.identity', purpose: 'victim_identification' },
      'hit-only breaking-chains-operation-2025/index-hits',
    ],
    [
      'KR reference for victim identification: withheld too',
      { from: 'TH', owner: 'KR', category: 'meta.reference', purpose: 'victim_identification' },
      'withhold DOMESTIC_GATE',
    ],
  ]);
});

describe('Alliance emergency clause (any pair; victim and location data; 24 h)', () => {
  table([
    [
      'a fresh declaration opens victim location',
      {
        from: 'PH',
        owner: 'TH',
        category: 'victim.location',
        purpose: 'victim_rescue',
        emergency: { hoursAgo: 1 },
      },
      'release alliance-emergency-2025/imminent-danger',
    ],
    [
      '… and person location',
      {
        from: 'VN',
        owner: 'KH',
        category: 'person.location',
        purpose: 'victim_rescue',
        emergency: { hoursAgo: 23.9 },
      },
      'release alliance-emergency-2025/imminent-danger',
    ],
    [
      'KR victim identity passes PIPA 18(2)(3)',
      {
        from: 'KH',
        owner: 'KR',
        category: 'victim.identity',
        purpose: 'victim_rescue',
        emergency: { hoursAgo: 2 },
      },
      'release alliance-emergency-2025/imminent-danger',
    ],
    [
      'expired after 24 h',
      {
        from: 'PH',
        owner: 'TH',
        category: 'victim.location',
        purpose: 'victim_rescue',
        emergency: { hoursAgo: 24 },
      },
      'withhold CONDITION_UNMET',
      { route: 'needs an emergency declared within the last 24 h' },
    ],
    [
      'a declaration dated after the moment asked about',
      {
        from: 'PH',
        owner: 'TH',
        category: 'victim.location',
        purpose: 'victim_rescue',
        emergency: { hoursAgo: -1 },
      },
      'withhold CONDITION_UNMET',
    ],
    [
      'a declaration without justification',
      {
        from: 'PH',
        owner: 'TH',
        category: 'victim.location',
        purpose: 'victim_rescue',
        emergency: { hoursAgo: 1, justification: '  ' },
      },
      'withhold CONDITION_UNMET',
      { route: 'needs a justification' },
    ],
    [
      'no declaration',
      { from: 'PH', owner: 'TH', category: 'victim.location', purpose: 'victim_rescue' },
      'withhold CONDITION_UNMET',
      { route: 'needs an emergency declaration' },
    ],
    [
      'never financial data',
      {
        from: 'PH',
        owner: 'TH',
        category: 'financial.accounts',
        purpose: 'victim_rescue',
        emergency: { hoursAgo: 1 },
      },
      'withhold CATEGORY_NOT_COVERED',
    ],
    [
      'never telecom data',
      {
        from: 'KH',
        owner: 'KR',
        category: 'telecom.subscriber',
        purpose: 'victim_rescue',
        emergency: { hoursAgo: 1 },
      },
      'withhold PURPOSE_NOT_COVERED',
    ],
    [
      'only for a rescue',
      {
        from: 'PH',
        owner: 'TH',
        category: 'victim.location',
        purpose: 'investigation',
        emergency: { hoursAgo: 1 },
      },
      'withhold PURPOSE_NOT_COVERED',
    ],
    [
      'victim welfare stays home',
      {
        from: 'PH',
        owner: 'TH',
        category: 'victim.welfare',
        purpose: 'victim_rescue',
        emergency: { hoursAgo: 1 },
      },
      'withhold CATEGORY_NOT_COVERED',
    ],
  ]);

  test('emergency obligations: source notified, review within 72 h', () => {
    const decision = policy.decide(
      toInput({
        from: 'PH',
        owner: 'TH',
        category: 'victim.location',
        purpose: 'victim_rescue',
        emergency: { hoursAgo: 1 },
      }),
    );
    expect(decision.obligations).toMatchObject({
      notifySource: true,
      reviewWithinHours: 72,
      handlingCode: 'H3',
    });
  });

  test('the window is exactly maxDurationHours from the declaration', () => {
    const input = toInput({
      from: 'PH',
      owner: 'TH',
      category: 'victim.location',
      purpose: 'victim_rescue',
      emergency: { hoursAgo: 0 },
    });
    const declaredAt = input.requester.emergency!.declaredAt;
    const at = (ms: number) => policy.decide({ ...input, at: declaredAt + ms }).effect;
    expect([at(0), at(24 * 3_600_000 - 1), at(24 * 3_600_000)]).toEqual(['release', 'release', 'withhold']);
  });
});

describe('own country and purpose', () => {
  test.each(CATEGORIES)('KR reads its own %s without a purpose: DOMESTIC', (category) => {
    expectDecision(policy, { from: 'KR', owner: 'KR', category }, 'release DOMESTIC');
  });
  table([
    [
      'no purpose: nothing crosses, whatever else is declared',
      {
        from: 'KH',
        owner: 'KR',
        category: 'person.identity',
        request: true,
        case: true,
        team: true,
        record: linked,
      },
      'withhold PURPOSE_REQUIRED',
    ],
    [
      'no purpose: not even the reference',
      { from: 'TH', owner: 'PH', category: 'meta.reference' },
      'withhold PURPOSE_REQUIRED',
    ],
  ]);
});

describe('generated sweeps', () => {
  // Every ordered pair of the set's members (agreements/members.yaml), not a list written here.
  const codes = policy.set.members.map((member) => member.code);
  const pairs = codes.flatMap((owner) =>
    codes.filter((from) => from !== owner).map((from) => [from, owner] as const),
  );
  /** Whether some instrument of the set has both as parties (the shipped five: the two multilateral ones). */
  const agreed = (a: string, b: string): boolean =>
    policy.set.agreements.some((agreement) => agreement.parties.includes(a) && agreement.parties.includes(b));

  test('NO_AGREEMENT exactly where no instrument has both as parties (for the shipped five: never)', () => {
    expect(pairs.some(([from, owner]) => agreed(from, owner))).toBe(true);
    for (const [from, owner] of pairs) {
      for (const purpose of PURPOSES) {
        for (const category of CATEGORIES) {
          const reason = policy.decide(toInput({ from, owner, category, purpose })).reason;
          expect({ from, owner, category, purpose, noAgreement: reason === 'NO_AGREEMENT' }).toEqual({
            from,
            owner,
            category,
            purpose,
            noAgreement: !agreed(from, owner),
          });
        }
      }
    }
  });

  test('the reference goes wherever any category gets at least a hit, and only there', () => {
    const questions: Question[] = [];
    for (const [from, owner] of pairs) {
      for (const purpose of PURPOSES) {
        for (const flags of [
          {},
          { case: true, request: true, warrant: true, team: true, record: linked },
          { emergency: { hoursAgo: 1 } },
        ] as const) {
          for (const at of ['2019-06-01', '2026-06-01', '2028-06-01'])
            questions.push({ from, owner, purpose, at, category: 'meta.reference', ...flags });
        }
      }
    }
    for (const question of questions) {
      const reference = policy.decide(toInput(question));
      const anyHit = CATEGORIES.filter((category) => category !== 'meta.reference').some(
        (category) => policy.decide(toInput({ ...question, category })).effect !== 'withhold',
      );
      expect({ question, effect: reference.effect }).toEqual({
        question,
        effect: anyHit ? 'release' : 'withhold',
      });
    }
  });

  test('without the record, record-dependent withholds become releases once the record is in scope', () => {
    for (const [from, owner] of pairs) {
      for (const purpose of PURPOSES) {
        for (const category of CATEGORIES) {
          const question: Question = { from, owner, category, purpose, team: true };
          const before = policy.decide(toInput(question));
          const inScope = policy.decide(toInput({ ...question, record: linked }));
          if (before.recordDependent) expect(inScope.effect).not.toBe('withhold');
          else expect(inScope.effect).toBe(before.effect);
        }
      }
    }
  });

  test('decisions are deterministic and frozen', () => {
    const input = toInput({ from: 'KH', owner: 'KR', category: 'person.identity', purpose: 'investigation' });
    const first = policy.decide(input);
    expect(policy.decide(input)).toEqual(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(first.revision).toBe(policy.revision);
  });
});
