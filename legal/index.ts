/**
 * The legal review workbench's public surface: explain, matrix, diff, lint and prove the permission
 * rules, and the /legal page's HTTP handlers for the gateway. See legal/README.md.
 */

// One question, explained down to the failing condition (also what the end-to-end suite compares with live requests)
export {
  explainRequest,
  type ExplainQuestion,
  type ExplainOptions,
  type RequestExplanation,
  type GateExplanation,
  type GateCheck,
} from './explainRequest';
export { readFieldCatalog } from './fieldCatalog';
export { findField, type FieldCatalog, type FieldEntry } from './fields';

// Analyses over the finite domain
export {
  buildMatrix,
  cellOf,
  type Matrix,
  type MatrixCell,
  type MatrixOutcome,
  type MatrixPair,
  type MatrixOptions,
} from './matrix';
export { diffPolicies, type PolicyDiff, type DiffChange, type DiffGroup, type DiffOptions } from './diff';
export {
  lintPolicy,
  lintFields,
  problemFindings,
  LINT_RULES,
  type LintReport,
  type LintFinding,
  type LintRule,
  type LintRuleDefinition,
  type LintSeverity,
} from './lint';
export {
  COVERAGE_DIR,
  prove,
  selfCheck,
  type Counterexample,
  type Disagreement,
  type InvariantResult,
  type Proof,
  type ProveOptions,
  type SelfCheck,
} from './prove';
export { conditionKinds, type ConditionReach } from './conditionReach';
export type { Invariant } from './invariants';
export { loadInvariants, invariantsFileOf, InvariantsError, INVARIANTS_FILE } from './loadInvariants';
export { INVARIANTS_SCHEMA, invariantsSchemaText } from './invariantsSchema';
export { standingOf, STANDING_LABELS, type Standing } from './standing';

// Sources of agreement sets: folders and git revisions
export { loadRevision, type LoadedRevision } from './sources';

// Words for people
export { renderExplanation } from './render/explanation';
export { renderMatrixMarkdown, renderMatrixCsv, renderMatrixHtml } from './render/matrix';
export { renderDiffMarkdown } from './render/diff';
export { renderLint, renderProof } from './render/reports';

// The page and its HTTP handlers
export {
  legalRoutes,
  type LegalRoutes,
  type LegalRoutesOptions,
  type LegalAccess,
  type LegalBuild,
  type RouteHandler,
} from './routes';
export { buildPageHtml, pageData, revisionsForPage } from './page/buildPage';

// Caller mistakes
export { LegalInputError } from './LegalInputError';
