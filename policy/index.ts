/**
 * The policy engine's public surface: agreements (YAML) → validated set → compiled policy → decisions.
 * Everything else in policy/ is internal. See policy/README.md for the decision rules.
 */

// Loading and validating an agreement set
export { loadAgreementSet } from './loadAgreementSet';
export { AgreementSetError, type Problem } from './AgreementSetError';
export { AGREEMENT_SCHEMA, DOMESTIC_GATE_SCHEMA, MEMBERS_SCHEMA, SCHEMA_FILES } from './agreementSchemas';

// The wire form of a request context (Accord-* headers)
export { ANALYST_HEADERS, type AnalystHeader, type AnalystHeaderKey } from './analystHeaders';
export {
  REQUEST_HEADERS,
  REFERENCE,
  ANALYST_ID,
  ROLE,
  EMERGENCY_REGISTRATION,
  parseRequestHeaders,
  requestContextHeaders,
  type ParsedRequestContext,
  type HeaderReader,
} from './requestHeaders';

// Free text an analyst declares (the emergency justification): one reading for the parser, the policy
// and the audit log
export {
  readJustification,
  readFreeText,
  isJustification,
  NOT_TEXT,
  JUSTIFICATION_MIN_LETTERS,
  JUSTIFICATION_MAX_CHARACTERS,
  type TextReading,
} from './freeText';

// Explaining a refusal to the analyst (shared by the gateway and the owners' subgraphs)
export { describeRefusal, describeNoBasis, type Refusal } from './refusal';

// Compiling and deciding
export { compilePolicy } from './compilePolicy';
export { loadDefaultPolicy, DEFAULT_AGREEMENTS_DIR } from './loadDefaultPolicy';
export { REASON_CODES, REASON_CODE_LIST, type ReasonCode } from './reasonCodes';
export { SOURCE_GRADES, type SourceGrade } from './sourceGrades';
export { gateVerdict, type GateVerdict } from './gateVerdict';
export { recordFactsOf } from './recordFacts';

// For tools that read other YAML files of the set's folder (legal/: agreements/invariants.yaml) with the
// same line-accurate problems and "did you mean" hints as the loader.
export { YamlSource } from './yamlSource';
export { validateSchema } from './validateSchema';

export type {
  Agreement,
  RequestDeadlines,
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
  MemberDesk,
  Obligations,
  Policy,
  RecordFacts,
  RequestContext,
  Route,
  SourceLocation,
  UsePermission,
} from './types';
