// The public surface of schema/: the contract, the registry, ids, and the composed supergraph.
export { MEMBERS, HUB_NAME, HUB_DEFAULT_PORT, GATEWAY_DEFAULT_PORT, type Member } from './members';
export {
  parseGlobalId,
  formatGlobalId,
  concreteTypeName,
  splitConcreteTypeName,
  ENTITY_INTERFACES,
  RECORD_KINDS,
  type GlobalId,
  type EntityInterface,
} from './ids';
export {
  SEARCH_PAGE_SIZE,
  connectionFieldName,
  connectionTypeName,
  edgeTypeName,
  splitSearchPageTypeName,
} from './searchPages';
export { referenceIdsFieldName } from './referenceIds';
export { SEARCH_INTERFACE, SEARCH_KEY_FIELDS, isSearchType } from './searchType';
export {
  generateSubgraphs,
  referenceFields,
  type ReferenceField,
  subgraphName,
  loadContract,
  SchemaGenerationError,
  CATEGORY_SPEC_URL,
  type SubgraphDefinition,
} from './generate';
export { composeSupergraph, CompositionError } from './compose';
export {
  SUPERGRAPH_FILE,
  readCommittedSupergraph,
  buildSupergraph,
  memberSubgraphSdl,
  hubSubgraphSdl,
  defaultSubgraphUrl,
  readFieldCategories,
} from './supergraph';
export {
  fileFollowUpRequestField,
  followUpRequestsField,
  supplyFollowUpInformationField,
  followUpRequestTypeName,
} from './followUp';
export { accordError, ERROR_CODES, isErrorCode, type ErrorCode } from './errors';
