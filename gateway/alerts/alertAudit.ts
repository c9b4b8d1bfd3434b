import { recordProcedure, type AuditLog, type ProcedureRecord } from '../../audit';
import { accordError, ERROR_CODES } from '../../schema';
import type { Logger } from '../../lib/logger';
import type { AcknowledgementEntry, AlertCaller, LogEntry } from './alertBackend';

/**
 * The gateway's records of alerts (docs/decisions/0019-alert-delivery.md, "Records of the alerts"): each
 * notice delivered to an analyst and each acknowledgement, appended to the gateway's audit log and durable
 * before the answer leaves. When the record cannot be written, nothing leaves: the caller gets
 * AUDIT_UNAVAILABLE (the notice stays in the hub's log, to be delivered on the next read).
 */
export async function recordDelivery(
  audit: AuditLog | undefined,
  caller: AlertCaller,
  entry: LogEntry,
  logger: Logger,
): Promise<void> {
  const { notice, watch } = entry;
  await append(
    audit,
    {
      act: 'notice.delivered',
      actor: { id: caller.requester.analyst, country: caller.requester.country, role: 'analyst' },
      owner: notice.owner,
      requester: { country: watch.watcher, analysts: [watch.analyst] },
      caseReference: watch.caseReference,
      purpose: watch.purpose,
      subjects: [notice.subject],
      categories: [...new Set(notice.basis.map((basis) => basis.category))].sort(),
      noticeId: notice.noticeId,
      watchId: notice.watchId,
    } as unknown as ProcedureRecord,
    caller,
    logger,
  );
}

export async function recordAcknowledgement(
  audit: AuditLog | undefined,
  caller: AlertCaller,
  acknowledgement: AcknowledgementEntry,
  logger: Logger,
): Promise<void> {
  await append(
    audit,
    {
      act: 'notice.acknowledged',
      at: acknowledgement.at,
      actor: { id: caller.requester.analyst, country: caller.requester.country, role: 'analyst' },
      owner: acknowledgement.owner,
      requester: { country: caller.requester.country, analysts: [caller.requester.analyst] },
      noticeId: acknowledgement.noticeId,
      action: acknowledgement.action,
    } as unknown as ProcedureRecord,
    caller,
    logger,
  );
}

export const ALERT_AUDIT_UNAVAILABLE_MESSAGE =
  'Accord could not record this in its audit log, so it was not sent. Try again shortly; the incident is logged.';

async function append(
  audit: AuditLog | undefined,
  record: ProcedureRecord,
  caller: AlertCaller,
  logger: Logger,
): Promise<void> {
  if (!audit) return;
  try {
    await recordProcedure(audit, record);
  } catch (error) {
    logger.error(
      { err: error, requestId: caller.requestId, act: record.act },
      'could not record an alert act: the answer is withheld',
    );
    throw accordError(ERROR_CODES.AUDIT_UNAVAILABLE, ALERT_AUDIT_UNAVAILABLE_MESSAGE);
  }
}
