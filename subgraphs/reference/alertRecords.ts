import { MATCHING_SERVICE, identifierCategory, type HeldWatch, type Recipient } from '../../alerts';
import { recordProcedure, type AuditLog, type ProcedureBasis, type ProcedureRecord } from '../../audit';
import type { AlertAct } from './alertRoutes';
import type { HeldRecipient } from './ownWatches';

/**
 * A member's alert acts as procedure records of its audit log (docs/decisions/0019-alert-delivery.md, the
 * table of records; audit/README.md lists what each act carries): the watcher's member records a watch
 * registered, renewed or cancelled, with its recipients and, for each identifier sent, the category and
 * the watcher's clause; a recipient records a watch held or dropped; an owner records each notice it
 * emitted. Holding, dropping and emitting are the member's own system acting (actor role `system`, its
 * matching service), registering is the analyst's act.
 */
export function alertProcedureRecord(country: string, act: AlertAct): ProcedureRecord {
  const system = { id: MATCHING_SERVICE, country, role: 'system' } as const;
  switch (act.act) {
    case 'watch.registered': {
      const { watch, requester } = act;
      const common = {
        at: act.at,
        actor: { id: requester.analyst, country: requester.country, role: 'analyst' },
        owner: country,
        requester: { country: watch.watcher, analysts: [watch.analyst] },
        watchId: watch.id,
        caseReference: watch.caseReference,
        purpose: watch.purpose,
        recipients: act.recipients.map((recipient) => recipient.member),
      } as const;
      if (act.change === 'cancelled') return { act: 'watch.cancelled', ...common };
      return {
        act: act.change === 'created' ? 'watch.registered' : 'watch.renewed',
        ...common,
        validFrom: watch.justifiedAt,
        validUntil: watch.expiresAt,
        justification: watch.justification,
        basis: watchBasis(country, act.recipients),
      };
    }
    case 'watch.held': {
      const { watch } = act;
      const requester = { country: watch.watcher, analysts: [watch.analyst] };
      if (act.change === 'dropped')
        return {
          act: 'watch.dropped',
          at: act.at,
          actor: system,
          owner: country,
          watchId: watch.id,
          requester,
        };
      return {
        act: 'watch.held',
        at: act.at,
        actor: system,
        owner: country,
        watchId: watch.id,
        requester,
        caseReference: watch.caseReference,
        purpose: watch.purpose,
        validFrom: watch.justifiedAt,
        validUntil: watch.expiresAt,
        // What it now holds of the watcher's data: the categories of the identifiers it was sent.
        categories: [...new Set(heldCategories(watch))],
      };
    }
    case 'notice.emitted': {
      const { notice, watch } = act;
      return {
        act: 'notice.emitted',
        at: act.at,
        actor: system,
        owner: country,
        noticeId: notice.noticeId,
        watchId: notice.watchId,
        requester: {
          country: notice.watcher,
          ...(watch !== undefined && { analysts: [watch.analyst] }),
        },
        eventReference: notice.eventReference,
        subjects: [notice.subject],
        basis: notice.basis.map(({ category, agreement, clause }) => ({ category, agreement, clause })),
      };
    }
  }
}

/** Appends each act to the member's log (recordProcedure); rejects when the log cannot take it. */
export function alertActRecorder(log: AuditLog, country: string): (act: AlertAct) => Promise<void> {
  return async (act) => {
    await recordProcedure(log, alertProcedureRecord(country, act));
  };
}

function heldCategories(watch: HeldWatch): string[] {
  return watch.identifiers.map((identifier) => identifierCategory(watch.watcher, identifier.kind));
}

/**
 * For each member and identifier sent, its category and the watcher's clause that let it go (distributeWatch
 * gives one determining clause per identifier sent, in order); the same member, category and clause once.
 */
function watchBasis(watcher: string, recipients: readonly (Recipient | HeldRecipient)[]): ProcedureBasis[] {
  const basis = new Map<string, ProcedureBasis>();
  for (const recipient of recipients) {
    if (!('clauses' in recipient)) continue;
    const { identifiers } = recipient.watch;
    if (recipient.clauses.length !== identifiers.length)
      throw new Error(
        `invariant: ${recipient.member} was sent ${identifiers.length} identifiers under ${recipient.clauses.length} clauses.`,
      );
    identifiers.forEach((identifier, i) => {
      const { agreement, clause } = recipient.clauses[i]!;
      const entry = {
        member: recipient.member,
        category: identifierCategory(watcher, identifier.kind),
        agreement,
        clause,
      };
      basis.set(JSON.stringify(entry), entry);
    });
  }
  return [...basis.values()];
}
