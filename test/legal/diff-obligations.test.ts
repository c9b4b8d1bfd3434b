/**
 * `diff` sees obligations, conditions, dates and gates, and classes each change as wider or narrower
 * (docs/domain.md#obligations): doubling a clause's retention is wider, forbidding evidentiary use is
 * narrower, and `--fail-on-wider` exits non-zero on the wider one.
 */
import { compilePolicy, DEFAULT_AGREEMENTS_DIR, loadAgreementSet, loadDefaultPolicy } from '../../policy';
import { diffPolicies } from '../../legal';
import { cli, removeCopies, scenarioCopy } from './support';

afterAll(removeCopies);

const policy = loadDefaultPolicy();
const MLAT = 'instruments/kr-kh-mlat-2021.yaml';

/** The KR–KH MLAT with its retention doubled and evidentiary use forbidden (its clauses share one obligations block). */
function changedCopy(): string {
  return scenarioCopy({
    [MLAT]: [
      ['retentionDays: 1825', 'retentionDays: 3650'],
      ['evidentiaryUse: allowed', 'evidentiaryUse: forbidden'],
    ],
  });
}

describe('diff sees obligations', () => {
  test('retention 1825 → 3650 is wider, evidentiary use allowed → forbidden narrower, in the text, clause by clause', () => {
    const diff = diffPolicies(policy, compilePolicy(loadAgreementSet(changedCopy())));
    expect(diff.clauseChanges).toEqual(
      expect.arrayContaining([
        {
          where: 'kr-kh-mlat-2021/persons-and-records',
          what: 'obligations.retentionDays',
          before: '1825',
          after: '3650',
          direction: 'wider',
        },
        {
          where: 'kr-kh-mlat-2021/persons-and-records',
          what: 'obligations.evidentiaryUse',
          before: 'allowed',
          after: 'forbidden',
          direction: 'narrower',
        },
      ]),
    );
    // Nothing else: every change is one of these two, on a clause of the MLAT.
    for (const change of diff.clauseChanges) {
      expect(change.where.startsWith('kr-kh-mlat-2021/')).toBe(true);
      expect([`${change.what} ${change.direction}`]).toEqual([
        expect.stringMatching(/^(obligations\.retentionDays wider|obligations\.evidentiaryUse narrower)$/),
      ]);
    }
    // In the answers: the same effect under the same clause, but used more: wider (any loosening is).
    expect(diff.counts.wider).toBeGreaterThan(0);
    const change = diff.changes.find(
      (item) => item.category === 'person.identity' && item.owner === 'KH' && item.requester === 'KR',
    )!;
    expect(change).toMatchObject({
      direction: 'wider',
      before: { effect: 'release', obligations: { retentionDays: 1825, evidentiaryUse: 'allowed' } },
      after: { effect: 'release', obligations: { retentionDays: 3650, evidentiaryUse: 'forbidden' } },
    });
  });

  test('evidentiary use forbidden alone is narrower, and --fail-on-wider passes', () => {
    const dir = scenarioCopy({ [MLAT]: [['evidentiaryUse: allowed', 'evidentiaryUse: forbidden']] });
    const diff = diffPolicies(policy, compilePolicy(loadAgreementSet(dir)));
    expect(diff.counts.wider).toBe(0);
    expect(diff.counts.narrower).toBeGreaterThan(0);
    expect(new Set(diff.clauseChanges.map((item) => `${item.what} ${item.direction}`))).toEqual(
      new Set(['obligations.evidentiaryUse narrower']),
    );
    expect(cli(['diff', DEFAULT_AGREEMENTS_DIR, dir, '--fail-on-wider']).status).toBe(0);
  });

  test('npm run policy -- diff: the summary first, one line per change with before → after, and --fail-on-wider exits 1', () => {
    const run = cli(['diff', DEFAULT_AGREEMENTS_DIR, changedCopy(), '--fail-on-wider']);
    expect(run.status).toBe(1);
    expect(run.out).toMatch(/- in the text: ([1-9]) wider, \1 narrower, 0 changed: kr-kh-mlat-2021\//);
    expect(run.out).toContain(
      '- WIDER kr-kh-mlat-2021/persons-and-records: obligations.retentionDays 1825 → 3650',
    );
    expect(run.out).toContain(
      '- NARROWER kr-kh-mlat-2021/persons-and-records: obligations.evidentiaryUse allowed → forbidden',
    );
    // Before and after read differently in the table.
    expect(run.out).toMatch(
      /retention 1825 d, onward \w+, evidence allowed.*\| .*retention 3650 d, onward \w+, evidence forbidden/,
    );
    expect(run.err).toMatch(
      /diff: [1-9]\d* change\(s\) widen what crosses a border, [1-9] in the text \(--fail-on-wider\)/,
    );
  });

  test('a relaxed domestic gate and a later until are wider in the text', () => {
    const dir = scenarioCopy({
      'domestic/kr-pipa.yaml': [
        [
          'purposes: [investigation, fugitive_location, arrest_extradition, asset_tracing, judicial_evidence, border_alert, victim_rescue]',
          'purposes: [investigation, fugitive_location, arrest_extradition, asset_tracing, judicial_evidence, border_alert, victim_rescue, strategic_analysis]',
        ],
      ],
      'instruments/breaking-chains-operation-2025.yaml': [['until: 2027-10-31', 'until: 2028-10-31']],
    });
    const diff = diffPolicies(policy, compilePolicy(loadAgreementSet(dir)));
    expect(diff.clauseChanges).toEqual(
      expect.arrayContaining([
        {
          where: 'breaking-chains-operation-2025',
          what: 'inForce.until',
          before: '2027-10-31',
          after: '2028-10-31',
          direction: 'wider',
        },
        expect.objectContaining({
          where: 'gate KR',
          what: 'grounds.pipa-18-2-7.purposes',
          direction: 'wider',
        }),
      ]),
    );
  });
});
