/**
 * Mandatory reviews of emergency releases (docs/domain.md: EMERGENCY basis — "mandatory review afterwards";
 * the emergency clause says "review within 72 h"). A record owes a review when a field it released or hit
 * carries an obligation with `reviewWithinHours`; it is reviewed once a `review` entry names it.
 */
import { AuditError } from './AuditError';
import { checkRow, refText } from './checkEntry';
import type { ChainWriter } from './chainWriter';
import type { AuditStore } from './store/AuditStore';
import { readableCrossing, type StoredCrossingBody } from './clauseTable';
import type { CrossingBody, RecordRef, ReviewBody, StoredEntry } from './types';

export interface PendingReview {
  readonly ref: string;
  readonly entry: StoredEntry;
  readonly body: CrossingBody;
  readonly dueAt: string;
  readonly overdue: boolean;
  /** Paths of the fields released or hit under an obligation to review. */
  readonly fields: readonly string[];
}

const PAGE = 1000;

/** Records that owe a review and have none, oldest first. */
export async function pendingReviews(store: AuditStore, now: Date = new Date()): Promise<PendingReview[]> {
  const reviewed = await reviewedTargets(store);
  const pending: PendingReview[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const rows = await store.select(
      { kinds: ['consultation', 'disclosure'], reviewOwed: true },
      PAGE,
      offset,
    );
    for (const row of rows) {
      const ref = refText(row);
      if (reviewed.has(ref)) continue;
      const check = checkRow(row);
      if (!check.ok) continue; // verify reports it; a broken record is not offered for review
      pending.push(pendingOf(check.entry, row.indexed.reviewHours!, now));
    }
    if (rows.length < PAGE) break;
  }
  return pending;
}

function pendingOf(stored: StoredEntry, hours: number, now: Date): PendingReview {
  const body = readableCrossing(stored.body as StoredCrossingBody);
  const entry: StoredEntry = { ...stored, body };
  const dueAt = new Date(Date.parse(entry.at) + hours * 3_600_000).toISOString();
  return {
    ref: refText(entry),
    entry,
    body,
    dueAt,
    overdue: Date.parse(dueAt) < now.getTime(),
    fields: body.fields
      .filter((f) => f.effect !== 'withhold' && f.obligations?.reviewWithinHours !== undefined)
      .map((f) => f.path),
  };
}

/** `chain#seq` → the review entry that reviewed it. */
export async function reviewedTargets(
  store: AuditStore,
): Promise<Map<string, { by: string; reviewer: string; at: string }>> {
  const reviewed = new Map<string, { by: string; reviewer: string; at: string }>();
  for (let offset = 0; ; offset += PAGE) {
    const rows = await store.select({ kinds: ['review'] }, PAGE, offset);
    for (const row of rows) {
      const check = checkRow(row);
      if (!check.ok) continue;
      const body = check.entry.body as ReviewBody;
      reviewed.set(refText(body.target), { by: refText(row), reviewer: body.reviewer, at: row.at });
    }
    if (rows.length < PAGE) break;
  }
  return reviewed;
}

export interface ReviewRequest {
  /** `gw-1#42` (one record), or a decision id (every record of it that still owes a review). */
  readonly target: string;
  readonly reviewer: string;
  readonly note: string;
  readonly now?: Date;
}

/**
 * Finds what to review and checks it all before writing anything: a target that is missing, broken, owes
 * no review or was reviewed already is refused, and nothing is appended.
 */
export async function planReview(
  store: AuditStore,
  request: ReviewRequest,
): Promise<{ entry: StoredEntry; body: ReviewBody }[]> {
  const reviewer = nonEmpty(request.reviewer, '--reviewer (who reviewed)');
  const note = nonEmpty(request.note, '--note (what the review found)');
  const target = nonEmpty(request.target, 'the record to mark reviewed (chain#seq or a decision id)');
  const now = request.now ?? new Date();
  const reviewed = await reviewedTargets(store);

  const place = /^(.+)#(\d+)$/.exec(target);
  let candidates: StoredEntry[];
  if (place) {
    const [, chain, seqText] = place;
    const row = (await store.scanChain(chain!, Number(seqText), 1))[0];
    if (!row || row.seq !== Number(seqText))
      throw new AuditError('NOT_FOUND', `There is no record ${target} in the log.`);
    const check = checkRow(row);
    if (!check.ok)
      throw new AuditError(
        'REFUSED',
        `${target} fails its hash check (${check.why}); run verify. It cannot be marked reviewed.`,
      );
    candidates = [check.entry];
  } else {
    const rows = await store.select({ kinds: ['consultation', 'disclosure'], decisionId: target }, PAGE, 0);
    if (rows.length === 0)
      throw new AuditError(
        'NOT_FOUND',
        `No record has the decision id ${JSON.stringify(target)} (give chain#seq or a decision id).`,
      );
    candidates = [];
    for (const row of rows) {
      const check = checkRow(row);
      if (!check.ok)
        throw new AuditError(
          'REFUSED',
          `${refText(row)} fails its hash check (${check.why}); run verify. It cannot be marked reviewed.`,
        );
      candidates.push(check.entry);
    }
  }

  const plans: { entry: StoredEntry; body: ReviewBody }[] = [];
  for (const entry of candidates) {
    const ref = refText(entry);
    if (entry.kind !== 'consultation' && entry.kind !== 'disclosure')
      throw new AuditError('REFUSED', `${ref} is a ${entry.kind} entry, not a consultation or disclosure.`);
    const body = readableCrossing(entry.body as StoredCrossingBody);
    const hours = body.fields
      .filter((f) => f.effect !== 'withhold')
      .map((f) => f.obligations?.reviewWithinHours)
      .filter((h): h is number => h !== undefined);
    if (hours.length === 0) {
      if (place)
        throw new AuditError(
          'REFUSED',
          `${ref} owes no review: none of its released fields carries an obligation to review.`,
        );
      continue;
    }
    const done = reviewed.get(ref);
    if (done) {
      if (place)
        throw new AuditError(
          'REFUSED',
          `${ref} was reviewed already, by ${done.reviewer} at ${done.at} (${done.by}).`,
        );
      continue;
    }
    const pending = pendingOf(entry, Math.min(...hours), now);
    const target: RecordRef = { chain: entry.chain, seq: entry.seq, hash: entry.hash };
    plans.push({
      entry,
      body: {
        target,
        decisionId: body.decisionId,
        ...(body.caseReference !== undefined ? { caseReference: body.caseReference } : {}),
        reviewer,
        note,
        dueAt: pending.dueAt,
        late: pending.overdue,
      },
    });
  }
  if (plans.length === 0)
    throw new AuditError('REFUSED', `No record of decision ${target} owes a review that is still open.`);
  return plans;
}

/** Appends the planned review entries; resolves with their places once durable. */
export async function appendReviews(
  writer: ChainWriter,
  plans: readonly { body: ReviewBody }[],
  now: Date = new Date(),
): Promise<RecordRef[]> {
  return Promise.all(plans.map((plan) => writer.append('review', plan.body, now.toISOString())));
}

function nonEmpty(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new AuditError('BAD_INPUT', `${what} is required and must not be empty.`);
  return value.trim();
}
