/**
 * Checks a desk act (audit/recordProcedure.ts) before it is appended: the act is one of a closed set, and
 * carries what that act cannot go without. Nothing is coerced, except times into ISO 8601 UTC.
 */
import { isCategory, isCountryCode, isPurpose } from '../vocabulary';
import { isJustification, readJustification } from '../policy';
import { AuditError } from './AuditError';
import type { ProcedureAct, ProcedureBasis, ProcedureBody, ProcedureRecord } from './types';
import { bad, isoTime, object, text, texts } from './validateRecord';

export const PROCEDURE_ACTS: readonly ProcedureAct[] = [
  'request.filed',
  'request.info_requested',
  'request.info_supplied',
  'request.refused',
  'request.approved',
  'grant.issued',
  'grant.revoked',
  'emergency.registered',
  'watch.registered',
  'watch.renewed',
  'watch.cancelled',
  'watch.held',
  'watch.dropped',
  'notice.emitted',
  'notice.delivered',
  'notice.acknowledged',
];

const ROLES = new Set(['officer', 'analyst', 'system']);

/** What each act must carry besides the act, who acted, and the owner. */
export const PROCEDURE_REQUIRES: Readonly<Record<ProcedureAct, readonly (keyof ProcedureRecord)[]>> = {
  'request.filed': [
    'requestId',
    'requester',
    'caseReference',
    'purpose',
    'agreement',
    'clauses',
    'subjects',
    'categories',
  ],
  'request.info_requested': ['requestId', 'note'],
  // The requester's answer to the desk's question, as it went back to the desk.
  'request.info_supplied': ['requestId', 'requester', 'note'],
  // Directive (EU) 2023/977 art. 6 and the treaties list the grounds a refusal must give.
  'request.refused': ['requestId', 'ground'],
  'request.approved': ['requestId', 'categories', 'validFrom', 'validUntil'],
  'grant.issued': [
    'grantId',
    'requester',
    'caseReference',
    'purpose',
    'agreement',
    'clauses',
    'subjects',
    'categories',
    'validFrom',
    'validUntil',
  ],
  'grant.revoked': ['grantId'],
  'emergency.registered': ['registrationId', 'requester', 'validFrom', 'validUntil', 'justification'],
  // Alerts (docs/decisions/0019-alert-delivery.md). The watcher's member: the watch, where it went and why.
  'watch.registered': [
    'watchId',
    'requester',
    'caseReference',
    'purpose',
    'validUntil',
    'justification',
    'recipients',
    'basis',
  ],
  'watch.renewed': ['watchId', 'validUntil', 'justification', 'recipients', 'basis'],
  'watch.cancelled': ['watchId', 'recipients'],
  // A recipient: what it holds, for whom.
  'watch.held': ['watchId', 'requester', 'caseReference', 'purpose', 'validUntil'],
  'watch.dropped': ['watchId', 'requester'],
  // The owner: the notice its record change gave, about which record, under which clauses.
  'notice.emitted': ['noticeId', 'watchId', 'requester', 'eventReference', 'subjects', 'basis'],
  // The gateway: the notice reached the watcher's analyst; the analyst's answer.
  'notice.delivered': ['noticeId', 'watchId', 'requester'],
  'notice.acknowledged': ['noticeId', 'requester', 'action'],
};

/** Checks a desk act and turns it into the stored body; the time moves to the envelope. */
export function validateProcedureRecord(input: unknown): { at: string | undefined; body: ProcedureBody } {
  const record = object(input, 'the procedure record');
  const act = record['act'];
  if (typeof act !== 'string' || !(PROCEDURE_ACTS as readonly string[]).includes(act))
    throw bad('act', act, `one of ${PROCEDURE_ACTS.join(', ')}`);
  const r = record as unknown as ProcedureRecord;
  for (const key of PROCEDURE_REQUIRES[act as ProcedureAct]) {
    if (r[key] === undefined)
      throw new AuditError('BAD_RECORD', `Audit record: a ${act} record must name its ${key}.`);
  }
  const actor = object(r.actor, 'actor');
  const actorCountry = country(actor['country'], 'actor.country');
  if (!ROLES.has(actor['role'] as string))
    throw bad(
      'actor.role',
      actor['role'],
      '"officer" (a desk officer of the owner), "analyst" (the requester) or "system" (a member\'s own system)',
    );
  const owner = country(r.owner, 'owner');
  const requester = r.requester === undefined ? undefined : object(r.requester, 'requester');
  const validFrom = r.validFrom === undefined ? undefined : isoTime(r.validFrom, 'validFrom');
  const validUntil = r.validUntil === undefined ? undefined : isoTime(r.validUntil, 'validUntil');
  if (validFrom !== undefined && validUntil !== undefined && !(validFrom < validUntil))
    throw bad('validUntil', validUntil, `a time after validFrom (${validFrom})`);
  if (r.purpose !== undefined && !isPurpose(text(r.purpose, 'purpose')))
    throw bad('purpose', r.purpose, 'a purpose of docs/domain.md ("investigation", …)');
  if (r.evidentiaryUse !== undefined && typeof r.evidentiaryUse !== 'boolean')
    throw bad('evidentiaryUse', r.evidentiaryUse, 'true or false');
  const body: ProcedureBody = {
    act: act as ProcedureAct,
    actor: {
      id: text(actor['id'], 'actor.id'),
      country: actorCountry,
      role: actor['role'] as ProcedureBody['actor']['role'],
    },
    owner,
    ...(requester !== undefined && {
      requester: {
        country: country(requester['country'], 'requester.country'),
        ...(requester['analysts'] !== undefined && {
          analysts: texts(requester['analysts'], 'requester.analysts'),
        }),
      },
    }),
    ...(r.requestId !== undefined && { requestId: text(r.requestId, 'requestId') }),
    ...(r.grantId !== undefined && { grantId: text(r.grantId, 'grantId') }),
    ...(r.registrationId !== undefined && { registrationId: text(r.registrationId, 'registrationId') }),
    ...(r.caseReference !== undefined && { caseReference: text(r.caseReference, 'caseReference') }),
    ...(r.purpose !== undefined && { purpose: r.purpose }),
    ...(r.subjects !== undefined && { subjects: texts(r.subjects, 'subjects') }),
    ...(r.categories !== undefined && { categories: categories(r.categories) }),
    ...(r.agreement !== undefined && { agreement: text(r.agreement, 'agreement') }),
    ...(r.clauses !== undefined && { clauses: texts(r.clauses, 'clauses') }),
    ...(validFrom !== undefined && { validFrom }),
    ...(validUntil !== undefined && { validUntil }),
    ...(r.evidentiaryUse !== undefined && { evidentiaryUse: r.evidentiaryUse }),
    ...(r.ground !== undefined && { ground: text(r.ground, 'ground') }),
    ...(r.justification !== undefined && { justification: justificationOf(r.justification) }),
    ...(r.note !== undefined && { note: text(r.note, 'note') }),
    ...(r.watchId !== undefined && { watchId: text(r.watchId, 'watchId') }),
    ...(r.noticeId !== undefined && { noticeId: text(r.noticeId, 'noticeId') }),
    ...(r.eventReference !== undefined && { eventReference: text(r.eventReference, 'eventReference') }),
    ...(r.recipients !== undefined && { recipients: countries(r.recipients, 'recipients') }),
    ...(r.basis !== undefined && { basis: basisOf(r.basis) }),
    ...(r.action !== undefined && { action: text(r.action, 'action') }),
  };
  return { at: r.at === undefined ? undefined : isoTime(r.at, 'at'), body };
}

/**
 * An emergency's justification, by the same definition the registry and the header parsers read it
 * (policy isJustification): a text they accepted (Khmer with its word-break zero-width spaces, say) is never
 * refused here, which would leave a registration unrecordable.
 */
function justificationOf(value: unknown): string {
  if (!isJustification(value)) {
    const why = typeof value === 'string' ? readJustification(value, 'it') : undefined;
    throw bad('justification', value, `a justification${why && !why.ok ? ` (${why.problem})` : ''}`);
  }
  return value as string;
}

/** True when a procedure body is about this grant (issued, revoked, or the approval that made it). */
export function procedureNamesGrant(body: ProcedureBody, grantId: string): boolean {
  return body.grantId === grantId;
}

function country(value: unknown, where: string): string {
  const code = text(value, where);
  if (!isCountryCode(code)) throw bad(where, code, 'an ISO 3166-1 alpha-2 code such as "KH"');
  return code;
}

/** Member codes; an empty list is an answer too (a watch that went nowhere). */
function countries(value: unknown, where: string): string[] {
  if (!Array.isArray(value)) throw bad(where, value, 'a list of ISO 3166-1 alpha-2 codes');
  return value.map((code: unknown, i) => country(code, `${where}[${i}]`));
}

/** Each entry: a category of docs/domain.md, the agreement and clause, and for a watch the member it went to. */
function basisOf(value: unknown): ProcedureBasis[] {
  if (!Array.isArray(value)) throw bad('basis', value, 'a list of { category, agreement, clause }');
  return value.map((entry: unknown, i) => {
    const item = object(entry, `basis[${i}]`);
    const category = text(item['category'], `basis[${i}].category`);
    if (!isCategory(category))
      throw bad(`basis[${i}].category`, category, 'a data category of docs/domain.md ("person.identity", …)');
    return {
      ...(item['member'] !== undefined && { member: country(item['member'], `basis[${i}].member`) }),
      category,
      agreement: text(item['agreement'], `basis[${i}].agreement`),
      clause: text(item['clause'], `basis[${i}].clause`),
    };
  });
}

function categories(value: unknown): string[] {
  const list = texts(value, 'categories');
  list.forEach((category, i) => {
    if (!isCategory(category))
      throw bad(`categories[${i}]`, category, 'a data category of docs/domain.md ("person.identity", …)');
  });
  return list;
}
