/**
 * The realm each kind of Accord server names in the `WWW-Authenticate` header of its 401 answers
 * (RFC 9110 §11.6.1: a 401 says which authentication it wants). A client can then tell the gateway's "your
 * token was refused" from a subgraph's "I answer only the gateway": `accord --gateway` pointed at a member's
 * subgraph or the hub is told it is not the gateway, not to log in again.
 */
export const AUTH_REALMS = {
  /** The alliance gateway: analysts' tokens from their national identity providers. */
  gateway: 'accord-gateway',
  /** A member's subgraph or the hub: the gateway's signed calls only. */
  subgraph: 'accord-subgraph',
} as const;

export type AuthRealm = (typeof AUTH_REALMS)[keyof typeof AUTH_REALMS];

/** The realm named by a `WWW-Authenticate` header (`Bearer realm="…"`), or undefined. */
export function authRealmOf(header: string | null | undefined): string | undefined {
  return header ? /\brealm="([^"]*)"/i.exec(header)?.[1] : undefined;
}
