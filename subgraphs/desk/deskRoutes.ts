/**
 * The desk's HTTP API and page on the member's own server (issue 9), mounted under `/desk` beside the
 * subgraph (lib/http.ts `prefixRoutes`) and never composed into the supergraph:
 *
 *   GET  /desk                            the desk page (HTML); a browser without a token gets the sign-in form
 *   POST /desk/session                    the sign-in form: token=<desk token> (page/signInPage.ts, deskSession.ts)
 *   POST /desk/session/end                sign out of the page
 *   GET  /desk/requests                   ?state=&requester=&analyst=&overdue=true|false; overdue first
 *   GET  /desk/requests/:id
 *   POST /desk/requests/:id/approve       {"categories":[…],"validDays":30,"evidentiaryUse":false}
 *   POST /desk/requests/:id/refuse        {"ground":"ongoing-investigation","note":"…"}   (note optional)
 *   POST /desk/requests/:id/ask           {"question":"…"}
 *   GET  /desk/grants
 *   POST /desk/grants/:id/revoke          (no body, or {})
 *
 * Every path but the two of the sign-in needs a desk token of this member (subgraphs/desk/deskAccess.ts),
 * checked before anything else, so a stranger learns nothing, not even which paths exist. The token comes
 * as `Authorization: Bearer`; the page alone also takes it from its sign-in cookie, never an act. Bodies are JSON objects with exactly the
 * fields above (unknown fields, wrong types, other media types and bodies over DESK_MAX_BODY_BYTES are
 * refused); a refused request changes nothing. Errors are `{"error":{"code","message","problems"}}` with a
 * code from DESK_ERROR_CODES; nothing internal is ever in them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, bearerToken, readBody } from '../../lib/http';
import type { Logger } from '../../lib/logger';
import { REQUEST_STATES, type ApprovalTerms, type RequestState } from './requestStore';
import type { Desk, DeskErrorKind, DeskListFilter, DeskOutcome } from './decide';
import { DESK_UNAUTHENTICATED, type DeskAccess } from './deskAccess';
import type { DeskRecording } from './deskProcedures';
import { deskPageCsp, renderDeskPage } from './page/deskPage';
import { renderSignInPage, signInPageCsp } from './page/signInPage';
import {
  DESK_SIGN_IN_PATH,
  DESK_SIGN_OUT_PATH,
  cookieToken,
  fromAnotherSite,
  isTokenShaped,
  signInCookie,
  signOutCookie,
} from './deskSession';

export const DESK_BASE_PATH = '/desk';

/** A decision is a few fields and a note: far below the GraphQL limit. */
export const DESK_MAX_BODY_BYTES = 16 * 1024;

export const DESK_ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'BAD_REQUEST',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
] as const;
export type DeskErrorCode = (typeof DESK_ERROR_CODES)[number];

export interface DeskRoutesOptions {
  readonly desk: Desk;
  /** Checks the request's Bearer token, or `token` when given (the sign-in form's, the page's cookie). */
  readonly authorize: (request: IncomingMessage, token?: string) => Promise<DeskAccess>;
  readonly logger: Logger;
  readonly now?: () => number;
  /**
   * Records the acts the call just made in the owner's audit log (mountDesk): taken synchronously right
   * after the act, awaited before the answer. Absent: acts are not recorded.
   */
  readonly recordActs?: () => Promise<DeskRecording>;
}

class DeskHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: DeskErrorCode,
    message: string,
    readonly problems: readonly string[] = [message],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

const STATUS_OF: Readonly<Record<DeskErrorKind, [number, DeskErrorCode]>> = {
  'not-found': [404, 'NOT_FOUND'],
  invalid: [400, 'BAD_REQUEST'],
  forbidden: [403, 'FORBIDDEN'],
  conflict: [409, 'CONFLICT'],
};

/** Ids in paths: request and grant ids are short words; anything else names nothing. */
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

/** The handler for everything under `/desk`: give it to lib/http.ts `prefixRoutes` as `{ '/desk': handler }`. */
export function deskRoutes(
  options: DeskRoutesOptions,
): (request: IncomingMessage, response: ServerResponse) => void {
  const { desk, logger } = options;
  const now = options.now ?? Date.now;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const segments = url.pathname
      .slice(DESK_BASE_PATH.length)
      .split('/')
      .filter((segment) => segment !== '');
    const method = request.method ?? 'GET';
    // The page's sign-in and sign-out: the only paths answered without a token (a browser has none yet).
    if (url.pathname === DESK_SIGN_IN_PATH) return signIn(request, response, method);
    if (url.pathname === DESK_SIGN_OUT_PATH) return signOut(request, response, method);
    const page = segments.length === 0 && method === 'GET';
    // The page, and only the page, also takes the sign-in cookie (deskSession.ts); a header comes first.
    const fromCookie =
      page && bearerToken(request) === undefined ? cookieToken(request, desk.owner) : undefined;
    let access: DeskAccess;
    try {
      access = await options.authorize(request, fromCookie);
    } catch (error) {
      logger.error({ err: error }, 'the desk could not check a token');
      access = {
        ok: false,
        status: 503,
        message: 'Access to the desk cannot be checked right now; try again shortly.',
      };
    }
    if (!access.ok) {
      if (page && access.status !== 503 && wantsHtml(request)) {
        // A browser at the page: the sign-in form, saying why when it sent a token that was refused.
        request.resume();
        const sent = fromCookie !== undefined || bearerToken(request) !== undefined;
        return signInPage(response, access.status, sent ? access.message : undefined, {
          ...(fromCookie !== undefined && { 'set-cookie': signOutCookie(request, desk.owner) }),
        });
      }
      const code: DeskErrorCode =
        access.status === 401 ? 'UNAUTHENTICATED' : access.status === 403 ? 'FORBIDDEN' : 'UNAVAILABLE';
      // The body is read and dropped unread: the refusal is the same whatever was sent.
      request.resume();
      throw new DeskHttpError(
        access.status,
        code,
        access.message,
        [access.message],
        access.status === 401 ? { 'www-authenticate': 'Bearer realm="accord-desk"' } : {},
      );
    }
    const { officer } = access;
    const only = (allowed: 'GET' | 'POST'): void => {
      if (method !== allowed)
        throw new DeskHttpError(
          405,
          'METHOD_NOT_ALLOWED',
          `${url.pathname} answers ${allowed} only.`,
          undefined,
          { allow: allowed },
        );
    };
    const id = (raw: string): string => {
      let decoded: string;
      try {
        decoded = decodeURIComponent(raw);
      } catch {
        decoded = '';
      }
      if (!ID.test(decoded))
        throw new DeskHttpError(404, 'NOT_FOUND', 'No such request or grant at this desk.');
      return decoded;
    };
    /**
     * An act's answer, once its audit records are durable. An approval whose grant could not be recorded
     * was withdrawn (deskActRecorder) and is answered as an error; any other act stands and the error says
     * it was not recorded. A refused act made no records.
     */
    const outcome = async <T extends object>(result: DeskOutcome<T>): Promise<Omit<T, 'ok'>> => {
      const recorded = options.recordActs ? await options.recordActs() : { ok: true as const };
      if (!result.ok) {
        const [status, code] = STATUS_OF[result.error.kind];
        throw new DeskHttpError(status, code, result.error.message, result.error.problems);
      }
      if (!recorded.ok) {
        const message =
          recorded.withdrawnGrant !== undefined
            ? `The approval could not be recorded in ${desk.owner}'s audit log, so grant ${recorded.withdrawnGrant} was withdrawn and opens nothing; the request shows it as approved under a revoked grant.`
            : `The ${recorded.act} act stands but could not be recorded in ${desk.owner}'s audit log; the server log says why.`;
        throw new DeskHttpError(503, 'UNAVAILABLE', message);
      }
      const { ok: _ok, ...rest } = result;
      return rest;
    };

    // GET /desk: the page.
    if (segments.length === 0) {
      only('GET');
      const at = now();
      const html = renderDeskPage({
        owner: desk.owner,
        officer,
        at,
        requests: desk.listRequests(),
        grants: desk.listGrants(),
      });
      send(response, 200, 'text/html; charset=utf-8', html, { 'content-security-policy': deskPageCsp() });
      return;
    }
    const [collection, rawId, action, ...rest] = segments;
    if (rest.length > 0)
      throw new DeskHttpError(
        404,
        'NOT_FOUND',
        `Not found: ${DESK_BASE_PATH}/requests and ${DESK_BASE_PATH}/grants are served here.`,
      );
    if (collection === 'requests' && rawId === undefined) {
      only('GET');
      return json(response, 200, { requests: desk.listRequests(listFilter(url.searchParams)) });
    }
    if (collection === 'requests' && action === undefined) {
      only('GET');
      const found = desk.getRequest(id(rawId!));
      if (found === undefined)
        throw new DeskHttpError(404, 'NOT_FOUND', `No request ${id(rawId!)} at this desk.`);
      return json(response, 200, { request: found });
    }
    if (collection === 'requests' && (action === 'approve' || action === 'refuse' || action === 'ask')) {
      only('POST');
      const requestId = id(rawId!);
      const body = await jsonBody(request);
      if (action === 'approve') {
        const terms = fields(
          body,
          { categories: 'strings', validDays: 'integer', evidentiaryUse: 'boolean' },
          ['categories', 'validDays', 'evidentiaryUse'],
        );
        return json(
          response,
          200,
          await outcome(desk.approve(requestId, officer, terms as unknown as ApprovalTerms)),
        );
      }
      if (action === 'refuse') {
        const given = fields(body, { ground: 'string', note: 'string' }, ['ground']);
        return json(
          response,
          200,
          await outcome(
            desk.refuse(requestId, officer, given['ground'] as string, given['note'] as string | undefined),
          ),
        );
      }
      const given = fields(body, { question: 'string' }, ['question']);
      return json(response, 200, await outcome(desk.ask(requestId, officer, given['question'] as string)));
    }
    if (collection === 'grants' && rawId === undefined) {
      only('GET');
      return json(response, 200, { grants: desk.listGrants() });
    }
    if (collection === 'grants' && action === 'revoke') {
      only('POST');
      const grantId = id(rawId!);
      const body = await jsonBody(request, true);
      if (body !== undefined) fields(body, {}, []);
      return json(response, 200, await outcome(desk.revoke(grantId, officer)));
    }
    throw new DeskHttpError(
      404,
      'NOT_FOUND',
      `Not found: ${DESK_BASE_PATH}/requests and ${DESK_BASE_PATH}/grants are served here.`,
    );
  }

  /** The sign-in form, with what went wrong (escaped) when there is something to say. */
  function signInPage(
    response: ServerResponse,
    status: number,
    problem: string | undefined,
    headers: Readonly<Record<string, string>> = {},
  ): void {
    const html = renderSignInPage({ owner: desk.owner, ...(problem !== undefined && { problem }) });
    send(response, status, 'text/html; charset=utf-8', html, {
      'content-security-policy': signInPageCsp(),
      ...headers,
    });
  }

  /**
   * `POST /desk/session` from the sign-in form: the pasted token is checked exactly as a header would be;
   * a good one is kept in the page's cookie and the browser goes to the page, a refused one gets the form
   * again with why.
   */
  async function signIn(request: IncomingMessage, response: ServerResponse, method: string): Promise<void> {
    if (method !== 'POST') {
      request.resume();
      throw new DeskHttpError(
        405,
        'METHOD_NOT_ALLOWED',
        `${DESK_SIGN_IN_PATH} answers POST only.`,
        undefined,
        {
          allow: 'POST',
        },
      );
    }
    if (fromAnotherSite(request)) {
      request.resume();
      return signInPage(response, 403, "Sign in from this desk's own page: the form came from another site.");
    }
    const token = await signInForm(request);
    if (token === undefined)
      return signInPage(response, 400, 'Paste a desk token into the box, then sign in.');
    // Not a token at all (a stray space, a line break): refused as any bad token, never put in a header.
    if (!isTokenShaped(token)) return signInPage(response, 401, DESK_UNAUTHENTICATED);
    let access: DeskAccess;
    try {
      access = await options.authorize(request, token);
    } catch (error) {
      logger.error({ err: error }, 'the desk could not check a token');
      return signInPage(response, 503, 'Access to the desk cannot be checked right now; try again shortly.');
    }
    if (!access.ok) return signInPage(response, access.status, access.message);
    send(response, 303, 'text/plain; charset=utf-8', 'Signed in: see /desk.\n', {
      location: DESK_BASE_PATH,
      'set-cookie': signInCookie(request, desk.owner, token, now()),
    });
  }

  /** `POST /desk/session/end`: the cookie is removed, whoever asks (it only ever narrows). */
  function signOut(request: IncomingMessage, response: ServerResponse, method: string): void {
    request.resume();
    if (method !== 'POST')
      throw new DeskHttpError(
        405,
        'METHOD_NOT_ALLOWED',
        `${DESK_SIGN_OUT_PATH} answers POST only.`,
        undefined,
        {
          allow: 'POST',
        },
      );
    send(response, 303, 'text/plain; charset=utf-8', 'Signed out: see /desk.\n', {
      location: DESK_BASE_PATH,
      'set-cookie': signOutCookie(request, desk.owner),
    });
  }

  return (request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (error instanceof DeskHttpError) {
        // A refusal before the body was read: what the client still sends is drained, as lib/http.ts does.
        request.resume();
        json(
          response,
          error.status,
          { error: { code: error.code, message: error.message, problems: error.problems } },
          error.headers,
        );
        return;
      }
      logger.error({ err: error, path: request.url }, 'the desk failed to answer');
      json(response, 500, {
        error: {
          code: 'INTERNAL_SERVER_ERROR',
          message: 'The desk failed to answer; the server log says why.',
          problems: [],
        },
      });
    });
  };
}

function listFilter(search: URLSearchParams): DeskListFilter {
  const allowed = new Set(['state', 'requester', 'analyst', 'overdue']);
  for (const key of search.keys()) {
    if (!allowed.has(key))
      throw new DeskHttpError(
        400,
        'BAD_REQUEST',
        `Unknown filter "${key}": filter by ${[...allowed].join(', ')}.`,
      );
  }
  for (const key of allowed) {
    if (search.getAll(key).length > 1)
      throw new DeskHttpError(400, 'BAD_REQUEST', `Give the filter "${key}" once.`);
  }
  const state = search.get('state');
  if (state !== null && !REQUEST_STATES.includes(state as RequestState))
    throw new DeskHttpError(400, 'BAD_REQUEST', `state must be one of ${REQUEST_STATES.join(', ')}.`);
  const requester = search.get('requester');
  if (requester !== null && !/^[A-Z]{2}$/.test(requester))
    throw new DeskHttpError(400, 'BAD_REQUEST', 'requester must be a member code such as KR.');
  const analyst = search.get('analyst');
  if (analyst !== null && !/^[a-z0-9._-]{1,64}$/.test(analyst))
    throw new DeskHttpError(400, 'BAD_REQUEST', 'analyst must be an analyst id such as kim.j.');
  const overdue = search.get('overdue');
  if (overdue !== null && overdue !== 'true' && overdue !== 'false')
    throw new DeskHttpError(400, 'BAD_REQUEST', 'overdue must be true or false.');
  return {
    ...(state !== null && { state: state as RequestState }),
    ...(requester !== null && { requesterCountry: requester }),
    ...(analyst !== null && { analyst }),
    ...(overdue !== null && { overdue: overdue === 'true' }),
  };
}

/** Whether the client asked for a page (a browser), not for the API's JSON. */
function wantsHtml(request: IncomingMessage): boolean {
  return /\btext\/html\b/i.test(request.headers.accept ?? '');
}

/** The body (at most DESK_MAX_BODY_BYTES) and its media type, lower case, without parameters. */
async function deskBody(request: IncomingMessage): Promise<{ type: string; raw: Buffer }> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  try {
    return { type, raw: await readBody(request, DESK_MAX_BODY_BYTES) };
  } catch (error) {
    if (error instanceof HttpError)
      throw new DeskHttpError(
        error.status,
        'PAYLOAD_TOO_LARGE',
        `The body is larger than ${DESK_MAX_BODY_BYTES} bytes.`,
      );
    throw error;
  }
}

/** The token of the sign-in form (`application/x-www-form-urlencoded`, one `token` field); undefined if blank. */
async function signInForm(request: IncomingMessage): Promise<string | undefined> {
  const { type, raw } = await deskBody(request);
  if (type !== 'application/x-www-form-urlencoded')
    throw new DeskHttpError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `${DESK_SIGN_IN_PATH} takes the sign-in form (application/x-www-form-urlencoded); the API takes Authorization: Bearer.`,
    );
  const fields = new URLSearchParams(raw.toString('utf8'));
  const tokens = fields.getAll('token');
  if (tokens.length > 1 || [...fields.keys()].some((key) => key !== 'token'))
    throw new DeskHttpError(400, 'BAD_REQUEST', 'The sign-in form has one field, token.');
  const token = tokens[0]?.trim() ?? '';
  return token === '' ? undefined : token;
}

/** The body as a JSON object; `optional`: an empty body is undefined. */
async function jsonBody(
  request: IncomingMessage,
  optional = false,
): Promise<Record<string, unknown> | undefined> {
  const { type, raw } = await deskBody(request);
  if (raw.length === 0) {
    if (optional) return undefined;
    throw new DeskHttpError(400, 'BAD_REQUEST', 'The body is empty: send a JSON object.');
  }
  if (type !== 'application/json')
    throw new DeskHttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new DeskHttpError(400, 'BAD_REQUEST', 'The body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new DeskHttpError(400, 'BAD_REQUEST', 'The body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

type FieldType = 'string' | 'strings' | 'integer' | 'boolean';

/** Exactly the fields named, each of its type; every problem is said at once. */
function fields(
  body: Record<string, unknown> | undefined,
  shape: Readonly<Record<string, FieldType>>,
  required: readonly string[],
): Record<string, unknown> {
  const given = body ?? {};
  const problems: string[] = [];
  for (const key of Object.keys(given)) {
    if (!(key in shape))
      problems.push(
        `unknown field "${key}"${Object.keys(shape).length ? ` (fields: ${Object.keys(shape).join(', ')})` : ' (send no fields)'}`,
      );
  }
  for (const key of required) if (!(key in given)) problems.push(`"${key}" is required`);
  for (const [key, type] of Object.entries(shape)) {
    if (!(key in given)) continue;
    const value = given[key];
    const ok =
      type === 'string'
        ? typeof value === 'string'
        : type === 'strings'
          ? Array.isArray(value) && value.length <= 64 && value.every((item) => typeof item === 'string')
          : type === 'integer'
            ? Number.isSafeInteger(value)
            : typeof value === 'boolean';
    if (!ok)
      problems.push(
        `"${key}" must be ${type === 'strings' ? 'a list of strings' : type === 'integer' ? 'a whole number' : `a ${type}`}`,
      );
  }
  if (problems.length > 0)
    throw new DeskHttpError(400, 'BAD_REQUEST', `The body is not valid: ${problems.join('; ')}.`, problems);
  return given;
}

function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(body), headers);
}

function send(
  response: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { 'content-type': type, ...SECURITY_HEADERS, ...headers });
  response.end(body);
}
