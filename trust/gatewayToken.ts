import { hash } from 'node:crypto';

/**
 * The wire format of a gateway → subgraph token (docs/decisions/0009-gateway-tokens-with-node-crypto.md):
 * a compact JWS (RFC 7515), ES256 over P-256 with the signature as r‖s (IEEE P1363, RFC 7518 §3.4), and
 * exactly this header, byte for byte: `{"alg":"ES256","kid":"<kid>","typ":"accord-gateway+jwt"}`.
 */
export const GATEWAY_TOKEN_TYPE = 'accord-gateway+jwt';
export const GATEWAY_TOKEN_ALG = 'ES256';

/** The only lifetime ceiling there is: a token is good for one hop, not for a session (issue 4). */
export const MAX_GATEWAY_TOKEN_LIFETIME_SECONDS = 60;

/** What the gateway's token allows: an analyst's request, or the gateway's own schema and health calls (no analyst). */
export const GATEWAY_SCOPES = ['query', 'schema'] as const;
export type GatewayScope = (typeof GATEWAY_SCOPES)[number];

/**
 * Keys of a `query` token's `ctx` beside the request context (policy/requestHeaders.ts), for the audit log
 * (issue 5): the gateway's request id; the decision id of this crossing, which the owner's disclosure
 * record carries as the gateway's consultation record does; and `fields`, when the gateway wants the
 * owner's decision for every field in its answer (`extensions.accord.fields`). They travel inside the
 * signed token: a subgraph takes them from nowhere else.
 */
export const AUDIT_CONTEXT_KEYS = {
  requestId: 'accord-request-id',
  decisionId: 'accord-decision-id',
  fieldReport: 'accord-field-report',
} as const;

/** A request or decision id as the gateway makes them: safe in a log, a header and a file name. */
export const AUDIT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A `kid` we produce and accept: safe in a file name, in a header, in a log. */
export const GATEWAY_KID = /^[A-Za-z0-9._-]{1,64}$/;

/** The claims of a gateway token; `kid` is the header's. */
export interface GatewayTokenClaims {
  /** The gateway. */
  readonly iss: string;
  /** The subgraph the token is for. */
  readonly aud: string;
  /** Seconds since the epoch. */
  readonly iat: number;
  /** Seconds since the epoch; at most 60 s after `iat`. */
  readonly exp: number;
  /** Unique per token; a subgraph accepts each once. */
  readonly jti: string;
  readonly scope: GatewayScope;
  /** The verified request context, opaque here (absent for `schema`). */
  readonly ctx?: Readonly<Record<string, unknown>>;
  /** The policy revision the gateway decided with. */
  readonly rev?: string;
  /** base64url SHA-256 of the exact request body bytes. */
  readonly bh: string;
  readonly kid: string;
}

/** The encoded protected header for a key: computed once per key, compared as a string on every verify. */
export function encodedHeader(kid: string): string {
  return Buffer.from(JSON.stringify({ alg: GATEWAY_TOKEN_ALG, kid, typ: GATEWAY_TOKEN_TYPE })).toString(
    'base64url',
  );
}

/**
 * `bh`: base64url SHA-256 of the body bytes (a string is hashed as UTF-8, as it goes on the wire). Signed
 * and checked on every call: crypto.hash's one call, not a Hash object per body.
 */
export function bodyHash(body: string | Buffer): string {
  return hash('sha256', body, 'base64url');
}
