// Searching a member's records: what a requester's search may match (decided per category by the
// owner), the owner's query budget, and the one normalisation of search text.
export { searchScope, type SearchScope, type SearchShape, type SearchMatch } from './searchScope';
export {
  SearchBudget,
  type MonotonicClock,
  DEFAULT_SEARCH_TERMS_PER_MINUTE,
  MAX_SEARCH_TERMS_PER_MINUTE,
  validateSearchTermsPerMinute,
  type ChargeableBudget,
} from './searchBudget';
export {
  openPostgresSearchBudget,
  SearchBudgetUnavailable,
  type PostgresSearchBudget,
  type PostgresSearchBudgetOptions,
} from './postgresSearchBudget';
export { withSearchBudget, type SearchGuardContext } from './guardSearch';
export {
  searchPage,
  cursorKeysFrom,
  type CursorKeys,
  type RankedMatch,
  type PageArguments,
  type PageList,
  type SearchPage,
} from './searchPage';
export { normalizeSearchText, searchTermLetters, MIN_SEARCH_TERM_LENGTH } from './searchText';
