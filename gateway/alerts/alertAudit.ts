import { recordProcedure, type AuditLog, type ProcedureRecord } from '../../audit';
import { accordError, ERROR_CODES } from '../../schema';
import type { Logger } from '../../lib/logger';
import type { AcknowledgementInput, AlertCaller, LogEntry } from './alertBackend';

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
      actor: actorOf(caller),
      owner: notice.owner,
      noticeId: notice.noticeId,
      watchId: notice.watchId,
      requester: { country: watch.watcher, analysts: [watch.analyst] },
      caseReference: watch.caseReference,
      purpose: watch.purpose,
      subjects: [notice.subject],
      eventReference: notice.eventReference,
      basis: notice.basis.map(({ category, agreement, clause }) => ({ category, agreement, clause })),
    },
    caller,
    logger,
  );
}

/** The analyst's acknowledgement as they gave it (the hub keeps the first of several; the answer says which). */
export async function recordAcknowledgement(
  audit: AuditLog | undefined,
  caller: AlertCaller,
  acknowledgement: AcknowledgementInput,
  logger: Logger,
): Promise<void> {
  await append(
    audit,
    {
      act: 'notice.acknowledged',
      actor: actorOf(caller),
      owner: acknowledgement.owner,
      noticeId: acknowledgement.noticeId,
      requester: { country: caller.requester.country, analysts: [caller.requester.analyst] },
      action: acknowledgement.action,
    },
    caller,
    logger,
  );
}

function actorOf(caller: AlertCaller): ProcedureRecord['actor'] {
  return { id: caller.requester.analyst, country: caller.requester.country, role: 'analyst' };
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
