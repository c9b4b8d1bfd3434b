/**
 * What a lint rule is, what it finds, and what it is given. The rules themselves are one per file in
 * ./rules/, listed in order in ./rules/index.ts.
 */
import type { AgreementSet, ClauseRef, Policy } from '../../policy/core';
import type { FieldCatalog } from '../fields';
import type { CoverageSweep } from './coverageSweep';

export type LintSeverity = 'error' | 'warning' | 'info';

export type LintRuleId =
  | 'set-invalid'
  | 'field-category-missing'
  | 'field-category-unknown'
  | 'member-unknown'
  | 'citation-missing'
  | 'citation-vague'
  | 'clause-shadowed'
  | 'clause-redundant'
  | 'condition-never-met'
  | 'agreement-expired'
  | 'agreement-not-in-force'
  | 'disclaimer-missing';

/** The name findings carry (kept as `LintRule` for the workbench and the JSON report's readers). */
export type LintRule = LintRuleId;

export interface LintFinding {
  readonly rule: LintRuleId;
  readonly severity: LintSeverity;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly clause?: ClauseRef;
}

export interface LintOptions {
  /** The date agreements are judged in force at (expired / not yet in force). */
  readonly at: number;
  /** The supergraph's record fields. */
  readonly fields?: FieldCatalog;
  /** Member codes of the schema's registry (schema/members.ts). */
  readonly registry?: readonly string[];
}

export interface LintReport {
  readonly revision?: string;
  readonly findings: readonly LintFinding[];
  readonly counts: Readonly<Record<LintSeverity, number>>;
}

/** What a rule may read. Fields are there when the supergraph was given; the set only when it loaded. */
export interface FieldContext {
  readonly fields?: FieldCatalog;
  /** The set's member codes, when the set loaded. */
  readonly members?: readonly string[];
}

export interface SetContext extends FieldContext {
  readonly policy: Policy;
  readonly set: AgreementSet;
  readonly at: number;
  readonly registry?: readonly string[];
  /** The sweep of the finite domain the clause-coverage rules share, computed once on first use. */
  readonly coverage: () => CoverageSweep;
}

interface RuleHeading {
  readonly id: LintRuleId;
  /** How grave every finding of the rule is. */
  readonly severity: LintSeverity;
  /** One line on what it finds, for `policy lint --rules` and the docs. */
  readonly description: string;
}

/** A rule about the supergraph's fields: it runs even when the set did not load. */
export interface FieldRule extends RuleHeading {
  readonly needs: 'fields';
  readonly check: (context: FieldContext) => LintFinding[];
}

/** A rule about the agreement set: it runs on a set that loaded. */
export interface SetRule extends RuleHeading {
  readonly needs: 'set';
  readonly check: (context: SetContext) => LintFinding[];
}

/** The loader's own refusal: its findings are the loader's problems (./rules/setInvalid.ts). */
export interface LoaderRule extends RuleHeading {
  readonly needs: 'loader';
}

export type LintRuleDefinition = FieldRule | SetRule | LoaderRule;
