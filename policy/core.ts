/**
 * The part of the public surface that runs anywhere, a browser included: compiling an agreement set that is
 * already loaded and deciding on it. No file system, no hashing, no YAML or JSON Schema, so a bundler can
 * take it alone (legal/page ships it to the legal workbench page, where explain, matrix and diff run on
 * the same engine as the gateway). Loading and validating a set stays in policy/index.ts.
 */
export { compilePolicy } from './compilePolicy';
export { gateVerdict, type GateVerdict } from './gateVerdict';
export { isJustification } from './freeText';
export { REASON_CODES, REASON_CODE_LIST, type ReasonCode } from './reasonCodes';
export { SOURCE_GRADES, type SourceGrade } from './sourceGrades';

export type {
  Agreement,
  AgreementSet,
  CategoryMode,
  Clause,
  ClauseEvaluation,
  ClauseRef,
  Conditions,
  Decision,
  DecisionInput,
  Direction,
  DomesticGate,
  Effect,
  Explanation,
  FailedCondition,
  GateGround,
  GateRef,
  Grant,
  GrantBook,
  HandlingCode,
  JointTeam,
  Member,
  Obligations,
  Policy,
  RecordFacts,
  RequestContext,
  Route,
  SourceLocation,
  UsePermission,
} from './types';
