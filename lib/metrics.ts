import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * What an Accord service tells its monitoring, in Prometheus' text format on `GET /metrics`
 * (lib/http.ts serves it; docs/operations.md says what each metric means and what to alert on).
 *
 * One registry per running service, never prom-client's global one: a test process starts a whole
 * alliance, and each server must show its own counts. Every label takes its values from a closed set
 * (below, or the member registry for `member`): nothing a client sends, no record id, analyst or URL,
 * becomes a label value, so the endpoint shows volumes and latencies and nothing an attacker could use,
 * and the number of series stays bounded. Only counters and histograms: an increment per request,
 * never a metric per field.
 */

/** How a GraphQL request ended, as its client saw it. */
export const REQUEST_OUTCOMES = ['ok', 'client_error', 'refused', 'error'] as const;
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number];

/**
 * What a member's replay cache said of a gateway token: first use, used before, no room to remember it, or
 * no answer (a shared store that cannot be reached).
 */
export const REPLAY_OUTCOMES = ['fresh', 'replayed', 'full', 'unavailable'] as const;
export type ReplayOutcome = (typeof REPLAY_OUTCOMES)[number];

export interface ServiceMetrics {
  /** The registry `/metrics` renders. */
  readonly registry: Registry;
  countRequest(outcome: RequestOutcome): void;
  /** One gateway → subgraph call; `member` is a member's code or `hub` (bounded by the registry). */
  observeSubgraphCall(member: string, seconds: number): void;
  /** One field decision recorded in the audit log; `effect` is one of the policy's effects. */
  countDecision(effect: string): void;
  observeAuditAppend(seconds: number): void;
  countReplay(outcome: ReplayOutcome): void;
}

/** Latency buckets in seconds, from a fast local answer (5 ms) to the gateway's default deadline (5 s) and past it. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createServiceMetrics(): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'accord_requests_total',
    help: 'GraphQL requests by outcome: ok, client_error (the request was wrong), refused (authentication or policy), error (the service or a member failed).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  // Every outcome is shown from the start at 0: a rate over a series that does not exist yet alerts on nothing.
  for (const outcome of REQUEST_OUTCOMES) requests.inc({ outcome }, 0);
  const subgraphCalls = new Histogram({
    name: 'accord_subgraph_call_duration_seconds',
    help: 'Gateway calls to a subgraph, by member code (or hub), in seconds, failures included.',
    labelNames: ['member'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const decisions = new Counter({
    name: 'accord_decisions_total',
    help: "Field decisions recorded in this service's audit log, by effect.",
    labelNames: ['effect'],
    registers: [registry],
  });
  const auditAppends = new Histogram({
    name: 'accord_audit_append_duration_seconds',
    help: 'Time until an audit record is durable, in seconds (the answer waits for it).',
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const replays = new Counter({
    name: 'accord_replay_cache_total',
    help: "Gateway tokens checked against this member's replay cache: fresh, replayed (refused), full (refused, cache at its bound), unavailable (refused, shared store unreachable).",
    labelNames: ['outcome'],
    registers: [registry],
  });
  return {
    registry,
    countRequest: (outcome) => requests.inc({ outcome }),
    observeSubgraphCall: (member, seconds) => subgraphCalls.observe({ member }, seconds),
    countDecision: (effect) => decisions.inc({ effect }),
    observeAuditAppend: (seconds) => auditAppends.observe(seconds),
    countReplay: (outcome) => replays.inc({ outcome }),
  };
}
