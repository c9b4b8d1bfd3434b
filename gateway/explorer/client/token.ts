/// <reference lib="dom" />
/**
 * The analyst's token, pasted into the page and kept in sessionStorage: it lives as long as the tab, is
 * never written to localStorage or a cookie, and is sent only to this gateway's /graphql.
 */
const KEY = 'accord.explorer.token';

export function readToken(): string | undefined {
  return sessionStorage.getItem(KEY) ?? undefined;
}

export function storeToken(token: string | undefined): void {
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
}

/** What the token says of itself (unverified: the gateway verifies), to show who the page asks as. */
export function describeToken(token: string): string {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as {
      sub?: unknown;
      iss?: unknown;
      exp?: unknown;
    };
    const who = typeof payload.sub === 'string' ? payload.sub : 'unknown analyst';
    const until =
      typeof payload.exp === 'number'
        ? `, expires ${new Date(payload.exp * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`
        : '';
    return `${who}${until}`;
  } catch {
    return 'not a JWT: the gateway will refuse it';
  }
}
