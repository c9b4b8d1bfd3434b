/**
 * Every lint rule, in the order it runs (its findings are then sorted by severity, file and line). To add
 * a rule: one file in this folder exporting a FieldRule or a SetRule (../types.ts), its id in
 * `LintRuleId`, and a line here saying what it protects.
 */
import type { FieldRule, LintRuleDefinition, SetRule } from '../types';
import { agreementExpired } from './agreementExpired';
import { agreementNotInForce } from './agreementNotInForce';
import { citationMissing } from './citationMissing';
import { citationVague } from './citationVague';
import { clauseRedundant } from './clauseRedundant';
import { clauseShadowed } from './clauseShadowed';
import { conditionNeverMet } from './conditionNeverMet';
import { disclaimerMissing } from './disclaimerMissing';
import { fieldCategoryMissing } from './fieldCategoryMissing';
import { fieldCategoryUnknown } from './fieldCategoryUnknown';
import { memberUnknownInFields, memberUnknownInRegistry } from './memberUnknown';
import { setInvalid } from './setInvalid';

/** Rules about the supergraph's fields: they run even when the set did not load. */
export const FIELD_RULES: readonly FieldRule[] = [
  // A field no agreement can speak about is withheld from everyone abroad: almost always a mistake.
  fieldCategoryMissing,
  // A misspelt category would withhold the field the same way, silently.
  fieldCategoryUnknown,
  // Records of a country the set does not know can never cross a border.
  memberUnknownInFields,
];

/** Rules about the agreement set, run on a set that loaded. */
export const SET_RULES: readonly SetRule[] = [
  // The set and the registry must name the same members, or a member is served without agreements.
  memberUnknownInRegistry,
  // Every rule must say where it comes from: a lawyer checks a clause against its article.
  citationMissing,
  citationVague,
  // Sample agreements must say that they are a model, not the instrument's text.
  disclaimerMissing,
  // Dates: an agreement that ended, or has not begun, on the date of the review.
  agreementExpired,
  agreementNotInForce,
  // Clause coverage, over the finite domain: clauses that never decide, never apply, or change nothing.
  clauseShadowed,
  conditionNeverMet,
  clauseRedundant,
];

/** Every rule, the loader's refusal first: what `policy lint` can report. */
export const LINT_RULES: readonly LintRuleDefinition[] = [setInvalid, ...FIELD_RULES, ...SET_RULES];
