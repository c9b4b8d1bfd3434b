/**
 * Lint of an agreement set and the supergraph it governs, for legal review before a change goes live.
 * Each finding names its rule, and its file and line where there is one. The rules are one per file in
 * ./rules/, listed with what each protects in ./rules/index.ts.
 */
import type { Policy } from '../../policy/core';
import type { FieldCatalog } from '../fields';
import { sweepCoverage, type CoverageSweep } from './coverageSweep';
import { FIELD_RULES, LINT_RULES, SET_RULES } from './rules';
import type { LintFinding, LintOptions, LintReport, LintSeverity, SetContext } from './types';

export { LINT_RULES };
export { problemFindings } from './rules/setInvalid';
export { describeClause } from './rules/sourceOf';
export type {
  LintFinding,
  LintOptions,
  LintReport,
  LintRule,
  LintRuleDefinition,
  LintRuleId,
  LintSeverity,
} from './types';

/** Findings sorted errors first, then by file and line, with their counts. */
export function report(findings: LintFinding[], revision?: string): LintReport {
  const order: Record<LintSeverity, number> = { error: 0, warning: 1, info: 2 };
  findings.sort(
    (a, b) =>
      order[a.severity] - order[b.severity] ||
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0),
  );
  const counts = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return { ...(revision !== undefined && { revision }), findings, counts };
}

/** Checks of the supergraph's fields (possible without a valid set; `members` when the set loaded). */
export function lintFields(fields: FieldCatalog, members?: readonly string[]): LintFinding[] {
  return FIELD_RULES.flatMap((rule) => rule.check({ fields, ...(members !== undefined && { members }) }));
}

export function lintPolicy(policy: Policy, options: LintOptions): LintReport {
  const set = policy.set;
  const members = set.members.map((member) => member.code);
  let sweep: CoverageSweep | undefined;
  const context: SetContext = {
    policy,
    set,
    at: options.at,
    members,
    ...(options.fields !== undefined && { fields: options.fields }),
    ...(options.registry !== undefined && { registry: options.registry }),
    coverage: () => (sweep ??= sweepCoverage(policy)),
  };
  const findings = [
    ...(options.fields !== undefined ? lintFields(options.fields, members) : []),
    ...SET_RULES.flatMap((rule) => rule.check(context)),
  ];
  return report(findings, policy.revision);
}
