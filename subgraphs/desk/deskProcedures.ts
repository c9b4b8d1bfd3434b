import { recordProcedure, type AuditLog, type ProcedureRecord } from '../../audit';
import type { Grant } from '../../policy';
import type { DeskAct } from './decide';
import type { FollowUpRequest } from './requestStore';

/**
 * A desk act (subgraphs/desk/decide.ts onAct) in the terms of the owner's audit log (audit/recordProcedure.ts):
 * who acted, on which request or grant, and what it covers, read from the stores at the moment of the act
 * (the act itself carries only ids). An approval that issued a grant is two records: the request approved,
 * and the grant issued with its terms. The first approval of a request that needs two officers is recorded
 * as an approval that issued no grant, and says so.
 */
export function proceduresOfAct(
  act: DeskAct,
  owner: string,
  lookup: { request(id: string): FollowUpRequest | undefined; grant(id: string): Grant | undefined },
): ProcedureRecord[] {
  const [country = owner, id = act.by] = act.by.split('/');
  const actor = { id, country, role: 'officer' as const };
  const request = act.requestId === undefined ? undefined : lookup.request(act.requestId);
  const grant = act.grantId === undefined ? undefined : lookup.grant(act.grantId);
  const base = { at: act.at, actor, owner };
  const aboutRequest = request === undefined ? {} : termsOfRequest(request);
  switch (act.act) {
    case 'approval':
    case 'approved': {
      const terms = request?.events.at(-1)?.approval;
      const approved: ProcedureRecord = {
        act: 'request.approved',
        ...base,
        ...aboutRequest,
        requestId: act.requestId!,
        ...(terms !== undefined && { categories: terms.categories, evidentiaryUse: terms.evidentiaryUse }),
        validFrom: grant?.validFrom ?? act.at,
        validUntil: grant?.validUntil ?? act.at + (terms?.validDays ?? 0) * 86_400_000,
        ...(grant !== undefined
          ? { grantId: grant.id }
          : {
              note: 'first of the two approvals this request needs: no grant is issued until a second officer approves the same terms',
            }),
      };
      return grant === undefined
        ? [approved]
        : [
            approved,
            {
              act: 'grant.issued',
              ...base,
              ...termsOfGrant(grant),
              ...(act.requestId !== undefined && { requestId: act.requestId }),
            },
          ];
    }
    case 'refused':
      return [
        {
          act: 'request.refused',
          ...base,
          ...aboutRequest,
          requestId: act.requestId!,
          ground: act.ground ?? request?.ground ?? 'not given',
          ...noteOf(request, 'refused'),
        },
      ];
    case 'info-requested':
      return [
        {
          act: 'request.info_requested',
          ...base,
          ...aboutRequest,
          requestId: act.requestId!,
          note: noteOf(request, 'info-requested').note ?? 'more information asked for',
        },
      ];
    case 'revoked':
      return [
        {
          act: 'grant.revoked',
          ...base,
          ...(grant !== undefined ? termsOfGrant(grant) : { grantId: act.grantId! }),
        },
      ];
  }
}

function termsOfRequest(request: FollowUpRequest): Partial<ProcedureRecord> {
  return {
    requester: { country: request.requesterCountry, analysts: [request.analyst] },
    caseReference: request.caseReference,
    purpose: request.purpose,
    agreement: request.agreement,
    clauses: [...request.clauses],
    subjects: request.subjects,
    categories: request.categories,
  };
}

function termsOfGrant(grant: Grant): Omit<ProcedureRecord, 'act' | 'at' | 'actor' | 'owner'> {
  return {
    grantId: grant.id,
    requester: { country: grant.requesterCountry, analysts: grant.analysts },
    caseReference: grant.caseReference,
    purpose: grant.purpose,
    agreement: grant.agreement,
    clauses: grant.clauses,
    subjects: grant.subjects,
    categories: grant.categories,
    validFrom: grant.validFrom,
    validUntil: grant.validUntil,
    evidentiaryUse: grant.evidentiaryUse,
  };
}

/** The free text said with the request's last act of that kind (the question asked, a refusal's note). */
function noteOf(request: FollowUpRequest | undefined, act: 'refused' | 'info-requested'): { note?: string } {
  const text = request?.events.filter((e) => e.act === act).at(-1)?.text;
  return text !== undefined && text.trim() !== '' ? { note: text } : {};
}

/** What recording a desk act came to: durable, or not (and whether the grant it issued was withdrawn). */
export type DeskRecording =
  | { readonly ok: true }
  | { readonly ok: false; readonly act: ProcedureRecord['act']; readonly withdrawnGrant?: string };

/**
 * Records the acts of a desk that answers over HTTP (subgraphs/desk/mountDesk.ts) in the owner's audit log
 * its server already holds open.
 *
 * `record(acts)`: the records of the acts one call made, in order, durable before the call answers. The
 * act has already changed the stores; when a record cannot be written, a grant the act issued is withdrawn
 * from the instant it was issued (`revoke`), as the command line does, because no grant may open data that
 * nobody could account for. The other acts (a refusal, a question, a revocation) stand: undoing them would
 * reopen a request or a grant an officer has closed, so the caller says the act stands unrecorded.
 *
 * `onAct`: the same records for a desk that does not wait (fail-open, `onError` hears of a failure).
 * `settled` waits for the appends in flight (the server awaits it before it closes the log).
 */
export function deskActRecorder(
  log: AuditLog,
  owner: string,
  lookup: {
    request(id: string): FollowUpRequest | undefined;
    grant(id: string): Grant | undefined;
    /** Withdraws a grant whose issue could not be recorded (GrantStore.revoke); without it, none can be. */
    revoke?(id: string, at: number, by: string): boolean;
  },
  onError: (error: unknown, record: ProcedureRecord) => void,
): {
  readonly onAct: (act: DeskAct) => void;
  readonly record: (acts: readonly DeskAct[]) => Promise<DeskRecording>;
  readonly settled: () => Promise<void>;
} {
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(promise: Promise<T>): Promise<T> => {
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise)).catch(() => undefined);
    return promise;
  };
  // The records are mapped at once, while the stores still say what the act did.
  const recordAll = async (records: readonly ProcedureRecord[]): Promise<DeskRecording> => {
    for (const record of records) {
      try {
        await recordProcedure(log, record);
      } catch (error) {
        onError(error, record);
        const issued = records.find((r) => r.act === 'grant.issued');
        if (issued?.grantId !== undefined && lookup.revoke !== undefined) {
          const withdrawn = lookup.revoke(
            issued.grantId,
            Number(new Date(issued.validFrom ?? Date.now())),
            `${issued.actor.country}/${issued.actor.id}`,
          );
          return { ok: false, act: record.act, ...(withdrawn && { withdrawnGrant: issued.grantId }) };
        }
        return { ok: false, act: record.act };
      }
    }
    return { ok: true };
  };
  return {
    onAct: (act) => {
      for (const record of proceduresOfAct(act, owner, lookup)) {
        void track(recordProcedure(log, record).catch((error: unknown) => onError(error, record)));
      }
    },
    record: (acts) => track(recordAll(acts.flatMap((act) => proceduresOfAct(act, owner, lookup)))),
    settled: async () => {
      await Promise.all([...inFlight]);
    },
  };
}
