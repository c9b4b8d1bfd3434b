/**
 * Retention: entries older than the member's retention period leave the log only through a logged purge.
 * A purge removes, per chain, a prefix of entries written before the cutoff (never a chain's head, which
 * its writer continues from) and appends one `purge` entry that names what it removed and carries each
 * chain's anchor — the place and hash of its last removed entry — from which verification then starts.
 * It carries the anchors of earlier purges forward too, since it may remove the entries that held them.
 * A purge refuses to run on a log that does not verify: it must not erase the evidence of tampering.
 */
import { AuditError } from './AuditError';
import { refText } from './checkEntry';
import type { ChainWriter } from './chainWriter';
import type { AuditStore } from './store/AuditStore';
import type { PurgeAnchor, PurgeBody, RecordRef } from './types';
import { purgeAnchors, verifyLog } from './verifyLog';

export interface PurgeRequest {
  /** The member's retention period, in whole days (≥ 1). */
  readonly retentionDays: number;
  /** Who ran the purge. */
  readonly operator: string;
  readonly reason?: string;
  readonly now?: Date;
}

const PAGE = 2000;

/** What a purge would remove, checked and ready to append; `body.purged` is empty when nothing is due. */
export async function planPurge(store: AuditStore, request: PurgeRequest): Promise<PurgeBody> {
  const { retentionDays } = request;
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    throw new AuditError(
      'BAD_INPUT',
      `The retention period is a whole number of days ≥ 1, not ${JSON.stringify(retentionDays)}.`,
    );
  }
  if (typeof request.operator !== 'string' || request.operator.trim() === '')
    throw new AuditError('BAD_INPUT', '--operator (who runs the purge) is required.');
  const now = request.now ?? new Date();
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();

  const report = await verifyLog(store, { live: true });
  if (!report.ok) {
    const first = report.problems[0]!;
    throw new AuditError(
      'REFUSED',
      `The log does not verify, so nothing is purged (a purge must not erase evidence of tampering): ${first.message}`,
    );
  }
  const anchors = new Map<string, PurgeAnchor>();
  for (const [chain, anchor] of await purgeAnchors(store))
    anchors.set(chain, { chain, throughSeq: anchor.throughSeq, lastHash: anchor.lastHash });

  const purged: PurgeBody['purged'][number][] = [];
  for (const chain of report.chains) {
    if (chain.firstSeq === undefined || chain.lastSeq === undefined) continue;
    let cut: RecordRef | undefined;
    scan: for (let from = chain.firstSeq; ;) {
      const rows = await store.scanChain(chain.chain, from, PAGE);
      for (const row of rows) {
        // The head stays: its writer continues the chain from it.
        if (row.at >= cutoff || row.seq >= chain.lastSeq) break scan;
        cut = { chain: row.chain, seq: row.seq, hash: row.hash };
      }
      if (rows.length < PAGE) break;
      from = rows.at(-1)!.seq + 1;
    }
    if (!cut) continue;
    purged.push({
      chain: chain.chain,
      fromSeq: chain.firstSeq,
      throughSeq: cut.seq,
      count: cut.seq - chain.firstSeq + 1,
    });
    anchors.set(chain.chain, { chain: chain.chain, throughSeq: cut.seq, lastHash: cut.hash });
  }
  return {
    operator: request.operator.trim(),
    retentionDays,
    cutoff,
    ...(request.reason !== undefined && request.reason.trim() !== ''
      ? { reason: request.reason.trim() }
      : {}),
    purged,
    anchors: [...anchors.values()].sort((a, b) => a.chain.localeCompare(b.chain)),
  };
}

/** Removes what the plan names and appends the purge entry, in one transaction. */
export async function executePurge(
  writer: ChainWriter,
  plan: PurgeBody,
  now: Date = new Date(),
): Promise<RecordRef> {
  if (plan.purged.length === 0)
    throw new AuditError(
      'REFUSED',
      `Nothing is older than the retention period (cutoff ${plan.cutoff}): no purge was logged.`,
    );
  return writer.append(
    'purge',
    plan,
    now.toISOString(),
    plan.purged.map((p) => ({ chain: p.chain, throughSeq: p.throughSeq })),
  );
}

/** One line per chain, for people. */
export function describePurge(plan: PurgeBody): string {
  if (plan.purged.length === 0)
    return `Nothing was written before ${plan.cutoff} (retention ${plan.retentionDays} days): nothing to purge.`;
  return [
    `Retention ${plan.retentionDays} days: entries written before ${plan.cutoff}.`,
    ...plan.purged.map(
      (p) =>
        `  ${p.chain}: ${p.count} entries, ${refText({ chain: p.chain, seq: p.fromSeq })} through #${p.throughSeq}`,
    ),
  ].join('\n');
}
