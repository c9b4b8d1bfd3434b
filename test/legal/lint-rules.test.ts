/**
 * The lint rules' registry (legal/lint/rules/index.ts): every rule file is listed, every finding's rule is a
 * registered rule with the severity the registry gives it, and each rule runs where it says it does.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadAgreementSet, compilePolicy, AgreementSetError } from '../../policy';
import { MEMBERS, readCommittedSupergraph } from '../../schema';
import {
  LINT_RULES,
  lintFields,
  lintPolicy,
  problemFindings,
  readFieldCatalog,
  type LintFinding,
  type LintRuleDefinition,
} from '../../legal';
import { removeCopies, scenarioCopy, TODAY } from './support';

afterAll(removeCopies);

const RULES_DIR = join(__dirname, '..', '..', 'legal', 'lint', 'rules');

/** The rule objects a module exports: anything with an id, a severity and where it runs. */
function rulesExportedBy(file: string): LintRuleDefinition[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- each rule file, found by listing the folder
  const exported = require(join(RULES_DIR, file)) as Record<string, unknown>;
  return Object.values(exported).filter(
    (value): value is LintRuleDefinition =>
      typeof value === 'object' && value !== null && 'id' in value && 'severity' in value && 'needs' in value,
  );
}

test('every rule a file in legal/lint/rules exports is in the registry, once', () => {
  const files = readdirSync(RULES_DIR).filter((file) => file.endsWith('.ts') && file !== 'index.ts');
  const exported = files.flatMap(rulesExportedBy);
  expect(exported.length).toBeGreaterThan(0);
  for (const rule of exported) expect(LINT_RULES).toContain(rule);
  expect(new Set(LINT_RULES).size).toBe(LINT_RULES.length);
  expect(LINT_RULES.length).toBe(exported.length);
});

test('a rule that has two checks (fields and registry) gives them one severity and one description', () => {
  const byId = new Map<string, LintRuleDefinition[]>();
  for (const rule of LINT_RULES) byId.set(rule.id, [...(byId.get(rule.id) ?? []), rule]);
  for (const [id, rules] of byId) {
    expect({
      id,
      severities: new Set(rules.map((rule) => rule.severity)).size,
      descriptions: new Set(rules.map((rule) => rule.description)).size,
    }).toEqual({ id, severities: 1, descriptions: 1 });
  }
});

test('every finding names a registered rule, with the severity the registry gives it', () => {
  // A set with something for most rules: a vague citation, a blank one, an expired agreement.
  const dir = scenarioCopy({
    'instruments/kr-kh-mlat-2021.yaml': [
      ['citation: art. 1(2)(g)', 'citation: the usual article'],
      ['citation: art. 1(2)(b)\n', 'citation: TBD\n'],
    ],
  });
  const policy = compilePolicy(loadAgreementSet(dir));
  const fields = readFieldCatalog(readCommittedSupergraph());
  const findings: LintFinding[] = [
    ...lintPolicy(policy, {
      at: TODAY + 20 * 365 * 86_400_000,
      fields,
      registry: [...MEMBERS.map((member) => member.code), 'ZZ'],
    }).findings,
    ...lintFields({
      fields: [{ ...fields.fields[0]!, category: 'person.identiti' }],
      uncategorized: [fields.fields[0]!],
    }),
  ];
  let refused: AgreementSetError | undefined;
  try {
    loadAgreementSet(
      scenarioCopy({
        'instruments/kr-kh-mlat-2021.yaml': [['person.identity: release', 'person.identiti: release']],
      }),
    );
  } catch (error) {
    if (error instanceof AgreementSetError) refused = error;
  }
  findings.push(...problemFindings(refused!.problems));
  const severity = new Map(LINT_RULES.map((rule) => [rule.id, rule.severity]));
  const seen = new Set<string>();
  for (const finding of findings) {
    expect({ rule: finding.rule, severity: finding.severity }).toEqual({
      rule: finding.rule,
      severity: severity.get(finding.rule),
    });
    seen.add(finding.rule);
  }
  // The set above exercises these rules; a rule that stopped firing would show here.
  expect([...seen].sort()).toEqual(
    expect.arrayContaining([
      'agreement-expired',
      'citation-missing',
      'citation-vague',
      'field-category-missing',
      'field-category-unknown',
      'member-unknown',
      'set-invalid',
    ]),
  );
});
