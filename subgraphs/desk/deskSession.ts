/**
 * The desk page's sign-in cookie. A browser opening `/desk` cannot send an Authorization header, so the
 * officer signs in once (page/signInPage.ts) and the token is kept in a cookie:
 *
 * - `HttpOnly` (no script reads it; the page has none anyway), `SameSite=Strict` (another site's page
 *   cannot make the browser send it), `Path=/desk`, `Secure` when the server is reached over TLS, and it
 *   lasts as long as the token (`exp`), no longer;
 * - it opens the page (`GET /desk`) and nothing else: the API and every act (approve, refuse, ask,
 *   revoke) still need `Authorization: Bearer`, so a forged form on another site could not act with it
 *   even if a browser sent it;
 * - it holds the token itself, checked on every page load as a header would be: an expired or revoked
 *   officer is back at the sign-in form;
 * - its name carries the member (`accord_desk_kh`): browsers send a host's cookies to every port of it,
 *   so on one machine running several members each desk reads only its own. A desk must still be served
 *   under a host name of its own member in production: the other members' servers on the same host would
 *   receive the cookie (docs/operations.md).
 */
import type { IncomingMessage } from 'node:http';
import { headerValue } from '../../lib/http';

/** The page's cookie at `owner`'s desk. */
export function deskCookieName(owner: string): string {
  return `accord_desk_${owner.toLowerCase()}`;
}

/** Where the sign-in form posts, and where the page's sign-out posts. */
export const DESK_SIGN_IN_PATH = '/desk/session';
export const DESK_SIGN_OUT_PATH = '/desk/session/end';

/** A JWT's three base64url parts: anything else, in the form or the cookie, is not a token. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export function isTokenShaped(text: string): boolean {
  return TOKEN_SHAPE.test(text);
}

/** The token `owner`'s sign-in cookie holds, if the request carries one. */
export function cookieToken(request: IncomingMessage, owner: string): string | undefined {
  const header = headerValue(request, 'cookie');
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === deskCookieName(owner)) {
      const token = value.join('=');
      return TOKEN_SHAPE.test(token) ? token : undefined;
    }
  }
  return undefined;
}

/** Whether the client reached this server over TLS (directly: a proxy in front must set Secure itself). */
function overTls(request: IncomingMessage): boolean {
  return (request.socket as { encrypted?: boolean }).encrypted === true;
}

/** `Set-Cookie` for a token that verified: until its `exp` (seconds), counted from `nowMs`. */
export function signInCookie(request: IncomingMessage, owner: string, token: string, nowMs: number): string {
  const seconds = Math.max(0, Math.floor((expiryOf(token) ?? 0) - nowMs / 1000));
  return cookie(request, `${deskCookieName(owner)}=${token}`, seconds);
}

/** `Set-Cookie` that removes it (sign-out, or a token that no longer verifies). */
export function signOutCookie(request: IncomingMessage, owner: string): string {
  return cookie(request, `${deskCookieName(owner)}=`, 0);
}

/**
 * Whether the sign-in form came from another site: browsers say where a request comes from
 * (`Sec-Fetch-Site`, else `Origin`). Another site's page could otherwise sign an officer's browser in as
 * someone else (with a token that someone holds). A client that says nothing (curl) is not refused.
 */
export function fromAnotherSite(request: IncomingMessage): boolean {
  const site = headerValue(request, 'sec-fetch-site');
  if (site !== undefined) return site !== 'same-origin';
  const origin = headerValue(request, 'origin');
  if (origin === undefined) return false;
  const host = headerValue(request, 'host');
  try {
    return host === undefined || new URL(origin).host !== host;
  } catch {
    return true;
  }
}

function cookie(request: IncomingMessage, pair: string, maxAgeSeconds: number): string {
  return `${pair}; Path=/desk; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${overTls(request) ? '; Secure' : ''}`;
}

/** The `exp` claim of a token the verifier has already accepted (its payload is not trusted for more). */
function expiryOf(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' ? payload.exp : undefined;
  } catch {
    return undefined;
  }
}
