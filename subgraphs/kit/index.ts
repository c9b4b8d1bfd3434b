// The kit a national system uses to serve its subgraph. Public surface: build or serve a member's
// subgraph from its NationalSystem, and turn global ids into references.
export { buildNationalSchema } from './schema';
export {
  startSubgraph,
  serveSubgraphSchema,
  type StartSubgraphOptions,
  type ServeSubgraphOptions,
} from './server';
export { referenceTo } from './references';
export { gatewayTokensFromEnv, sharedSearchBudgetFromEnv } from './gatewayTrust';
export { verifyCaller, type Caller } from './caller';
export {
  readGatewayCall,
  answerJson,
  answerError,
  type GatewayCall,
  type GatewayCallOptions,
} from './gatewayCall';
export type { NationalSystem, SubgraphContext } from './types';
export {
  searchScope,
  normalizeSearchText,
  searchTermLetters,
  searchPage,
  type RankedMatch,
  type PageArguments,
  cursorKeysFrom,
  type CursorKeys,
  MIN_SEARCH_TERM_LENGTH,
  SearchBudget,
  DEFAULT_SEARCH_TERMS_PER_MINUTE,
  MAX_SEARCH_TERMS_PER_MINUTE,
  validateSearchTermsPerMinute,
  openPostgresSearchBudget,
  SearchBudgetUnavailable,
  type ChargeableBudget,
  type PostgresSearchBudget,
  type SearchScope,
  type SearchShape,
  type SearchMatch,
  type MonotonicClock,
} from './search';
export type { RunningServer } from '../../lib/http';
