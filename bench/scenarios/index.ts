/**
 * Every benchmark scenario `npm run bench` runs, in order. Add a scenario: one module in this folder
 * exporting a `Scenario` (bench/harness.ts), listed here with a one-line comment (bench/README.md).
 */
import type { Scenario } from '../harness';
import { fanout } from './fanout';
import { gatewaySearch } from './gateway-search';
import { gatewayGrants } from './gateway-grants';
import { ownerSearchGrants } from './owner-search-grants';
import { decisions } from './decisions';
import { shieldList } from './shield-list';
import { audit } from './audit';
import { trustOverhead } from './trust-overhead';
import { searchFilter } from './search-filter';
import { cliStart } from './cli-start';
import { tokens } from './tokens';
import { auditAppend } from './audit-append';
import { compiledRuntime } from './compiled-runtime';
import { peers } from './peers';
import { alerts } from './alerts';

export const SCENARIOS: readonly Scenario[] = [
  // A five-member search through the gateway against the same fields from KR's subgraph directly (p50, p99, throughput).
  gatewaySearch,
  // The five-member search with a request reference naming the owners' grants vs none (goal ≥ 0.95× throughput).
  gatewayGrants,
  // The same search on each owner holding a grant, in process: CPU per search with the grant in the book vs without.
  ownerSearchGrants,
  // Search wall time across 5, 15 and 30 synthetic members answering after 50 ms, against 50 ms (goal ≤ 1.3×).
  fanout,
  // policy.decide() rate on the shipped agreements, three mixes (goal ≥ 1,000,000/s).
  decisions,
  // A national subgraph serving 1,000 records with every field, graphql-shield on vs off (goal ≤ 1.5×).
  shieldList,
  // A foreign analyst's search on KR's store, filtered by category vs the unfiltered prefix search before it (goal ≤ 1.1×).
  searchFilter,
  // The five-member search with identity, signed subgraph calls and redaction on vs off (goal ≤ 10% lost).
  trustOverhead,
  // The five-member search with audit logs (every writer, durable) on SQLite and on PostgreSQL vs none (goal ≤ 10% throughput lost).
  audit,
  // Gateway token sign + verify with node:crypto against jose (docs/decisions/0009), and analyst tokens, per token.
  tokens,
  // Audit log appends alone, durable against not, on SQLite (and PostgreSQL when available): what durability costs.
  auditAppend,
  // The analyst's command line: accord --version and accord login against npm run -s token, fresh processes, interleaved (goal: start < 300 ms).
  cliStart,
  // A gateway process compiled (dist/, plain node) against the same under the tsx loader: start-up, RSS, searches/s.
  compiledRuntime,
  // Accord as shipped and audit off against plain @apollo/gateway and Hive Gateway (Rust planner): search and case(id:), 5 and 30 members.
  peers,
  // Alerts end to end: notice latency owner commit → analyst's SSE stream at 100/s (goal p99 ≤ 100 ms), notices/s, search with the alert load on vs off (goal ≥ 0.9×).
  alerts,
];
