import { Agent, request } from 'undici';
import { HUB_NAME, subgraphName, type Member } from '../../schema';
import type { GatewaySigner } from '../../trust';
import type { Notice } from '../../alerts';
import type { Logger } from '../../lib/logger';
import { isAlertAction, isPurpose } from '../../vocabulary';
import { analystCallContext, describeSubgraph } from '../memberDataSource';
import type {
  AcknowledgementEntry,
  AlertBackend,
  AlertCaller,
  LogEntry,
  WatchEntry,
  WatchOutcome,
} from './alertBackend';
import { AlertBackendError, badCursorError } from './AlertBackendError';

/**
 * The alert API's backend over HTTP (docs/decisions/0019-alert-delivery.md): each call goes to a
 * subgraph's own origin under `/alerts/…`, signed as the gateway signs every subgraph call (scope `query`,
 * the analyst's verified context as subgraph calls carry it, the body's hash, audience = the subgraph's
 * name), so the member or the hub checks it with the same `verifyCaller`. Every call has a deadline; a
 * member or hub that is down or answers nonsense is "unavailable", by name, never by address.
 *
 * The routes (request body → answer):
 * In this order: the watcher, the hub, then the recipients (docs/decisions/0019-alert-delivery.md).
 *   watcher  POST /alerts/watches  {"request": WatchRequest}               → {watch, recipients: [{member, watch}]}
 *                                  {"renew": id, "justification", "days"} → {watch, recipients, dropAt}
 *                                  {"cancel": id}                         → {watch, cancelledAt, recipients}
 *   recipient POST /alerts/held    HeldWatch → {held};  {"drop": id} → {dropped}
 *   hub      POST /alerts/watches  {id, caseReference, purpose, createdAt, justifiedAt, expiresAt, recipients} → {watch}
 *            POST /alerts/watches/cancel {id} → {watch}
 *            POST /alerts/watches/list   {}   → {watches}  (the analyst's register entries, newest first)
 *            POST /alerts/log  {after, limit, waitMs} → {notices: [{cursor, body, signature, watch, acknowledgement?}], cursor}
 *            POST /alerts/notice {owner, noticeId} → {notice: {cursor, body, signature, watch, acknowledgement?}}
 *            POST /alerts/acknowledgements {owner, noticeId, action} → {acknowledgement: {analyst, action, at}}
 */
export interface HttpAlertBackendOptions {
  readonly signer: GatewaySigner;
  /** The policy revision every token carries. */
  readonly revision: string;
  readonly members: readonly Member[];
  /** A subgraph's URL (its GraphQL endpoint): the alert routes are at its origin. */
  readonly subgraphUrl: (name: string) => string;
  /** Deadline of every call (a log read: its wait plus this). */
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** How often a recipient is tried before it is named unreached (default 3). */
  readonly attempts?: number;
}

export function httpAlertBackend(options: HttpAlertBackendOptions): AlertBackend {
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 16 });
  const attempts = options.attempts ?? 3;
  const { logger, members } = options;

  /** One signed call; its JSON answer, or an AlertBackendError the analyst may read. */
  async function call(
    name: string,
    path: string,
    caller: AlertCaller,
    body: unknown,
    extra: { signal?: AbortSignal; waitMs?: number } = {},
  ): Promise<Record<string, unknown>> {
    const bytes = JSON.stringify(body);
    const token = options.signer.sign({
      audience: name,
      scope: 'query',
      ctx: analystCallContext(caller.requester, caller.requestId),
      rev: options.revision,
      body: bytes,
    });
    const url = `${new URL(options.subgraphUrl(name)).origin}/alerts/${path}`;
    const { label } = describeSubgraph(name, members);
    const deadline = AbortSignal.timeout(options.timeoutMs + (extra.waitMs ?? 0));
    let status: number;
    let text: string;
    try {
      const answer = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: bytes,
        dispatcher: agent,
        signal: extra.signal ? AbortSignal.any([deadline, extra.signal]) : deadline,
      });
      status = answer.statusCode;
      text = await answer.body.text();
    } catch (error) {
      if (extra.signal?.aborted) throw error;
      logger.warn({ subgraph: name, url, err: error }, 'an alert call failed');
      throw new AlertBackendError('MEMBER_UNAVAILABLE', `${label} is unavailable: it could not be reached.`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (status >= 200 && status < 300 && isObject(json)) return json;
    const first =
      isObject(json) && Array.isArray(json['errors']) ? (json['errors'][0] as unknown) : undefined;
    const message = isObject(first) && typeof first['message'] === 'string' ? first['message'] : undefined;
    const extensions = isObject(first) && isObject(first['extensions']) ? first['extensions'] : {};
    const problems = Array.isArray(extensions['problems'])
      ? extensions['problems'].filter((problem): problem is string => typeof problem === 'string')
      : [];
    // The member's own words for the caller's mistakes (its messages say nothing internal); the rest is
    // the gateway's or the member's fault, told without detail.
    // The hub refuses a cursor it cannot take; the analyst is told as for a malformed one.
    if (status === 400 && extensions['argument'] === 'after') throw badCursorError();
    if ((status === 400 || status === 409) && message !== undefined)
      throw new AlertBackendError('BAD_USER_INPUT', `${label}: ${message}`, problems);
    if (status === 404 && message !== undefined)
      throw new AlertBackendError('NOT_FOUND', `${label}: ${message}`);
    logger.warn({ subgraph: name, url, status, answer: text.slice(0, 500) }, 'an alert call was refused');
    throw new AlertBackendError('MEMBER_UNAVAILABLE', `${label} is unavailable: it refused the request.`);
  }

  /** A recipient's call, tried `attempts` times: true once it answered, false when it never did. */
  async function toRecipient(member: string, caller: AlertCaller, body: unknown): Promise<boolean> {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        await call(subgraphName(member), 'held', caller, body);
        return true;
      } catch (error) {
        if (!(error instanceof AlertBackendError) || error.code !== 'MEMBER_UNAVAILABLE') {
          logger.warn({ member, err: error }, 'a recipient refused a held watch');
          return false;
        }
      }
    }
    return false;
  }

  /** Each recipient its part (held or dropped), side by side; the members not reached. */
  async function distribute(
    caller: AlertCaller,
    sends: readonly { member: string; body: unknown }[],
  ): Promise<{ reached: string[]; unreached: string[] }> {
    const outcomes = await Promise.all(
      sends.map(async ({ member, body }) => ({ member, ok: await toRecipient(member, caller, body) })),
    );
    return {
      reached: outcomes.filter((outcome) => outcome.ok).map((outcome) => outcome.member),
      unreached: outcomes.filter((outcome) => !outcome.ok).map((outcome) => outcome.member),
    };
  }

  async function atHub(caller: AlertCaller, path: string, body: unknown, id: string) {
    try {
      return await call(HUB_NAME, path, caller, body);
    } catch (error) {
      if (error instanceof AlertBackendError && error.code === 'MEMBER_UNAVAILABLE')
        throw new AlertBackendError(
          'MEMBER_UNAVAILABLE',
          `The alliance hub could not register the watch ${id}, so no member was sent it and its alerts could not reach you: try again (renewWatch for a renewal).`,
        );
      throw error;
    }
  }

  const watcher = (caller: AlertCaller) => subgraphName(caller.requester.country);

  /**
   * A registration or renewal, in decision 0019's order: the watcher member creates (or renews) the watch
   * and decides where it goes; the hub registers it before any member holds it, so that no notice for it
   * can reach the hub before the hub knows whose it is (a refusal there stops everything); then each
   * recipient is sent its part, and a member the rules no longer allow drops it.
   */
  async function registerOrRenew(caller: AlertCaller, body: Record<string, unknown>): Promise<WatchOutcome> {
    const answer = await call(watcher(caller), 'watches', caller, body);
    const watch = readWatch(answer['watch']);
    const recipients = readRecipients(answer['recipients']);
    const dropAt = Array.isArray(answer['dropAt']) ? answer['dropAt'].filter(isString) : [];
    const registered = await atHub(
      caller,
      'watches',
      {
        id: watch.id,
        caseReference: watch.caseReference,
        purpose: watch.purpose,
        createdAt: watch.createdAt,
        justifiedAt: watch.justifiedAt,
        expiresAt: watch.expiresAt,
        recipients: recipients.map(({ member }) => member),
      },
      watch.id,
    );
    const sent = await distribute(caller, [
      ...recipients.map(({ member, watch: held }) => ({ member, body: held })),
      ...dropAt.map((member) => ({ member, body: { drop: watch.id } })),
    ]);
    return {
      watch: { ...readEntry(registered['watch']), justifiedAt: watch.justifiedAt },
      unreached: sent.unreached,
    };
  }

  return {
    registerWatch: (caller, input) => registerOrRenew(caller, { request: input }),
    renewWatch: (caller, id, justification, days) =>
      registerOrRenew(caller, { renew: id, justification, days }),
    async cancelWatch(caller, id) {
      const answer = await call(watcher(caller), 'watches', caller, { cancel: id });
      const recipients = readRecipients(answer['recipients']);
      // The hub first, as for a registration: from then on no notice of the watch is delivered.
      const cancelled = await atHub(caller, 'watches/cancel', { id }, id);
      const sent = await distribute(
        caller,
        recipients.map(({ member }) => ({ member, body: { drop: id } })),
      );
      return { watch: readEntry(cancelled['watch']), unreached: sent.unreached };
    },
    async watches(caller) {
      const answer = await call(HUB_NAME, 'watches/list', caller, {});
      const list = Array.isArray(answer['watches']) ? answer['watches'] : [];
      return list.map(readEntry);
    },
    async readLog(caller, read) {
      const answer = await call(
        HUB_NAME,
        'log',
        caller,
        { after: read.after, limit: read.limit, waitMs: read.waitMs },
        { waitMs: read.waitMs, ...(read.signal ? { signal: read.signal } : {}) },
      );
      const notices = Array.isArray(answer['notices']) ? answer['notices'] : [];
      const entries: LogEntry[] = [];
      for (const item of notices) {
        const entry = readLogEntry(item);
        if (entry) entries.push(entry);
        else
          logger.warn(
            { item: JSON.stringify(item).slice(0, 300) },
            'the hub gave a log entry that is not one',
          );
      }
      const cursor = typeof answer['cursor'] === 'string' ? answer['cursor'] : null;
      return { entries, cursor };
    },
    async notice(caller, owner, noticeId) {
      let answer;
      try {
        answer = await call(HUB_NAME, 'notice', caller, { owner, noticeId });
      } catch (error) {
        if (error instanceof AlertBackendError && error.code === 'NOT_FOUND') return undefined;
        throw error;
      }
      const entry = readLogEntry(answer['notice']);
      if (!entry) throw malformed('the hub');
      return entry;
    },
    async acknowledge(caller, acknowledgement) {
      const answer = await call(HUB_NAME, 'acknowledgements', caller, acknowledgement);
      const kept = answer['acknowledgement'];
      if (!isObject(kept) || !isAlertAction(kept['action']) || typeof kept['at'] !== 'number')
        throw malformed('the hub');
      return {
        owner: acknowledgement.owner,
        noticeId: acknowledgement.noticeId,
        action: kept['action'],
        analyst: typeof kept['analyst'] === 'string' ? kept['analyst'] : caller.requester.analyst,
        at: kept['at'],
      } satisfies AcknowledgementEntry;
    },
    close: () => agent.close(),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function malformed(who: string): AlertBackendError {
  return new AlertBackendError('MEMBER_UNAVAILABLE', `${who} gave an answer the gateway cannot read.`);
}

interface WatcherWatch {
  readonly id: string;
  readonly caseReference: string;
  readonly purpose: string;
  readonly createdAt: number;
  readonly justifiedAt: number;
  readonly expiresAt: number;
}

/** The watch as the watcher member answers it: only the references are read (never its identifiers). */
function readWatch(value: unknown): WatcherWatch {
  if (
    !isObject(value) ||
    typeof value['id'] !== 'string' ||
    typeof value['caseReference'] !== 'string' ||
    typeof value['purpose'] !== 'string' ||
    typeof value['createdAt'] !== 'number' ||
    typeof value['justifiedAt'] !== 'number' ||
    typeof value['expiresAt'] !== 'number'
  )
    throw malformed('your member');
  return {
    id: value['id'],
    caseReference: value['caseReference'],
    purpose: value['purpose'],
    createdAt: value['createdAt'],
    justifiedAt: value['justifiedAt'],
    expiresAt: value['expiresAt'],
  };
}

function readRecipients(value: unknown): { member: string; watch: unknown }[] {
  if (!Array.isArray(value)) throw malformed('your member');
  return value.map((recipient) => {
    if (!isObject(recipient) || typeof recipient['member'] !== 'string') throw malformed('your member');
    return { member: recipient['member'], watch: recipient['watch'] };
  });
}

/** A register entry as the hub answers it. */
function readEntry(value: unknown): WatchEntry {
  if (
    !isObject(value) ||
    typeof value['id'] !== 'string' ||
    typeof value['watcher'] !== 'string' ||
    typeof value['analyst'] !== 'string' ||
    typeof value['caseReference'] !== 'string' ||
    !isPurpose(String(value['purpose'])) ||
    typeof value['createdAt'] !== 'number' ||
    typeof value['expiresAt'] !== 'number' ||
    !Array.isArray(value['recipients'])
  )
    throw malformed('the hub');
  return {
    id: value['id'],
    watcher: value['watcher'],
    analyst: value['analyst'],
    caseReference: value['caseReference'],
    purpose: value['purpose'] as WatchEntry['purpose'],
    createdAt: value['createdAt'],
    ...(typeof value['justifiedAt'] === 'number' && { justifiedAt: value['justifiedAt'] }),
    expiresAt: value['expiresAt'],
    ...(typeof value['cancelledAt'] === 'number' && { cancelledAt: value['cancelledAt'] }),
    recipients: value['recipients'].filter(isString),
  };
}

/**
 * One entry of the hub's log. The notice is read from the bytes the owner signed, never from a copy
 * beside them, so what the analyst is shown is what the signature covers; an entry that does not read as
 * a notice is not delivered.
 */
function readLogEntry(value: unknown): LogEntry | undefined {
  if (
    !isObject(value) ||
    typeof value['cursor'] !== 'string' ||
    typeof value['body'] !== 'string' ||
    typeof value['signature'] !== 'string'
  )
    return undefined;
  let notice: unknown;
  try {
    notice = JSON.parse(value['body']);
  } catch {
    return undefined;
  }
  if (!isNotice(notice)) return undefined;
  let watch: WatchEntry;
  try {
    watch = readEntry(value['watch']);
  } catch {
    return undefined;
  }
  const acknowledged = value['acknowledgement'];
  return {
    cursor: value['cursor'],
    body: value['body'],
    notice,
    signature: value['signature'],
    watch,
    ...(isObject(acknowledged) &&
      isAlertAction(acknowledged['action']) &&
      typeof acknowledged['at'] === 'number' && {
        acknowledgement: {
          owner: notice.owner,
          noticeId: notice.noticeId,
          action: acknowledged['action'],
          analyst: String(acknowledged['analyst']),
          at: acknowledged['at'],
        },
      }),
  };
}

const NOTICE_TEXT_FIELDS = [
  'owner',
  'noticeId',
  'watchId',
  'watcher',
  'event',
  'at',
  'subject',
  'eventReference',
  'revision',
] as const;

function isNotice(value: unknown): value is Notice {
  if (!isObject(value)) return false;
  if (!NOTICE_TEXT_FIELDS.every((field) => typeof value[field] === 'string')) return false;
  const basis = value['basis'];
  return (
    Array.isArray(basis) &&
    basis.every(
      (item) =>
        isObject(item) &&
        typeof item['category'] === 'string' &&
        typeof item['agreement'] === 'string' &&
        typeof item['clause'] === 'string',
    )
  );
}
