/**
 * `lint`: the shipped set is clean of errors; a shadowed clause, an expired agreement, a missing citation,
 * an unknown category, and supergraph fields without a (known) category are each found.
 */
import { compilePolicy, loadAgreementSet, loadDefaultPolicy } from '../../policy';
import { MEMBERS, readCommittedSupergraph } from '../../schema';
import { lintFields, lintPolicy, readFieldCatalog, type LintReport } from '../../legal';
import { cli, removeCopies, scenarioCopy, TODAY, TODAY_TEXT } from './support';

afterAll(removeCopies);

const fields = readFieldCatalog(readCommittedSupergraph());
const registry = MEMBERS.map((member) => member.code);
const rules = (report: LintReport) => report.findings.map((finding) => `${finding.severity} ${finding.rule}`);

/** A second clause in the KR–KH MLAT that repeats persons-and-records for identity: ranked after it, it never decides. */
const SHADOWED_CLAUSE = `
  - id: records-duplicate
    citation: art. 1(2)(b)
    summary: Identity again, as a test of shadowing.
    basis: MLAT
    purposes: [investigation]
    categories:
      person.identity: release
    direction: both
    conditions:
      requestReference: true
    obligations:
      handlingCode: H2
      onwardTransfer: with_consent
      evidentiaryUse: allowed
      retentionDays: 1825
      notifySource: false
`;

describe('lintPolicy', () => {
  test('the shipped set: no errors; the two flows the KR domestic gate never opens', () => {
    const report = lintPolicy(loadDefaultPolicy(), { at: TODAY, fields, registry });
    expect(report.counts).toEqual({ error: 0, warning: 2, info: 0 });
    expect(report.findings.map((finding) => finding.message)).toEqual([
      expect.stringMatching(
        /^Breaking Chains Operation 2025 para\. 3 .* never applies for KR data to KH, PH, TH, VN, for victim_identification, .*KR domestic gate \(PIPA\) has no ground/,
      ),
      expect.stringMatching(
        /^KR–KH Joint Task Force 2025 art\. 6 .* never applies for KR data to KH, for strategic_analysis/,
      ),
    ]);
  });

  test('a shadowed clause is found, with the clause that shadows it and its line', () => {
    const dir = scenarioCopy({
      'instruments/kr-kh-mlat-2021.yaml': [[/\n {2}- id: proceeds/, `${SHADOWED_CLAUSE}\n  - id: proceeds`]],
    });
    const report = lintPolicy(compilePolicy(loadAgreementSet(dir)), { at: TODAY });
    const shadowed = report.findings.filter((finding) => finding.rule === 'clause-shadowed');
    expect(shadowed).toHaveLength(1);
    expect(shadowed[0]).toMatchObject({
      severity: 'warning',
      line: 39,
      clause: { agreement: 'kr-kh-mlat-2021', clause: 'records-duplicate' },
    });
    expect(shadowed[0]!.message).toBe(
      'KR–KH MLAT 2021 art. 1(2)(b) (kr-kh-mlat-2021/records-duplicate) is shadowed: whenever it applies, KR–KH MLAT 2021 art. 1(2)(b)–(c) (kr-kh-mlat-2021/persons-and-records) applies too and decides first, so it never determines a decision and its obligations never travel',
    );
  });

  test('a redundant clause: it decides, but without it every question gets the same effect', () => {
    // A JIT clause giving only hits on identity under the team, where Breaking Chains gives the same hit to everyone.
    const dir = scenarioCopy({
      'instruments/kr-kh-joint-task-force-2025.yaml': [
        [
          /\n {2}- id: joint-analysis/,
          '\n  - id: identity-hits\n    citation: art. 4(3)\n    basis: JIT\n    purposes: [border_alert]\n    categories:\n      person.identity: hit-only\n    direction: both\n    conditions:\n      jointTeam: *team\n    obligations: *jit\n\n  - id: joint-analysis',
        ],
      ],
    });
    const report = lintPolicy(compilePolicy(loadAgreementSet(dir)), { at: TODAY });
    expect(report.findings.find((finding) => finding.rule === 'clause-redundant')?.message).toMatch(
      /identity-hits\) is redundant: without it every question gets the same effect \(from Breaking Chains Operation 2025 para\. 3/,
    );
  });

  test('expired and not-yet-in-force agreements, relative to the date', () => {
    const late = lintPolicy(loadDefaultPolicy(), { at: Date.parse('2028-01-15T12:00:00Z') });
    expect(
      late.findings
        .filter((finding) => finding.rule === 'agreement-expired')
        .map((finding) => finding.message),
    ).toEqual([
      'Breaking Chains Operation 2025 (breaking-chains-operation-2025) expired on 2027-10-31: on 2028-01-15 none of its 1 clause(s) applies',
      'KR–KH Joint Task Force 2025 (kr-kh-joint-task-force-2025) expired on 2027-12-31: on 2028-01-15 none of its 3 clause(s) applies',
      'joint team JTF-KR-KH-2025 of KR–KH Joint Task Force 2025 acted until 2026-12-31: on 2028-01-15 its clauses (art. 4(1), art. 4(2), art. 6) no longer apply',
    ]);
    const early = lintPolicy(loadDefaultPolicy(), { at: Date.parse('2025-12-15T12:00:00Z') });
    expect(rules(early)).toEqual(expect.arrayContaining(['info agreement-not-in-force']));
    expect(early.findings.find((finding) => finding.rule === 'agreement-not-in-force')!.message).toContain(
      'KR–KH Joint Task Force 2025 (kr-kh-joint-task-force-2025) is not yet in force on 2025-12-15',
    );
  });

  test('missing and vague citations', () => {
    const dir = scenarioCopy({
      'instruments/kr-th-police-mou-2019.yaml': [['citation: art. 3(1)', 'citation: TBD']],
      'instruments/vn-kh-mla-2016.yaml': [['citation: art. 2(1)(g)', 'citation: the proceeds article']],
    });
    const report = lintPolicy(compilePolicy(loadAgreementSet(dir)), { at: TODAY });
    expect(
      report.findings
        .filter((finding) => finding.rule.startsWith('citation'))
        .map((finding) => [finding.severity, finding.rule, finding.line]),
    ).toEqual([
      ['error', 'citation-missing', 19],
      ['warning', 'citation-vague', 39],
    ]);
  });

  test('supergraph fields without a category, or with an unknown one', () => {
    const sdl = readCommittedSupergraph()
      .replace(
        'passportNumbers: [String!] @join__field(graph: ALLIANCE, external: true) @join__field(graph: KH) @category(name: "person.identity")',
        'passportNumbers: [String!] @join__field(graph: ALLIANCE, external: true) @join__field(graph: KH)',
      )
      .replace(
        'phones: [String!] @join__field(graph: ALLIANCE, external: true) @join__field(graph: KH) @category(name: "person.contact")',
        'phones: [String!] @join__field(graph: ALLIANCE, external: true) @join__field(graph: KH) @category(name: "person.contacts")',
      );
    expect(lintFields(readFieldCatalog(sdl)).map((finding) => finding.message)).toEqual([
      'KHSuspect.passportNumbers has no @category: no agreement can speak about it (deny by default withholds it from every foreign analyst)',
      "KHSuspect.phones has the unknown category 'person.contacts' (did you mean person.contact?)",
    ]);
  });
});

describe('npm run policy -- lint', () => {
  test('the shipped set: exit 0 with warnings; --strict makes warnings fail', () => {
    const run = cli(['lint', '--at', TODAY_TEXT]);
    expect(run.status).toBe(0);
    expect(run.out).toMatch(
      /agreements\/instruments\/breaking-chains-operation-2025\.yaml:19: warning \[condition-never-met\]/,
    );
    expect(run.out).toMatch(/: 0 error\(s\), 2 warning\(s\), 0 note\(s\)\n$/);
    expect(cli(['lint', '--at', TODAY_TEXT, '--strict']).status).toBe(1);
  });

  test('unknown categories and parties in the agreements: every problem with its line and the nearest names, exit 1', () => {
    const dir = scenarioCopy({
      'instruments/kr-th-police-mou-2019.yaml': [
        ['      person.identity: release', '      person.identiy: release'],
        ['parties: [KR, TH]', 'parties: [KR, THA]'],
      ],
    });
    const run = cli(['lint', '--agreements', dir, '--at', TODAY_TEXT]);
    expect(run.status).toBe(1);
    expect(run.out).toMatch(
      /kr-th-police-mou-2019\.yaml:\d+: error \[set-invalid\] .*unknown category 'person\.identiy' \(did you mean person\.identity\?\)/,
    );
    expect(run.out).toMatch(/kr-th-police-mou-2019\.yaml:\d+: error \[set-invalid\] .*'THA'/);
  });
});
