/**
 * `explain` shows every unmet condition of a clause, not only the first; says so when no agreement gives
 * more instead of promising a route; and its gate section speaks of the gate alone (never "allowed by
 * the agreement" for a basis whose clause did not apply).
 */
import { compilePolicy, loadDefaultPolicy, type GrantBook, type RequestContext } from '../../policy';
import { explainRequest } from '../../legal';
import { cli, TODAY, TODAY_TEXT } from './support';

const policy = loadDefaultPolicy();

describe('explain: every unmet condition', () => {
  test('message content asked with nothing: the MLAT clause needs a request reference and a judicial order, both listed', () => {
    const explanation = explainRequest(
      { policy },
      {
        requester: { country: 'KR', analyst: 'choi.m', roles: [], purpose: 'judicial_evidence' },
        owner: 'PH',
        category: 'telecom.content',
        at: TODAY,
      },
    );
    const content = explanation.considered.find(
      (item) => item.agreement === 'kr-ph-mlat-2003' && item.clause === 'message-content',
    )!;
    expect(content.unmet?.map((item) => item.kind)).toEqual(['requestReference', 'warrantReference']);
    const run = cli([
      'explain',
      '--requester',
      'KR',
      '--owner',
      'PH',
      '--category',
      'telecom.content',
      '--purpose',
      'judicial_evidence',
      '--at',
      TODAY_TEXT,
    ]);
    expect(run.status).toBe(0);
    expect(run.out).toMatch(
      /\(kr-ph-mlat-2003\/message-content; MLAT, would release\)\n {4}- fails: needs a request reference \(Accord-Request-Ref: the formal request for mutual legal assistance\)\n {4}- fails: needs a warrant or judicial order reference \(Accord-Warrant\)\n/,
    );
  });

  test.each([
    ['in force', TODAY, ['jointTeam', 'jointTeamMember', 'jointTeamScope']],
    // A month before the task force's agreement enters into force (2026-01-01): that too.
    [
      'before it is in force',
      Date.parse('2025-12-01T12:00:00Z'),
      ['notInForce', 'jointTeam', 'jointTeamMember', 'jointTeamScope'],
    ],
  ])(
    'a joint-team clause asked by a stranger outside its operation, %s: every unmet condition listed',
    (_label, at, expected) => {
      const explanation = explainRequest(
        { policy },
        {
          requester: { country: 'KH', analyst: 'nobody', roles: [], purpose: 'investigation' },
          owner: 'KR',
          category: 'compound.intel',
          at,
          record: { operations: [], sourceGrade: 'A' },
        },
      );
      const jit = explanation.considered.find(
        (item) => item.agreement === 'kr-kh-joint-task-force-2025' && item.clause === 'compound-intelligence',
      )!;
      expect(jit.unmet!.map((item) => item.kind)).toEqual(expected);
    },
  );

  test('where no agreement gives more, it says so instead of promising a route', () => {
    const run = cli([
      'explain',
      '--requester',
      'TH',
      '--owner',
      'KR',
      '--category',
      'financial.accounts',
      '--purpose',
      'investigation',
      '--at',
      TODAY_TEXT,
    ]);
    expect(run.status).toBe(0);
    expect(run.out).toContain(
      'No agreement in this set gives this to TH for this purpose: there is no route to ask for.',
    );
  });

  test('the gate section judges the gate alone: never "allowed by the agreement"', () => {
    const run = cli([
      'explain',
      '--requester',
      'KH',
      '--owner',
      'KR',
      '--category',
      'compound.location',
      '--purpose',
      'strategic_analysis',
      '--at',
      TODAY_TEXT,
    ]);
    expect(run.status).toBe(0);
    const gate = run.out.slice(run.out.indexOf('## Domestic gate'));
    expect(gate).not.toContain('allowed by the agreement');
    expect(gate).toMatch(
      /- JIT: ✗ does not allow a JIT transfer for strategic_analysis: has no ground for it \(PIPA art\. 18\(2\)\(3\); PIPA art\. 18\(2\)\(6\); PIPA art\. 18\(2\)\(7\)\)/,
    );
  });
});

describe('explain: the owner grant a request reference needs, among every unmet condition', () => {
  // The shipped MLAT clause for message content, asking besides for a source grade of B or better: a
  // record-level condition checked after the grant, so listing it shows the grant was supposed given.
  const set = policy.set;
  const graded = compilePolicy({
    ...set,
    agreements: set.agreements.map((agreement) =>
      agreement.id !== 'kr-ph-mlat-2003'
        ? agreement
        : {
            ...agreement,
            clauses: agreement.clauses.map((clause) =>
              clause.id === 'message-content'
                ? { ...clause, conditions: { ...clause.conditions, minimumSourceGrade: 'B' as const } }
                : clause,
            ),
          },
    ),
  });
  const ask = (requester: Partial<RequestContext>, grants?: GrantBook) =>
    graded
      .explain({
        requester: {
          country: 'KR',
          analyst: 'choi.m',
          roles: [],
          purpose: 'judicial_evidence',
          ...requester,
        },
        owner: 'PH',
        category: 'telecom.content',
        at: TODAY,
        record: { id: 'PH-SUS-000001', sourceGrade: 'C' },
        ...(grants !== undefined && { grants }),
      })
      .considered.find((item) => item.agreement === 'kr-ph-mlat-2003' && item.clause === 'message-content')!
      .unmet?.map((item) => item.kind);

  test.each([
    ['no reference', {}, new Map(), ['requestReference', 'warrantReference', 'sourceGrade']],
    [
      'a reference the owner holds no grant for',
      { requestReference: 'MLA-1', caseReference: 'KR-CAS-000001' },
      new Map(),
      ['warrantReference', 'requestReference', 'sourceGrade'],
    ],
    [
      'a reference, decided by the gateway (no grants held)',
      { requestReference: 'MLA-1', caseReference: 'KR-CAS-000001' },
      undefined,
      ['warrantReference', 'requestGrant', 'sourceGrade'],
    ],
  ])(
    '%s: the grant is listed, and so is what the clause still needs after it',
    (_label, requester, grants, expected) => {
      expect(ask(requester, grants)).toEqual(expected);
    },
  );
});
