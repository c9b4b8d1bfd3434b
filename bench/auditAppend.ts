/**
 * Measures append throughput: durable (`synchronous=FULL`; PostgreSQL's `synchronous_commit = on`) against
 * not durable (`OFF`; `synchronous_commit = off`), with `concurrency` appenders in a closed loop, as
 * concurrent requests would append, on audit/'s log. A benchmark, not a test. Every loop is
 * bounded by a count.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { AuditError, openAuditLog, type CrossingRecord } from '../audit';

export interface AppendBenchOptions {
  /** A log to append to (a fresh instance name is used, so any log will do). */
  readonly url: string;
  readonly durability: 'full' | 'off';
  /** How many appends in all (≥ 1). */
  readonly appends: number;
  /** Appends in flight at any time (≥ 1). */
  readonly concurrency: number;
  /** The record to append for the i-th append (default: `sampleCrossingRecord(i)`, ~1 KB stored). */
  readonly record?: (i: number) => CrossingRecord;
}

export interface AppendBenchResult {
  readonly durability: 'full' | 'off';
  readonly appends: number;
  readonly concurrency: number;
  readonly elapsedMs: number;
  readonly appendsPerSecond: number;
  readonly commits: number;
  /** Appends per commit: how much group commit shared. */
  readonly meanBatch: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /**
   * Event-loop time per append (µs): what each append costs the process that appends (the gateway's
   * main thread), whatever the disk does. Includes the load loop's own small cost.
   */
  readonly mainThreadUsPerAppend: number;
}

export async function measureAppendRate(options: AppendBenchOptions): Promise<AppendBenchResult> {
  const { appends, concurrency } = options;
  if (!Number.isInteger(appends) || appends < 1)
    throw new AuditError('BAD_INPUT', `appends must be a whole number ≥ 1, not ${appends}.`);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new AuditError('BAD_INPUT', `concurrency must be a whole number ≥ 1, not ${concurrency}.`);
  const make = options.record ?? sampleCrossingRecord;
  const log = await openAuditLog({
    url: options.url,
    writer: { instance: `bench-${randomBytes(4).toString('hex')}` },
    durability: options.durability,
  });
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  const loop = performance.eventLoopUtilization();
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < appends) {
          const i = next++;
          const sent = performance.now();
          await log.append(make(i));
          latencies.push(performance.now() - sent);
        }
      }),
    );
  } catch (error) {
    await log.close().catch(() => undefined);
    throw error;
  }
  const elapsedMs = performance.now() - start;
  const busyMs = performance.eventLoopUtilization(loop).active;
  const stats = log.stats();
  await log.close();
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.max(0, Math.ceil((p / 100) * latencies.length) - 1)] ?? NaN;
  return {
    durability: options.durability,
    appends,
    concurrency,
    elapsedMs,
    appendsPerSecond: appends / (elapsedMs / 1000),
    commits: stats.commits,
    meanBatch: stats.commits > 0 ? appends / stats.commits : 0,
    p50Ms: at(50),
    p99Ms: at(99),
    mainThreadUsPerAppend: (busyMs * 1000) / appends,
  };
}

/** A realistic consultation (KR analyst, KH owner, six fields under the KR–KH MLAT; ILLUSTRATIVE clauses). */
export function sampleCrossingRecord(i: number): CrossingRecord {
  const clause = {
    agreement: 'kr-kh-mlat-2021',
    clause: 'identity-and-records',
    citation: 'art. 1(4)(b)',
    title: 'KR–KH MLAT 2021',
  };
  const obligations = {
    handlingCode: 'H1',
    onwardTransfer: 'with_consent',
    evidentiaryUse: 'allowed',
    retentionDays: 1825,
    notifySource: false,
  } as const;
  return {
    side: 'consultation',
    requestId: `req-${i}`,
    decisionId: `dec-${i}-KH`,
    analyst: 'kim.j',
    country: 'KR',
    purpose: 'investigation',
    caseReference: `KR-2025-${String(i % 500).padStart(4, '0')}`,
    requestReference: 'KR-MLA-2025-0042',
    owner: 'KH',
    fields: [
      {
        path: `suspects.${i % 20}.fullName`,
        category: 'person.identity',
        effect: 'release',
        reason: 'RELEASED',
        clauses: [clause],
        obligations,
      },
      {
        path: `suspects.${i % 20}.dateOfBirth`,
        category: 'person.identity',
        effect: 'release',
        reason: 'RELEASED',
        clauses: [clause],
        obligations,
      },
      {
        path: `suspects.${i % 20}.criminalRecord`,
        category: 'person.criminal_record',
        effect: 'release',
        reason: 'RELEASED',
        clauses: [clause],
        obligations,
      },
      {
        path: `suspects.${i % 20}.location`,
        category: 'person.location',
        effect: 'withhold',
        reason: 'CATEGORY_NOT_COVERED',
        clauses: [],
      },
      {
        path: `suspects.${i % 20}.biometrics`,
        category: 'person.biometrics',
        effect: 'withhold',
        reason: 'CATEGORY_NOT_COVERED',
        clauses: [],
      },
      {
        path: `suspects.${i % 20}.id`,
        category: 'meta.reference',
        effect: 'release',
        reason: 'RELEASED',
        clauses: [clause],
      },
    ],
    policyRevision: 'b3f1c2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9',
    operationHash: '9f2c4e6a8b0d1f3e5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f',
    operationName: 'SuspectsByName',
  };
}
