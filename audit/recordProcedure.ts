/**
 * The owner's desk acts as audit records (issue 9): a formal request filed, more information asked, the
 * request refused (with its ground) or approved, a grant issued or revoked, an emergency registered. They
 * go into the owner's hash-chained log beside its disclosures, as entries of kind `procedure`, so that one
 * query shows a legal team how a grant came to be, what it opened and when it ended.
 *
 *   await recordProcedure(log, {
 *     act: 'grant.issued', actor: { id: 'desk.kh', country: 'KH', role: 'officer' }, owner: 'KH',
 *     grantId: 'MLA-2026-0042', requester: { country: 'KR', analysts: ['lee.h'] }, caseReference: 'KR-CAS-000001',
 *     purpose: 'investigation', agreement: 'kr-kh-mlat-2021', clauses: ['persons-and-records'],
 *     subjects: ['KH-SUS-000001'], categories: ['person.identity'], validFrom, validUntil,
 *   });
 *
 * The acts are a closed set, and each names what it cannot go without (PROCEDURE_REQUIRES); a record that
 * does not match is refused (AuditError BAD_RECORD) and nothing is written.
 */
import type { AuditLog } from './openAuditLog';
import type { ProcedureRecord, RecordRef } from './types';

/**
 * Appends one desk act to the owner's log. Resolves with its place once durable; rejects with an AuditError
 * (BAD_RECORD: nothing written; LOG_UNAVAILABLE: the commit failed). A caller that must not act without the
 * record (a grant that nobody could account for) undoes the act when this rejects.
 */
export function recordProcedure(log: AuditLog, act: ProcedureRecord): Promise<RecordRef> {
  return log.append(act);
}
