/**
 * The hub's alert API (issue 11; docs/decisions/0019-alert-delivery.md), mounted under `/alerts` beside
 * its GraphQL endpoint (lib/http.ts `prefixRoutes`) and never composed into the supergraph:
 *
 *   POST /alerts/notices           owners' relays: {"notices":[{"body","signature"}]}, no gateway token
 *   POST /alerts/log               {"after": cursor | null, "limit": n, "waitMs": ms}
 *   POST /alerts/watches           {"id","caseReference","purpose","createdAt","expiresAt","recipients"}
 *   POST /alerts/watches/cancel    {"id"}
 *   POST /alerts/watches/list      {}  → {"watches": [...]}: the analyst's own, newest first
 *   POST /alerts/notice            {"owner","noticeId"}  → {"notice": {...}}: one of the analyst's, as /alerts/log gives it
 *   POST /alerts/acknowledgements  {"owner","noticeId","action"}
 *
 * A notice is trusted for its owner's signature, so its route takes no token: whoever delivers it, only
 * what an owner signed is stored. Every other route is the gateway's, with the analyst's verified context,
 * checked by `verifyCaller` exactly as the hub's GraphQL endpoint checks it (scope `query`); the watcher
 * country and the analyst are the token's, never the body's. Bodies are JSON objects with exactly the
 * fields above; a refused request changes nothing. Errors are lib/http.ts's shape,
 * `{"errors":[{"message","extensions":{"code"}}]}`, with a code of vocabulary/errorCodes.ts and nothing
 * internal in them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, authChallenge, readBody } from '../../lib/http';
import type { Logger } from '../../lib/logger';
import type { ServiceMetrics } from '../../lib/metrics';
import { REFERENCE, type RequestContext } from '../../policy';
import { ERROR_CODES } from '../../schema';
import type { GatewayTokenVerifier } from '../../trust';
import {
  ALERT_ACTIONS,
  AUTH_REALMS,
  PURPOSES,
  isAlertAction,
  isPurpose,
  type Purpose,
} from '../../vocabulary';
import { verifyCaller } from '../kit';
import { AlertLogInputError, MAX_PAGE, type AlertLog, type AlertPage, type WireNotice } from './alertLog';

export const ALERTS_BASE_PATH = '/alerts';
/** A relay sends at most `pending(100)` at once (docs/decisions/0019-alert-delivery.md). */
export const MAX_NOTICES_PER_POST = 100;
/** A hundred notices of a few hundred bytes each, with room to spare. */
export const NOTICES_MAX_BODY_BYTES = 1024 * 1024;
/** The gateway's calls are a few fields. */
export const ALERTS_MAX_BODY_BYTES = 16 * 1024;
/** The longest a `/alerts/log` call waits for a notice: under the server's 30 s request timeout (lib/http.ts). */
export const MAX_WAIT_MS = 25_000;
/** A page when the call names no limit. */
export const DEFAULT_PAGE = 100;

export interface AlertRoutesOptions {
  readonly log: AlertLog;
  /** The hub's verifier of gateway tokens: the one its GraphQL endpoint uses. */
  readonly gatewayTokens: GatewayTokenVerifier;
  /** The member codes of the registry: a watch's recipients are among them. */
  readonly members: readonly string[];
  readonly logger: Logger;
  /** The hub's clock (startHub `now`): arrival, renewal, cancellation and acknowledgement times. */
  readonly now: () => number;
  readonly metrics?: ServiceMetrics;
  /** Aborts when the server stops: a waiting `/alerts/log` answers at once. */
  readonly stopping: AbortSignal;
}

const WATCH_ID = (country: string) =>
  new RegExp(`^${country}-WCH-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$`);
const NOTICE_ID = /^[A-Z]{2}-NTC-[0-9a-f]{24}$/;
const COUNTRY = /^[A-Z]{2}$/;

const SECURITY_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } as const;

/** The handler for everything under `/alerts`: give it to lib/http.ts `prefixRoutes` as `{ '/alerts': handler }`. */
export function alertRoutes(
  options: AlertRoutesOptions,
): (request: IncomingMessage, response: ServerResponse) => void {
  const { log, logger } = options;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const route = ROUTES.find((known) => `${ALERTS_BASE_PATH}/${known}` === path);
    if (route === undefined)
      throw new HttpError(
        404,
        // The routes are not listed: this API is the gateway's and the owners', and a caller who is neither
        // learns nothing of it from a wrong path.
        "Not found. Analysts read and manage their alerts through the gateway's /alerts.",
        ERROR_CODES.NOT_FOUND,
      );
    if (request.method !== 'POST')
      throw new HttpError(405, `${path} answers POST only.`, ERROR_CODES.BAD_REQUEST);
    if (route === 'notices') return notices(request, response);
    const raw = await readBody(request, ALERTS_MAX_BODY_BYTES);
    const caller = await verifyCaller(
      request,
      raw,
      options.gatewayTokens,
      options.now(),
      logger,
      options.metrics,
    );
    if (caller.scope !== 'query' || !caller.requester)
      throw new HttpError(
        401,
        'This route answers only the alliance gateway, for an analyst.',
        ERROR_CODES.UNAUTHENTICATED,
      );
    const requester = caller.requester;
    const body = jsonObject(request, raw);
    switch (route) {
      case 'log':
        return readLog(request, response, requester, body);
      case 'watches':
        return registerWatch(response, requester, body);
      case 'watches/cancel':
        return cancelWatch(response, requester, body);
      case 'watches/list':
        fields(body, {}, []);
        json(response, 200, { watches: await log.watches(requester.country, requester.analyst) });
        return;
      case 'acknowledgements':
        return acknowledge(response, requester, body);
      case 'notice':
        return oneNotice(response, requester, body);
    }
  }

  /** `POST /alerts/notices`: answered once the log has committed what it stored. */
  async function notices(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request, NOTICES_MAX_BODY_BYTES);
    const body = fields(jsonObject(request, raw), { notices: 'list' }, ['notices']);
    const list = body['notices'] as unknown[];
    if (list.length < 1 || list.length > MAX_NOTICES_PER_POST)
      throw new HttpError(
        400,
        `The body is not valid: "notices" must hold 1 to ${MAX_NOTICES_PER_POST} notices, not ${list.length}.`,
        ERROR_CODES.BAD_REQUEST,
      );
    // Each item is read by the log itself (a malformed one is refused there, with its reason).
    const outcomes = await log.append(list as WireNotice[], options.now());
    const acknowledged: string[] = [];
    const refused: { noticeId: string | null; reason: string }[] = [];
    for (const outcome of outcomes) {
      if (outcome.status === 'refused') refused.push({ noticeId: outcome.noticeId, reason: outcome.reason });
      else acknowledged.push(outcome.noticeId);
    }
    if (refused.length > 0)
      logger.warn({ refused, remote: request.socket.remoteAddress }, 'refused notices from a relay');
    json(response, 200, { acknowledged, refused });
  }

  /** `POST /alerts/log`: this analyst's notices after the cursor, waiting up to `waitMs` for one. */
  async function readLog(
    request: IncomingMessage,
    response: ServerResponse,
    requester: RequestContext,
    body: Record<string, unknown>,
  ): Promise<void> {
    const given = fields(body, { after: 'cursor', limit: 'integer', waitMs: 'integer' }, []);
    const limit = (given['limit'] as number | undefined) ?? DEFAULT_PAGE;
    const waitMs = (given['waitMs'] as number | undefined) ?? 0;
    const problems: string[] = [];
    if (limit < 1 || limit > MAX_PAGE) problems.push(`"limit" must be from 1 to ${MAX_PAGE}`);
    if (waitMs < 0) problems.push('"waitMs" must not be negative');
    if (problems.length > 0) invalid(problems);
    // Past the cap the call waits the cap: a client asking for longer is answered, not refused.
    const deadline = performance.now() + Math.min(waitMs, MAX_WAIT_MS);
    const gone = new AbortController();
    response.once('close', () => gone.abort());
    const signal = AbortSignal.any([gone.signal, options.stopping]);
    let after = (given['after'] as string | null | undefined) ?? null;
    let page: AlertPage = await log.since(requester.country, requester.analyst, after, limit);
    for (;;) {
      const remaining = deadline - performance.now();
      if (page.notices.length > 0 || remaining <= 0 || signal.aborted) break;
      const woken = await log.wait(requester.country, requester.analyst, page.cursor, remaining, signal);
      if (!woken) break;
      after = page.cursor;
      page = await log.since(requester.country, requester.analyst, after, limit);
    }
    json(response, 200, { notices: page.notices, cursor: page.cursor });
  }

  /** `POST /alerts/watches`: registers a watch of this analyst, or renews it. */
  async function registerWatch(
    response: ServerResponse,
    requester: RequestContext,
    body: Record<string, unknown>,
  ): Promise<void> {
    const given = fields(
      body,
      {
        id: 'string',
        caseReference: 'string',
        purpose: 'string',
        createdAt: 'integer',
        justifiedAt: 'integer',
        expiresAt: 'integer',
        recipients: 'list',
      },
      ['id', 'caseReference', 'purpose', 'createdAt', 'expiresAt', 'recipients'],
    );
    const problems: string[] = [];
    const id = given['id'] as string;
    if (!WATCH_ID(requester.country).test(id))
      problems.push(`"id" must be a watch id of ${requester.country} (${requester.country}-WCH-<uuid>)`);
    const caseReference = given['caseReference'] as string;
    if (!REFERENCE.test(caseReference))
      problems.push('"caseReference" must be 2 to 64 letters, digits or . _ : / -');
    const purpose = given['purpose'] as string;
    if (!isPurpose(purpose)) problems.push(`"purpose" must be one of ${PURPOSES.join(', ')}`);
    const createdAt = given['createdAt'] as number;
    const expiresAt = given['expiresAt'] as number;
    if (createdAt < 0 || expiresAt <= createdAt) problems.push('"expiresAt" must come after "createdAt"');
    const recipients = given['recipients'] as unknown[];
    if (
      !recipients.every(
        (code) => typeof code === 'string' && options.members.includes(code) && code !== requester.country,
      ) ||
      new Set(recipients).size !== recipients.length
    )
      problems.push(
        `"recipients" must be distinct member codes other than ${requester.country} (members: ${options.members.join(', ')})`,
      );
    if (problems.length > 0) invalid(problems);
    const outcome = await log.registerWatch(
      {
        id,
        watcher: requester.country,
        analyst: requester.analyst,
        caseReference,
        purpose: purpose as Purpose,
        createdAt,
        expiresAt,
        recipients: recipients as string[],
      },
      options.now(),
    );
    if (!outcome.ok)
      throw new HttpError(
        409,
        outcome.reason === 'cancelled'
          ? `Watch ${id} was cancelled: register a new watch.`
          : `Watch ${id} is registered by another analyst: register a new watch.`,
        ERROR_CODES.BAD_REQUEST,
      );
    json(response, 200, { watch: outcome.watch, created: outcome.created });
  }

  /** `POST /alerts/watches/cancel`: cancels a watch this analyst registered. */
  async function cancelWatch(
    response: ServerResponse,
    requester: RequestContext,
    body: Record<string, unknown>,
  ): Promise<void> {
    const id = fields(body, { id: 'string' }, ['id'])['id'] as string;
    const notFound = new HttpError(404, 'No such watch of yours at the hub.', ERROR_CODES.NOT_FOUND);
    if (!WATCH_ID(requester.country).test(id)) throw notFound;
    // Deny by default: the analyst who registered a watch cancels it, as only they read its notices.
    const existing = await log.watch(id);
    if (!existing || existing.watcher !== requester.country || existing.analyst !== requester.analyst)
      throw notFound;
    const outcome = await log.cancelWatch(id, requester.country, options.now());
    if (!outcome.ok) throw notFound;
    json(response, 200, { watch: outcome.watch, first: outcome.first });
  }

  /** `POST /alerts/notice`: one notice of this analyst's, as `/alerts/log` gives it; 404 as for none. */
  async function oneNotice(
    response: ServerResponse,
    requester: RequestContext,
    body: Record<string, unknown>,
  ): Promise<void> {
    const given = fields(body, { owner: 'string', noticeId: 'string' }, ['owner', 'noticeId']);
    const owner = given['owner'] as string;
    const noticeId = given['noticeId'] as string;
    const found =
      COUNTRY.test(owner) && NOTICE_ID.test(noticeId) && noticeId.startsWith(`${owner}-`)
        ? await log.notice(owner, noticeId, requester.country, requester.analyst)
        : undefined;
    if (!found) throw new HttpError(404, 'No such notice of yours at the hub.', ERROR_CODES.NOT_FOUND);
    json(response, 200, { notice: found });
  }

  /** `POST /alerts/acknowledgements`: what the analyst did about one of their notices; the first is kept. */
  async function acknowledge(
    response: ServerResponse,
    requester: RequestContext,
    body: Record<string, unknown>,
  ): Promise<void> {
    const given = fields(body, { owner: 'string', noticeId: 'string', action: 'string' }, [
      'owner',
      'noticeId',
      'action',
    ]);
    const owner = given['owner'] as string;
    const noticeId = given['noticeId'] as string;
    const action = given['action'];
    const problems: string[] = [];
    if (!COUNTRY.test(owner)) problems.push('"owner" must be a member code');
    if (!NOTICE_ID.test(noticeId) || !noticeId.startsWith(`${owner}-`))
      problems.push('"noticeId" must be a notice id of its owner (<owner>-NTC-<24 hex>)');
    if (!isAlertAction(action)) problems.push(`"action" must be one of ${ALERT_ACTIONS.join(', ')}`);
    if (problems.length > 0 || !isAlertAction(action)) invalid(problems);
    // Only a notice this analyst may read (its watch theirs, its owner a recipient when it came) is acknowledged.
    if (!(await log.notice(owner, noticeId, requester.country, requester.analyst)))
      throw new HttpError(404, 'No such notice of yours at the hub.', ERROR_CODES.NOT_FOUND);
    const outcome = await log.acknowledge(
      owner,
      noticeId,
      requester.country,
      requester.analyst,
      action,
      options.now(),
    );
    if (!outcome.ok) throw new HttpError(404, 'No such notice of yours at the hub.', ERROR_CODES.NOT_FOUND);
    json(response, 200, { acknowledgement: outcome.acknowledgement, first: outcome.first });
  }

  return (request, response) => {
    handle(request, response).catch((error: unknown) => {
      // What the client still sends after a refusal is read and dropped, as lib/http.ts does.
      request.resume();
      if (error instanceof HttpError) {
        // A 401 names the realm of the hub's GraphQL endpoint (lib/http.ts authChallenge): it is a subgraph's.
        json(response, error.status, errorBody(error.message, error.code), {
          ...(error.status === 405 && { allow: 'POST' }),
          ...authChallenge(error.status, AUTH_REALMS.subgraph, request),
        });
        return;
      }
      if (error instanceof AlertLogInputError) {
        const body = errorBody(error.message, ERROR_CODES.BAD_REQUEST);
        // The gateway tells the analyst of a refused cursor in its own words (gateway/alerts/AlertBackendError.ts).
        if (error.argument !== undefined) body.errors[0]!.extensions.argument = error.argument;
        json(response, 400, body);
        return;
      }
      // The store failed (a database down, a disk full): the caller retries; why is in the log only.
      logger.error({ err: error, path: request.url }, 'the alert log failed to answer');
      json(
        response,
        503,
        errorBody('The hub cannot take this now; try again shortly.', ERROR_CODES.MEMBER_UNAVAILABLE),
      );
    });
  };
}

const ROUTES = [
  'notices',
  'log',
  'watches',
  'watches/cancel',
  'watches/list',
  'notice',
  'acknowledgements',
] as const;

function errorBody(
  message: string,
  code: string,
): { errors: { message: string; extensions: Record<string, unknown> }[] } {
  return { errors: [{ message, extensions: { code } }] };
}

function invalid(problems: readonly string[]): never {
  throw new HttpError(400, `The body is not valid: ${problems.join('; ')}.`, ERROR_CODES.BAD_REQUEST);
}

/** The body as a JSON object, sent as such. */
function jsonObject(request: IncomingMessage, raw: Buffer): Record<string, unknown> {
  const media = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (media !== 'application/json')
    throw new HttpError(
      415,
      'Send the body as JSON, with content-type: application/json.',
      ERROR_CODES.BAD_REQUEST,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'The body is not valid JSON.', ERROR_CODES.BAD_REQUEST);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new HttpError(400, 'The body must be a JSON object.', ERROR_CODES.BAD_REQUEST);
  return parsed as Record<string, unknown>;
}

type FieldType = 'string' | 'integer' | 'list' | 'cursor';

/** Exactly the fields named, each of its type; every problem is said at once. */
function fields(
  given: Record<string, unknown>,
  shape: Readonly<Record<string, FieldType>>,
  required: readonly string[],
): Record<string, unknown> {
  const problems: string[] = [];
  for (const key of Object.keys(given))
    if (!(key in shape))
      problems.push(
        `unknown field ${JSON.stringify(key.slice(0, 40))} (fields: ${Object.keys(shape).join(', ')})`,
      );
  for (const key of required) if (!(key in given)) problems.push(`"${key}" is required`);
  for (const [key, type] of Object.entries(shape)) {
    if (!(key in given)) continue;
    const value = given[key];
    const ok =
      type === 'string'
        ? typeof value === 'string' && value.length <= 200
        : type === 'integer'
          ? Number.isSafeInteger(value)
          : type === 'list'
            ? Array.isArray(value)
            : value === null || (typeof value === 'string' && value.length <= 64);
    if (!ok)
      problems.push(
        `"${key}" must be ${type === 'integer' ? 'a whole number' : type === 'list' ? 'a list' : type === 'cursor' ? 'a cursor the log gave, or null' : 'a string'}`,
      );
  }
  if (problems.length > 0) invalid(problems);
  return given;
}

function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    ...SECURITY_HEADERS,
    ...headers,
  });
  response.end(JSON.stringify(body));
}
