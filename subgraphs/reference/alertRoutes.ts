/**
 * A member's alert routes (issue 11; docs/decisions/0019-alert-delivery.md), mounted under `/alerts` beside
 * its subgraph (lib/http.ts `prefixRoutes`) and called by the gateway only, with its token for the
 * analyst (scope `query`; subgraphs/kit/gatewayCall.ts). Who asks (country, analyst) comes from the token,
 * never from the body.
 *
 *   POST /alerts/watches   at the analyst's own member
 *     {"request": WatchRequest}                          → {"watch", "recipients": [{"member", "watch": HeldWatch}]}
 *     {"renew": id, "justification": "…", "days": n}    → {"watch", "recipients": [...], "dropAt": [member…]}
 *     {"cancel": id}                                     → {"watch", "cancelledAt", "recipients": [...]}
 *   POST /alerts/held      at a recipient, for a watch of the token's country and analyst
 *     HeldWatch                                          → {"held": HeldWatch}
 *     {"drop": id}                                       → {"dropped": true | false}
 *
 * The watcher decides the distribution with its own engine (alerts/distribute.ts) over every member of
 * the registry, and keeps the watch whole (`own_watches`). A renewal is distributed again, as the rules may
 * have changed since: `dropAt` names the members that held it and may no longer. A cancellation answers
 * the members it was held at, to drop it there; cancelling twice answers the same. Only the analyst who
 * registered a watch renews or cancels it: another's is "no such watch", as a watch that does not exist.
 *
 * Errors: `{"errors": [{"message", "extensions": {"code", "problems"}}]}`, the code from
 * vocabulary/errorCodes.ts: BAD_USER_INPUT (400, a WatchError, every problem listed), BAD_REQUEST (400 a
 * body of no known form, 403 a call for another member's analysts, 405, 415), NOT_FOUND (404),
 * PAYLOAD_TOO_LARGE (413), UNAUTHENTICATED (401), MEMBER_UNAVAILABLE (503, tokens cannot be checked now),
 * AUDIT_UNAVAILABLE (503, see `record`), INTERNAL_SERVER_ERROR (500, nothing internal said). A refused
 * call changes nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  WatchError,
  createWatch,
  distributeWatch,
  renewWatch,
  type HeldWatch,
  type Notice,
  type Recipient,
  type Watch,
} from '../../alerts';
import { HttpError, authChallenge } from '../../lib/http';
import type { Logger } from '../../lib/logger';
import type { Policy, RequestContext } from '../../policy';
import { ERROR_CODES } from '../../schema';
import { AUTH_REALMS } from '../../vocabulary';
import { answerError, answerJson, readGatewayCall, type GatewayCallOptions } from '../kit';
import type { OwnerAlerts } from './ownerAlerts';
import type { HeldRecipient, OwnWatches } from './ownWatches';

export const ALERTS_BASE_PATH = '/alerts';

/** An alert act of this member, for its audit log (docs/decisions/0019-alert-delivery.md, the table of records). */
export type AlertAct =
  | {
      readonly act: 'watch.registered';
      readonly change: 'created' | 'renewed' | 'cancelled';
      readonly requester: RequestContext;
      readonly watch: Watch;
      /** Created and renewed: each recipient with the clauses that let each identifier go; cancelled: where it was held. */
      readonly recipients: readonly (Recipient | HeldRecipient)[];
      readonly at: number;
    }
  | {
      readonly act: 'watch.held';
      readonly change: 'held' | 'dropped';
      readonly requester: RequestContext;
      readonly watch: HeldWatch;
      readonly at: number;
    }
  | {
      /** The owner committed a notice to its outbox (recorded after the commit: the outbox is the source of truth). */
      readonly act: 'notice.emitted';
      readonly notice: Notice;
      /** The watch it was emitted for, as held here (its analyst); absent when no longer held. */
      readonly watch?: HeldWatch;
      readonly at: number;
    };

export interface AlertRoutesOptions {
  /** This member's code. */
  readonly country: string;
  /** The member's engine: it decides where its watches go. */
  readonly policy: Policy;
  /** Every member of the registry (schema MEMBERS); the watcher itself is skipped. */
  readonly members: readonly string[];
  readonly alerts: OwnerAlerts;
  readonly watches: OwnWatches;
  /** The member's gateway-token verifier (audience: its subgraph). */
  readonly gatewayTokens: GatewayCallOptions['verifier'];
  readonly logger: Logger;
  readonly now: () => number;
  /**
   * Records an act in the member's audit log, awaited before the answer. When it rejects, a new watch is
   * withdrawn (nothing was sent anywhere) and any other act stands; the answer is 503 AUDIT_UNAVAILABLE
   * and says which. Absent: nothing is recorded.
   */
  readonly record?: (act: AlertAct) => Promise<void>;
}

const WATCH_ID = /^[A-Z]{2}-WCH-[0-9a-f-]{36}$/;

/** `{ '/alerts': handler }`, for startSubgraph's `prefixRoutes`. */
export function mountAlerts(
  options: AlertRoutesOptions,
): Readonly<Record<string, (request: IncomingMessage, response: ServerResponse) => void>> {
  return { [ALERTS_BASE_PATH]: alertRoutes(options) };
}

export function alertRoutes(
  options: AlertRoutesOptions,
): (request: IncomingMessage, response: ServerResponse) => void {
  const { country, policy, members, alerts, watches, logger, now } = options;

  async function recorded(
    act: Exclude<AlertAct, { act: 'notice.emitted' }>,
    undo?: () => void,
  ): Promise<void> {
    if (options.record === undefined) return;
    try {
      await options.record(act);
    } catch (error) {
      logger.error({ err: error, act: act.act, watch: act.watch.id }, 'an alert act could not be recorded');
      undo?.();
      throw new HttpError(
        503,
        undo !== undefined
          ? `The watch could not be recorded in ${country}'s audit log, so it was not registered; try again shortly.`
          : `The ${act.act} act stands but could not be recorded in ${country}'s audit log; the server log says why.`,
        ERROR_CODES.AUDIT_UNAVAILABLE,
      );
    }
  }

  async function ownWatches(requester: RequestContext, body: Record<string, unknown>, at: number) {
    if (requester.country !== country)
      throw new HttpError(
        403,
        `Watches of ${requester.country}'s analysts are registered at ${requester.country}, not here.`,
        ERROR_CODES.BAD_REQUEST,
      );
    const watcher = { country, analyst: requester.analyst };
    if (onlyKeys(body, ['request'])) {
      const watch = createWatch(body['request'], watcher, at);
      const recipients = distributeWatch(policy, watch, members, at);
      watches.put(watch, recipients);
      await recorded({ act: 'watch.registered', change: 'created', requester, watch, recipients, at }, () =>
        watches.remove(watch.id),
      );
      return { watch, recipients: heldBy(recipients) };
    }
    if (onlyKeys(body, ['renew', 'justification', 'days'])) {
      const own = mine(body['renew'], requester);
      if (own.cancelledAt !== undefined)
        throw new WatchError([`renew: the watch ${own.watch.id} was cancelled; register a new one`]);
      const watch = renewWatch(own.watch, body['justification'], body['days'], at);
      const recipients = distributeWatch(policy, watch, members, at);
      const still = new Set(recipients.map((recipient) => recipient.member));
      watches.put(watch, recipients);
      await recorded({ act: 'watch.registered', change: 'renewed', requester, watch, recipients, at });
      return {
        watch,
        recipients: heldBy(recipients),
        // Every member it ever went to and no longer does: one that did not hear an earlier drop hears it now.
        dropAt: own.everSentTo.map((held) => held.member).filter((member) => !still.has(member)),
      };
    }
    if (onlyKeys(body, ['cancel'])) {
      const own = mine(body['cancel'], requester);
      // Cancelling again answers as the first time did: the gateway may be retrying the drops.
      if (own.cancelledAt === undefined) {
        watches.cancel(own.watch.id, at);
        await recorded({
          act: 'watch.registered',
          change: 'cancelled',
          requester,
          watch: own.watch,
          recipients: own.everSentTo,
          at,
        });
      }
      // Every member it ever went to: one a renewal dropped it from may not have heard that drop.
      return {
        watch: own.watch,
        cancelledAt: own.cancelledAt ?? at,
        recipients: heldBy(own.everSentTo),
      };
    }
    throw new HttpError(
      400,
      'The body is one of {"request": …}, {"renew": id, "justification": …, "days": …} or {"cancel": id}.',
      ERROR_CODES.BAD_REQUEST,
    );
  }

  /** The analyst's own watch of that id; another's, like none, is not found. */
  function mine(id: unknown, requester: RequestContext) {
    if (typeof id !== 'string')
      throw new HttpError(400, 'A watch is named by its id, a string.', ERROR_CODES.BAD_REQUEST);
    const own = WATCH_ID.test(id) ? watches.get(id) : undefined;
    if (own === undefined || own.watch.analyst !== requester.analyst)
      throw new HttpError(404, 'You have no watch with that id here.', ERROR_CODES.NOT_FOUND);
    return own;
  }

  async function held(requester: RequestContext, body: Record<string, unknown>, at: number) {
    if (requester.country === country)
      throw new HttpError(403, `${country} does not hold its own watches.`, ERROR_CODES.BAD_REQUEST);
    if (onlyKeys(body, ['drop'])) {
      const id = body['drop'];
      if (typeof id !== 'string')
        throw new HttpError(400, 'A watch is named by its id, a string.', ERROR_CODES.BAD_REQUEST);
      const current = WATCH_ID.test(id) ? alerts.heldWatch(id) : undefined;
      // Only the watch of this analyst of the token's country: anyone else's is as if none were held.
      if (current === undefined || !sameAnalyst(current, requester)) return { dropped: false };
      alerts.drop(id);
      await recorded({ act: 'watch.held', change: 'dropped', requester, watch: current, at });
      return { dropped: true };
    }
    // Checked before the watch is read: a body that names another watcher is refused whatever else it holds.
    if (body['watcher'] !== requester.country || body['analyst'] !== requester.analyst)
      throw new HttpError(
        403,
        'A member holds a watch for the analyst who registered it, and from that analyst only.',
        ERROR_CODES.BAD_REQUEST,
      );
    const id = body['id'];
    const current = typeof id === 'string' ? alerts.heldWatch(id) : undefined;
    if (current !== undefined && !sameAnalyst(current, requester))
      throw new HttpError(
        403,
        'A member holds a watch for the analyst who registered it, and from that analyst only.',
        ERROR_CODES.BAD_REQUEST,
      );
    const watch = alerts.hold(body);
    await recorded({ act: 'watch.held', change: 'held', requester, watch, at });
    return { held: watch };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const at = now();
    const call = await readGatewayCall(request, { verifier: options.gatewayTokens, at, logger });
    const body = { ...call.body };
    if (path === `${ALERTS_BASE_PATH}/watches`)
      return answerJson(
        response,
        200,
        await refusing(actOf(body), () => ownWatches(call.requester, body, at)),
      );
    if (path === `${ALERTS_BASE_PATH}/held`)
      return answerJson(
        response,
        200,
        await refusing('The watch was not held', () => held(call.requester, body, at)),
      );
    throw new HttpError(
      404,
      // The routes are not listed: they are the gateway's and the other members' (as the hub's are).
      "Not found. Analysts read and manage their alerts through the gateway's /alerts.",
      ERROR_CODES.NOT_FOUND,
    );
  }

  return (request, response) => {
    handle(request, response).catch((error: unknown) => {
      // What the client still sends is drained, as lib/http.ts does for a refusal before the body was read.
      request.resume();
      // A 401 names the realm of the member's GraphQL endpoint (lib/http.ts authChallenge): a subgraph's.
      if (error instanceof HttpError)
        return answerError(
          response,
          error.status,
          error.code,
          error.message,
          [],
          authChallenge(error.status, AUTH_REALMS.subgraph, request),
        );
      // The message says what was refused and why, in full: the gateway shows it to the analyst as it is
      // (the problems, one by one, go along for a client that lists them).
      if (error instanceof WatchRefused)
        return answerError(response, 400, ERROR_CODES.BAD_USER_INPUT, error.message, error.problems);
      logger.error({ err: error, path: request.url }, 'an alert route failed to answer');
      answerError(
        response,
        500,
        ERROR_CODES.INTERNAL_SERVER_ERROR,
        'The alert route failed to answer; the server log says why.',
      );
    });
  };
}

/** A watch refused, and what was asked: `The watch was not renewed`. */
class WatchRefused extends Error {
  constructor(
    readonly act: string,
    readonly problems: readonly string[],
  ) {
    super(`${act}: ${problems.join('; ')}.`);
    this.name = 'WatchRefused';
  }
}

/** Runs `call`; a WatchError it throws is told as a refusal of `act`. */
async function refusing<T>(act: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof WatchError) throw new WatchRefused(act, error.problems);
    throw error;
  }
}

/** What a call to /watches asks for, as the analyst would say it was refused. */
function actOf(body: Record<string, unknown>): string {
  if ('renew' in body) return 'The watch was not renewed';
  if ('cancel' in body) return 'The watch was not cancelled';
  return 'The watch was not registered';
}

/** The body has exactly these keys (the first required, the rest may be absent only where the act allows). */
function onlyKeys(body: Record<string, unknown>, keys: readonly string[]): boolean {
  return keys[0]! in body && Object.keys(body).every((key) => keys.includes(key));
}

function sameAnalyst(watch: HeldWatch, requester: RequestContext): boolean {
  return watch.watcher === requester.country && watch.analyst === requester.analyst;
}

/** What each recipient holds: its member and its HeldWatch, without the clauses (those go to the audit log). */
function heldBy(recipients: readonly (Recipient | HeldRecipient)[]): HeldRecipient[] {
  return recipients.map(({ member, watch }) => ({ member, watch }));
}
