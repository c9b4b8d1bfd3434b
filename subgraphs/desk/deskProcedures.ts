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
export function proceduresOfAct(act: DeskAct, owner: string, lookup: { request(id: string): FollowUpRequest | undefined; grant(id: string): Grant | undefined }): ProcedureRecord[] {
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
        ...(grant !== undefined ? { grantId: grant.id } : { note: 'first of the two approvals this request needs: no grant is issued until a second officer approves the same terms' }),
      };
      return grant === undefined ? [approved] : [approved, { act: 'grant.issued', ...base, ...termsOfGrant(grant), ...(act.requestId !== undefined && { requestId: act.requestId }) }];
    }
    case 'refused':
      return [{ act: 'request.refused', ...base, ...aboutRequest, requestId: act.requestId!, ground: act.ground ?? request?.ground ?? 'not given', ...noteOf(request, 'refused') }];
    case 'info-requested':
      return [{ act: 'request.info_requested', ...base, ...aboutRequest, requestId: act.requestId!, note: noteOf(request, 'info-requested').note ?? 'more information asked for' }];
    case 'revoked':
      return [{ act: 'grant.revoked', ...base, ...(grant !== undefined ? termsOfGrant(grant) : { grantId: act.grantId! }) }];
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

/**
 * Records the acts of a desk that answers over HTTP (subgraphs/desk/mountDesk.ts) in the owner's audit log
 * its server already holds open: `onAct` for createDesk, `settled` to wait for the appends in flight (the
 * server awaits it before it closes the log). The act has already changed the stores when it is recorded,
 * and its answer does not wait for the record: an append that fails is reported through `onError` (the
 * command line instead opens the log first and withdraws a grant it could not record).
 */
export function deskActRecorder(
  log: AuditLog,
  owner: string,
  lookup: { request(id: string): FollowUpRequest | undefined; grant(id: string): Grant | undefined },
  onError: (error: unknown, record: ProcedureRecord) => void,
): { readonly onAct: (act: DeskAct) => void; readonly settled: () => Promise<void> } {
  const inFlight = new Set<Promise<unknown>>();
  return {
    onAct: (act) => {
      for (const record of proceduresOfAct(act, owner, lookup)) {
        const appended = recordProcedure(log, record).catch((error: unknown) => onError(error, record));
        inFlight.add(appended);
        void appended.finally(() => inFlight.delete(appended));
      }
    },
    settled: async () => {
      await Promise.all([...inFlight]);
    },
  };
}
