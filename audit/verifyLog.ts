/**
 * Verification of a whole log: every chain from its start (or from its purge anchor) to its head.
 *
 * For each entry, in chain order: its body and envelope hash as stored (else: edited); its seq follows the
 * previous one (else: entries missing); its `prev` is the previous entry's hash (else: reordered, replaced
 * or removed); a checkpoint's signature verifies over the head it seals (else: the entries before it were
 * rewritten after signing), with a pinned key when keys are given. Across chains: every head a checkpoint
 * witnessed must still be there with the same hash (else: that chain was truncated or rewritten). At the
 * end: a chain must end with its writer's final checkpoint, unless its writer is running right now (the
 * store says whether a live process holds the writer's claim: the honest signal, since a running writer
 * seals its tail only when it closes), or `live` (accept any open tail: a running or crashed writer).
 * The first problem of a chain stops that chain: what follows a break cannot be trusted.
 */
import { checkRow, refText } from './checkEntry';
import { GENESIS } from './hashing';
import { verifyStatement } from './keys';
import type { AuditStore, RawRow } from './store/AuditStore';
import type { TrustedKeys } from './trustedKeys';
import type { CheckpointBody, PurgeAnchor, PurgeBody, RecordRef, StoredEntry } from './types';

export type ProblemCode =
  | 'edited'
  | 'missing'
  | 'broken-link'
  | 'bad-checkpoint'
  | 'bad-signature'
  | 'untrusted-key'
  | 'truncated'
  | 'unsealed'
  | 'purge-mismatch';

export interface Problem {
  readonly chain: string;
  /** The entry where the problem shows (absent when a whole chain is missing). */
  readonly seq?: number;
  readonly code: ProblemCode;
  readonly message: string;
}

export interface ChainReport {
  readonly chain: string;
  readonly entries: number;
  readonly firstSeq?: number;
  readonly lastSeq?: number;
  /** Entries up to here were removed by a logged purge. */
  readonly purgedThrough?: number;
  readonly checkpoints: number;
  readonly lastCheckpoint?: number;
  /** Ends with its writer's final checkpoint. */
  readonly sealed: boolean;
  /** Entries after the last checkpoint. */
  readonly unsealed: number;
  /** Keys that signed its checkpoints (SPKI DER, base64). */
  readonly keys: readonly string[];
  /** Its writer was running when the chain was read: an open tail is expected, not a truncation. */
  readonly writing: boolean;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly log: string;
  readonly chains: readonly ChainReport[];
  /** At most one per chain: the first place it breaks. */
  readonly problems: readonly Problem[];
  readonly warnings: readonly string[];
  readonly keysPinned: boolean;
}

export interface VerifyOptions {
  readonly trustedKeys?: TrustedKeys;
  /** Accept chains that end without a final checkpoint (writers still running). */
  readonly live?: boolean;
  /** Checkpoints kept outside the log (`onCheckpoint`): each must still be in the log, with its hash. */
  readonly witness?: readonly RecordRef[];
}

const PAGE = 2000;

interface Claim {
  readonly seq: number;
  readonly hash: string;
  readonly by: string;
}

export async function verifyLog(store: AuditStore, options: VerifyOptions = {}): Promise<VerifyReport> {
  const { anchors, claims } = await collectAnchorsAndClaims(store);
  for (const kept of options.witness ?? []) {
    claims.set(kept.chain, [
      ...(claims.get(kept.chain) ?? []),
      { seq: kept.seq, hash: kept.hash, by: `the checkpoint ${refText(kept)} kept outside the log` },
    ]);
  }
  const chainNames = new Set(await store.chains());
  for (const chain of anchors.keys()) chainNames.add(chain);
  for (const chain of claims.keys()) chainNames.add(chain);

  const chains: ChainReport[] = [];
  const problems: Problem[] = [];
  const warnings: string[] = [];
  for (const chain of [...chainNames].sort()) {
    // Asked before the chain is read: a writer that closes meanwhile leaves a sealed tail or an open one
    // it was still writing, never an open one it had abandoned.
    const writing = await store.writerRunning(chain);
    const result = await verifyChain(
      store,
      chain,
      anchors.get(chain),
      claims.get(chain) ?? [],
      options,
      writing,
    );
    chains.push(result.report);
    if (result.problem) problems.push(result.problem);
    else if (!result.report.sealed && result.report.entries > 0) {
      const { lastSeq, lastCheckpoint, unsealed } = result.report;
      const text = `${chain} has ${unsealed} entries after its last checkpoint and no final checkpoint (its writer is running, or crashed and has not reopened).`;
      if (writing) {
        const signed =
          lastCheckpoint !== undefined
            ? `last checkpoint ${refText({ chain, seq: lastCheckpoint })}`
            : 'no checkpoint yet';
        warnings.push(
          `${chain} is being written by a running service: its records so far verify up to ${refText({ chain, seq: lastSeq! })} (${signed}; ` +
            `the ${unsealed} entries since are linked, the writer's next checkpoint signs them, and it seals the chain when the service stops).`,
        );
      } else if (options.live) warnings.push(text);
      else {
        problems.push({
          chain,
          seq: result.report.lastSeq!,
          code: 'unsealed',
          message:
            `${chain} ends at ${refText({ chain, seq: result.report.lastSeq! })} without the final checkpoint its writer writes on closing: ` +
            `the log was truncated after it, or the writer is still running or crashed (a writer seals its tail when it reopens; --live accepts an open tail).`,
        });
      }
    }
  }
  if (!options.trustedKeys) {
    warnings.push(
      "Checkpoint signatures were checked against the keys written in the log itself; pin each writer's key (--keys) to rule out a log rewritten and re-signed whole.",
    );
  }
  return {
    ok: problems.length === 0,
    log: store.description,
    chains,
    problems,
    warnings,
    keysPinned: options.trustedKeys !== undefined,
  };
}

/** Where each purged chain's verification starts: the furthest anchor per chain of the purge entries still in the log. */
export async function purgeAnchors(
  store: AuditStore,
): Promise<ReadonlyMap<string, PurgeAnchor & { by: string }>> {
  return (await collectAnchorsAndClaims(store)).anchors;
}

/** Purge anchors (the furthest per chain) and the heads checkpoints witnessed, from a pass over those kinds. */
async function collectAnchorsAndClaims(
  store: AuditStore,
): Promise<{ anchors: Map<string, PurgeAnchor & { by: string }>; claims: Map<string, Claim[]> }> {
  const anchors = new Map<string, PurgeAnchor & { by: string }>();
  const claims = new Map<string, Claim[]>();
  for (let offset = 0; ; offset += PAGE) {
    const rows = await store.select({ kinds: ['purge', 'checkpoint'] }, PAGE, offset);
    for (const row of rows) {
      const check = checkRow(row);
      if (!check.ok) continue; // the chain pass reports it
      const by = refText(row);
      if (check.entry.kind === 'purge') {
        for (const anchor of (check.entry.body as PurgeBody).anchors ?? []) {
          const known = anchors.get(anchor.chain);
          if (!known || anchor.throughSeq > known.throughSeq) anchors.set(anchor.chain, { ...anchor, by });
        }
      } else {
        for (const head of (check.entry.body as CheckpointBody).witnessed ?? []) {
          const list = claims.get(head.chain) ?? [];
          list.push({ seq: head.seq, hash: head.hash, by: `the checkpoint ${by}` });
          claims.set(head.chain, list);
        }
      }
    }
    if (rows.length < PAGE) break;
  }
  return { anchors, claims };
}

async function verifyChain(
  store: AuditStore,
  chain: string,
  anchor: (PurgeAnchor & { by: string }) | undefined,
  chainClaims: readonly Claim[],
  options: VerifyOptions,
  writing: boolean,
): Promise<{ report: ChainReport; problem?: Problem }> {
  let expectSeq = anchor ? anchor.throughSeq + 1 : 1;
  let expectPrev = anchor ? anchor.lastHash : GENESIS;
  const claimsBySeq = new Map<number, Claim[]>();
  for (const claim of chainClaims) {
    if (anchor && claim.seq <= anchor.throughSeq) continue; // purged since it was witnessed
    claimsBySeq.set(claim.seq, [...(claimsBySeq.get(claim.seq) ?? []), claim]);
  }
  let entries = 0;
  let firstSeq: number | undefined;
  let last: StoredEntry | undefined;
  let checkpoints = 0;
  let lastCheckpoint: number | undefined;
  let unsealed = 0;
  const keys = new Set<string>();
  const report = (): ChainReport => ({
    chain,
    entries,
    ...(firstSeq !== undefined ? { firstSeq } : {}),
    ...(last ? { lastSeq: last.seq } : {}),
    ...(anchor ? { purgedThrough: anchor.throughSeq } : {}),
    checkpoints,
    ...(lastCheckpoint !== undefined ? { lastCheckpoint } : {}),
    sealed: last?.kind === 'checkpoint' && (last.body as CheckpointBody).final === true,
    unsealed,
    keys: [...keys],
    writing,
  });
  const fail = (seq: number | undefined, code: ProblemCode, message: string) => ({
    report: report(),
    problem: { chain, ...(seq !== undefined ? { seq } : {}), code, message },
  });
  const at = (seq: number) => refText({ chain, seq });

  for (let from = 0; ;) {
    const rows: RawRow[] = await store.scanChain(chain, from, PAGE);
    for (const row of rows) {
      if (firstSeq === undefined) {
        firstSeq = row.seq;
        if (anchor && row.seq <= anchor.throughSeq) {
          return fail(
            row.seq,
            'purge-mismatch',
            `${at(row.seq)} is still in the log, but the purge ${anchor.by} says it removed ${chain} through #${anchor.throughSeq}.`,
          );
        }
      }
      if (row.seq !== expectSeq) {
        const what =
          expectSeq === row.seq - 1
            ? `${at(expectSeq)} is missing`
            : `${at(expectSeq)} to #${row.seq - 1} are missing`;
        if (expectSeq === 1)
          return fail(
            1,
            'missing',
            `${what}: the chain starts at ${at(row.seq)}, and no logged purge removed the entries before it.`,
          );
        const after =
          anchor && expectSeq === anchor.throughSeq + 1
            ? `the purge ${anchor.by} (through #${anchor.throughSeq})`
            : at(expectSeq - 1);
        return fail(
          expectSeq,
          'missing',
          `${what}: ${at(row.seq)} follows ${after}. Entries were deleted without a logged purge.`,
        );
      }
      const check = checkRow(row);
      if (!check.ok) return fail(row.seq, 'edited', `${at(row.seq)} was altered: ${check.why}.`);
      const entry = check.entry;
      if (entry.prev !== expectPrev) {
        const before =
          expectSeq === 1
            ? "the chain's genesis"
            : anchor && expectSeq === anchor.throughSeq + 1
              ? `the purge anchor of ${anchor.by}`
              : at(expectSeq - 1);
        return fail(
          row.seq,
          'broken-link',
          `${at(row.seq)} does not follow ${before}: it names ${short(entry.prev)} as the previous hash, but that is ${short(expectPrev)}. Entries were reordered, replaced or removed.`,
        );
      }
      for (const claim of claimsBySeq.get(row.seq) ?? []) {
        if (claim.hash !== row.hash) {
          return fail(
            row.seq,
            'truncated',
            `${at(row.seq)} is not the entry ${claim.by} witnessed there (hash ${short(claim.hash)}, now ${short(row.hash)}): ${chain} was rewritten.`,
          );
        }
      }
      if (entry.kind === 'checkpoint') {
        const body = entry.body as CheckpointBody;
        if (body.seq !== entry.seq - 1 || body.hash !== entry.prev) {
          return fail(
            row.seq,
            'bad-checkpoint',
            `The checkpoint ${at(row.seq)} does not seal the entry before it (it names #${body.seq}).`,
          );
        }
        const statement = {
          chain,
          seq: body.seq,
          hash: body.hash,
          at: entry.at,
          final: body.final,
          witnessed: body.witnessed,
        };
        if (!verifyStatement(statement, body.publicKey, body.signature)) {
          const since =
            lastCheckpoint !== undefined
              ? `after the checkpoint ${at(lastCheckpoint)}`
              : 'since the chain started';
          return fail(
            row.seq,
            'bad-signature',
            `The signature of the checkpoint ${at(row.seq)} does not verify: entries up to ${at(body.seq)} (${since}) were rewritten after it was signed, or the checkpoint was forged.`,
          );
        }
        const pinned = options.trustedKeys?.get(chain);
        if (options.trustedKeys && !pinned?.has(body.publicKey)) {
          return fail(
            row.seq,
            'untrusted-key',
            `The checkpoint ${at(row.seq)} is signed with a key that is not pinned for ${chain} (${short(body.publicKey, 24)}).`,
          );
        }
        keys.add(body.publicKey);
        checkpoints += 1;
        lastCheckpoint = entry.seq;
        unsealed = 0;
      } else unsealed += 1;
      entries += 1;
      last = entry;
      expectSeq = entry.seq + 1;
      expectPrev = entry.hash;
    }
    if (rows.length < PAGE) break;
    from = rows.at(-1)!.seq + 1;
  }

  if (!last) {
    const witness = chainClaims.find((claim) => !anchor || claim.seq > anchor.throughSeq);
    if (witness)
      return fail(
        undefined,
        'truncated',
        `${chain} has no entries, but ${witness.by} witnessed it at ${at(witness.seq)}: the chain was deleted.`,
      );
    if (anchor)
      return fail(
        undefined,
        'truncated',
        `${chain} has no entries, but the purge ${anchor.by} kept its head: the chain was deleted.`,
      );
    return { report: report() };
  }
  const beyond = chainClaims.filter((claim) => claim.seq > last.seq).sort((a, b) => b.seq - a.seq)[0];
  if (beyond) {
    return fail(
      last.seq + 1,
      'truncated',
      `${chain} ends at ${at(last.seq)}, but ${beyond.by} witnessed it at ${at(beyond.seq)}: entries after ${at(last.seq)} were removed.`,
    );
  }
  return { report: report() };
}

function short(hash: string, length = 12): string {
  return hash.length > length ? `${hash.slice(0, length)}…` : hash;
}
