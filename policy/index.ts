/**
 * The policy engine's public surface: agreements (YAML) → validated set → compiled policy → decisions.
 * Everything else in policy/ is internal. See policy/README.md for the decision rules.
 */

// Loading and validating an agreement set
export { loadAgreementSet } from './loadAgreementSet';
export { AgreementSetError, type Problem } from './AgreementSetError';
export { AGREEMENT_SCHEMA, DOMESTIC_GATE_SCHEMA, MEMBERS_SCHEMA, SCHEMA_FILES } from './agreementSchemas';

// The wire form of a request context (Accord-* headers)
export { REQUEST_HEADERS, parseRequestHeaders, requestContextHeaders, type ParsedRequestContext, type HeaderReader } from './requestHeaders';

// Compiling and deciding
export { compilePolicy } from './compilePolicy';
export { loadDefaultPolicy, DEFAULT_AGREEMENTS_DIR } from './loadDefaultPolicy';
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
