import { performance } from 'node:perf_hooks';
import type { ServiceMetrics } from '../lib/metrics';
import type { AuditLog } from './openAuditLog';

/**
 * The service's audit log, measured (lib/metrics.ts): how long each append takes to be durable (every
 * answer waits for it, so its p99 is the floor of the service's), and, with `countDecisions`, once a
 * crossing record is durable, its field decisions by effect. Counted here, at the one place every record
 * passes, rather than in each plugin that builds records: what is counted is exactly what was recorded.
 *
 * Decisions are counted at the gateway only. An owner's disclosure records also log the records it hid
 * (a `withhold` for a record the requester may not know of), so its counter would move for a hidden record
 * and not for a missing one: to whoever can send queries and read the owner's /metrics, that tells the
 * two apart, which the answers never do (test/e2e/answers.test.ts). The gateway only ever sees what the
 * owners released.
 */
export function instrumentAuditLog(
  log: AuditLog,
  metrics: ServiceMetrics,
  { countDecisions }: { readonly countDecisions: boolean },
): AuditLog {
  return {
    instance: log.instance,
    publicKey: log.publicKey,
    description: log.description,
    async append(record) {
      const started = performance.now();
      try {
        const ref = await log.append(record);
        if (countDecisions && 'fields' in record)
          for (const field of record.fields) metrics.countDecision(field.effect);
        return ref;
      } finally {
        // Failed appends too: a store that fails slowly is what this histogram is for.
        metrics.observeAuditAppend((performance.now() - started) / 1000);
      }
    },
    checkpoint: () => log.checkpoint(),
    stats: () => log.stats(),
    close: () => log.close(),
  };
}
