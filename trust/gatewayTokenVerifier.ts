import { KeyObject, createPublicKey, verify as verifySignature, type JsonWebKey } from 'node:crypto';
import {
  GATEWAY_KID,
  GATEWAY_SCOPES,
  GATEWAY_TOKEN_ALG,
  GATEWAY_TOKEN_TYPE,
  MAX_GATEWAY_TOKEN_LIFETIME_SECONDS,
  bodyHash,
  encodedHeader,
  type GatewayScope,
  type GatewayTokenClaims,
} from './gatewayToken';
import { parseJwks, type JsonWebKeySet } from './jwk';
import { ReloadingFile } from './reloadingFile';
import { ReplayCache } from './replayCache';
import type { Admission, ReplayStore } from './replayStore';
import { TrustConfigError, TrustError } from './TrustError';

/**
 * What a subgraph runs before any resolver: is this call from the gateway, for me, now, with this body,
 * for the first time? Hand-written over node:crypto (docs/decisions/0009): every check is on a fixed
 * structure we produce ourselves, so anything else is refused, not interpreted. Every check runs
 * synchronously; only "for the first time" may wait, when the replay store is shared (PostgreSQL). With the
 * in-memory default nothing is awaited inside `verify`.
 */

export interface TrustedGatewayKey {
  readonly kid: string;
  /** A public key (KeyObject, or PEM / JWK of one). */
  readonly publicKey: KeyObject | string | JsonWebKey;
}

export interface GatewayTokenVerifierOptions {
  /** The gateway's public JWKS file (re-read on an unknown kid, and every `refreshMs`), a JWKS, or keys. */
  readonly trusted: string | JsonWebKeySet | readonly TrustedGatewayKey[];
  /** This subgraph's name: the only `aud` accepted. */
  readonly audience: string;
  /** The gateway's `iss`, when it should be checked too. */
  readonly issuer?: string;
  /** Longest `exp - iat` accepted (default and maximum 60 s). */
  readonly maxLifetimeSeconds?: number;
  /** Clock skew allowed on `iat` and `exp` (default 5 s: gateway and subgraphs share a time source). */
  readonly clockToleranceSeconds?: number;
  /** Bound of the replay cache (default 100,000; at the bound new tokens are refused: REPLAY_CACHE_FULL). */
  readonly replayCacheSize?: number;
  /**
   * Where accepted `jti`s are kept (trust/replayStore.ts): by default an in-memory ReplayCache of
   * `replayCacheSize` entries, this process's alone; openPostgresReplayStore for one that all of a
   * member's processes share. The verifier closes it on `close()`.
   */
  readonly replayStore?: ReplayStore;
  /** Key file: after an unknown kid, no re-read before this (default 1,000 ms). */
  readonly reloadCooldownMs?: number;
  /** Key file: re-read at most this often anyway, so a retired key stops working (default 10,000 ms). */
  readonly refreshMs?: number;
  /** The key file became unreadable or invalid after start (the previous keys stay in use). */
  readonly onReloadError?: (error: Error) => void;
  /** The clock in milliseconds (tests fix it; default Date.now). */
  readonly now?: () => number;
}

export interface GatewayTokenVerifier {
  /** The claims, or a rejection with a TrustError. `body` is the request body exactly as received. */
  verify(token: string | undefined, body: string | Buffer): Promise<GatewayTokenClaims>;
  /** Re-read the key file now (e.g. on SIGHUP); no-op for keys given in code. */
  reload(): void;
  /** The kids trusted now. */
  readonly trustedKids: readonly string[];
  /** Where accepted `jti`s are kept, for the start-up log. */
  readonly replayStore: string;
  /** Closes the replay store (a shared store's connections: its calls are refused afterwards). */
  close(): Promise<void>;
}

interface TrustedKey {
  readonly kid: string;
  readonly key: KeyObject;
}

/** Keys by the exact encoded header that names them. */
type KeySet = ReadonlyMap<string, TrustedKey>;

/** Far above any token we sign (a context is a few hundred bytes); refused before anything is decoded. */
const MAX_TOKEN_LENGTH = 16_384;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** 64 bytes (r‖s) in base64url without padding. */
const SIGNATURE_LENGTH = 86;
const BODY_HASH_LENGTH = 43;
const JTI = /^[A-Za-z0-9_-]{16,64}$/;
const HEADER_MEMBERS = ['alg', 'kid', 'typ'].join();

const refuse = {
  missing: () => new TrustError('MISSING', 'No gateway token.'),
  malformed: (what: string) => new TrustError('MALFORMED', `The gateway token is malformed: ${what}.`),
};

export function createGatewayTokenVerifier(options: GatewayTokenVerifierOptions): GatewayTokenVerifier {
  const audience = options.audience;
  if (typeof audience !== 'string' || audience === '')
    throw new TrustConfigError(
      `createGatewayTokenVerifier: \`audience\` must be this subgraph's name, not ${JSON.stringify(audience)}.`,
    );
  const issuer = options.issuer;
  if (issuer !== undefined && (typeof issuer !== 'string' || issuer === ''))
    throw new TrustConfigError('createGatewayTokenVerifier: `issuer` must be a non-empty string when given.');
  const maxLifetime = options.maxLifetimeSeconds ?? MAX_GATEWAY_TOKEN_LIFETIME_SECONDS;
  if (!Number.isInteger(maxLifetime) || maxLifetime < 1 || maxLifetime > MAX_GATEWAY_TOKEN_LIFETIME_SECONDS) {
    throw new TrustConfigError(
      `createGatewayTokenVerifier: \`maxLifetimeSeconds\` must be a whole number from 1 to ${MAX_GATEWAY_TOKEN_LIFETIME_SECONDS}, not ${JSON.stringify(maxLifetime)}.`,
    );
  }
  const tolerance = options.clockToleranceSeconds ?? 5;
  if (typeof tolerance !== 'number' || !(tolerance >= 0 && tolerance <= 60)) {
    throw new TrustConfigError(
      `createGatewayTokenVerifier: \`clockToleranceSeconds\` must be from 0 to 60, not ${JSON.stringify(tolerance)}.`,
    );
  }
  const cacheSize = options.replayCacheSize ?? 100_000;
  if (!Number.isInteger(cacheSize) || cacheSize < 1)
    throw new TrustConfigError(
      `createGatewayTokenVerifier: \`replayCacheSize\` must be a whole number ≥ 1, not ${JSON.stringify(cacheSize)}.`,
    );
  if (options.replayStore !== undefined && options.replayCacheSize !== undefined)
    throw new TrustConfigError(
      'createGatewayTokenVerifier: give `replayStore` or `replayCacheSize`, not both (the size is the in-memory cache’s).',
    );
  const reloadCooldownMs = options.reloadCooldownMs ?? 1_000;
  const refreshMs = options.refreshMs ?? 10_000;
  for (const [name, value] of [
    ['reloadCooldownMs', reloadCooldownMs],
    ['refreshMs', refreshMs],
  ] as const) {
    if (typeof value !== 'number' || !(value >= 0))
      throw new TrustConfigError(
        `createGatewayTokenVerifier: \`${name}\` must be a number of milliseconds ≥ 0, not ${JSON.stringify(value)}.`,
      );
  }
  const now = options.now ?? Date.now;
  const replays: ReplayStore = options.replayStore ?? new ReplayCache(cacheSize);

  const trusted = options.trusted;
  let file: ReloadingFile<KeySet> | undefined;
  let fixed: KeySet | undefined;
  if (typeof trusted === 'string') {
    file = new ReloadingFile(
      trusted,
      'createGatewayTokenVerifier: the trusted gateway keys',
      (text) => keySet(parseJwks(text).keys),
      {
        now,
        cooldownMs: reloadCooldownMs,
        refreshMs,
        onReloadError: options.onReloadError,
      },
    );
  } else {
    try {
      fixed = Array.isArray(trusted)
        ? keySet((trusted as readonly TrustedGatewayKey[]).map(fromOption))
        : keySet(parseJwks(JSON.stringify(trusted)).keys);
    } catch (error) {
      if (error instanceof TrustConfigError) throw error;
      throw new TrustConfigError(
        `createGatewayTokenVerifier: the trusted gateway keys ${(error as Error).message}.`,
      );
    }
  }
  const keys = (): KeySet => file?.current ?? fixed!;

  /** The trusted key a header names; reloads the file once for an unknown kid (rate-limited). */
  function keyFor(encoded: string): TrustedKey {
    const known = keys().get(encoded);
    if (known) return known;
    // Not one of the exact headers we produce: find out why, for a precise refusal.
    let header: unknown;
    try {
      header = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    } catch {
      throw refuse.malformed('the header is not JSON');
    }
    if (typeof header !== 'object' || header === null || Array.isArray(header))
      throw refuse.malformed('the header is not a JSON object');
    const { alg, kid, typ } = header as Record<string, unknown>;
    if (alg !== GATEWAY_TOKEN_ALG)
      throw new TrustError(
        'ALGORITHM_REFUSED',
        `The gateway token's algorithm is not accepted (only ${GATEWAY_TOKEN_ALG}).`,
      );
    if (typ !== GATEWAY_TOKEN_TYPE) throw refuse.malformed(`the header's "typ" is not ${GATEWAY_TOKEN_TYPE}`);
    if (typeof kid !== 'string' || !GATEWAY_KID.test(kid))
      throw refuse.malformed('the header has no valid "kid"');
    if (Object.keys(header).sort().join() !== HEADER_MEMBERS || encodedHeader(kid) !== encoded)
      throw refuse.malformed('the header is not the one the gateway produces');
    if (file?.reloadForUnknownKey()) {
      const reloaded = keys().get(encoded);
      if (reloaded) return reloaded;
    }
    throw new TrustError('UNKNOWN_KEY', "The gateway token's key is not trusted.");
  }

  /** Every check but replay: the claims, and from when (s) the token is refused as expired anyway. */
  function check(
    token: string | undefined,
    body: string | Buffer,
  ): { claims: GatewayTokenClaims; refusedFrom: number; seconds: number } {
    if (token === undefined || token === null || token === '') throw refuse.missing();
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH)
      throw refuse.malformed('not a compact JWS');
    const firstDot = token.indexOf('.');
    const secondDot = token.indexOf('.', firstDot + 1);
    if (firstDot <= 0 || secondDot <= firstDot + 1 || token.indexOf('.', secondDot + 1) !== -1)
      throw refuse.malformed('not a compact JWS');
    const encodedHeaderPart = token.slice(0, firstDot);
    const encodedPayload = token.slice(firstDot + 1, secondDot);
    const encodedSignature = token.slice(secondDot + 1);
    // An empty signature is left to the header check (alg "none" is refused as such) and then to the signature check.
    if (
      !BASE64URL.test(encodedHeaderPart) ||
      !BASE64URL.test(encodedPayload) ||
      (encodedSignature !== '' && !BASE64URL.test(encodedSignature))
    ) {
      throw refuse.malformed('not base64url');
    }

    file?.refreshIfDue();
    const { kid, key } = keyFor(encodedHeaderPart);

    // Signature before anything in the payload is read: nothing an attacker wrote is parsed.
    if (encodedSignature.length !== SIGNATURE_LENGTH)
      throw new TrustError('BAD_SIGNATURE', "The gateway token's signature does not verify.");
    const signature = Buffer.from(encodedSignature, 'base64url');
    if (signature.length !== 64 || signature.toString('base64url') !== encodedSignature)
      throw new TrustError('BAD_SIGNATURE', "The gateway token's signature does not verify.");
    const signingInput = Buffer.from(token.slice(0, secondDot), 'latin1');
    if (!verifySignature('sha256', signingInput, { key, dsaEncoding: 'ieee-p1363' }, signature)) {
      throw new TrustError('BAD_SIGNATURE', "The gateway token's signature does not verify.");
    }

    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(encodedPayload, 'base64url').toString('utf8'));
    } catch {
      throw refuse.malformed('the payload is not JSON');
    }
    const claims = checkClaims(payload, kid);

    if (claims.aud !== audience)
      throw new TrustError('WRONG_AUDIENCE', 'The gateway token is for another subgraph.');
    if (issuer !== undefined && claims.iss !== issuer)
      throw new TrustError('UNKNOWN_ISSUER', 'The gateway token was not issued by the gateway.');
    if (claims.exp <= claims.iat)
      throw new TrustError('INVALID_CLAIMS', 'The gateway token expires before it is issued.');
    if (claims.exp - claims.iat > maxLifetime)
      throw new TrustError('LIFETIME_TOO_LONG', `The gateway token lives longer than ${maxLifetime} s.`);
    const seconds = now() / 1000;
    if (claims.iat > seconds + tolerance)
      throw new TrustError('NOT_YET_VALID', 'The gateway token is issued in the future.');
    const refusedFrom = claims.exp + tolerance;
    if (seconds >= refusedFrom) throw new TrustError('EXPIRED', 'The gateway token has expired.');
    if (claims.bh !== bodyHash(body))
      throw new TrustError(
        'BODY_MISMATCH',
        'The request body is not the one the gateway token was signed for.',
      );

    return { claims, refusedFrom, seconds };
  }

  return {
    async verify(token, body) {
      const { claims, refusedFrom, seconds } = check(token, body);
      // Last, so that only a token that passed every other check takes a place in the store. The in-memory
      // store answers at once: awaited only when the answer is a promise (the shared store's round trip).
      const pending = replays.admit(audience, claims.jti, refusedFrom, seconds);
      const admission: Admission = typeof pending === 'string' ? pending : await pending.catch(unavailable);
      switch (admission) {
        case 'admitted':
          return claims;
        case 'replayed':
          throw new TrustError('REPLAYED', 'The gateway token was used before.');
        case 'full':
          throw new TrustError(
            'REPLAY_CACHE_FULL',
            'Too many gateway calls to check for replay right now; try again shortly.',
          );
      }
    },
    reload() {
      file?.reload();
    },
    get trustedKids() {
      return [...keys().values()].map(({ kid }) => kid);
    },
    replayStore: replays.description,
    close: () => replays.close(),
  };
}

/** The shared store did not answer: the token cannot be checked, so it is refused (fail closed). */
function unavailable(cause: unknown): never {
  throw new TrustError(
    'REPLAY_CACHE_UNAVAILABLE',
    'Cannot check gateway calls for replay right now; try again shortly.',
    { cause },
  );
}

/** The payload, checked member by member against the one shape the gateway signs. */
function checkClaims(payload: unknown, kid: string): GatewayTokenClaims {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    throw refuse.malformed('the payload is not a JSON object');
  const { iss, aud, iat, exp, jti, scope, ctx, rev, bh } = payload as Record<string, unknown>;
  if (typeof iss !== 'string' || typeof aud !== 'string')
    throw refuse.malformed('"iss" and "aud" must be strings');
  if (!Number.isSafeInteger(iat) || !Number.isSafeInteger(exp))
    throw refuse.malformed('"iat" and "exp" must be whole seconds');
  if (typeof jti !== 'string' || !JTI.test(jti)) throw refuse.malformed('"jti" is missing or not a token id');
  if (typeof bh !== 'string' || bh.length !== BODY_HASH_LENGTH)
    throw refuse.malformed('"bh" is missing or not a SHA-256 hash');
  if (!GATEWAY_SCOPES.includes(scope as GatewayScope))
    throw new TrustError(
      'INVALID_CLAIMS',
      `The gateway token's scope must be one of ${GATEWAY_SCOPES.join(', ')}.`,
    );
  if (ctx !== undefined && (typeof ctx !== 'object' || ctx === null || Array.isArray(ctx)))
    throw refuse.malformed('"ctx" must be a JSON object');
  if (scope === 'schema' && ctx !== undefined)
    throw new TrustError('INVALID_CLAIMS', 'A schema-scoped gateway token carries no request context.');
  if (rev !== undefined && typeof rev !== 'string') throw refuse.malformed('"rev" must be a string');
  return {
    iss,
    aud,
    iat: iat as number,
    exp: exp as number,
    jti,
    scope: scope as GatewayScope,
    ...(ctx !== undefined ? { ctx: ctx as Record<string, unknown> } : {}),
    ...(rev !== undefined ? { rev } : {}),
    bh,
    kid,
  };
}

function keySet(
  keys: readonly { readonly kid: string; readonly key: KeyObject; readonly alg?: string | undefined }[],
): KeySet {
  const set = new Map<string, TrustedKey>();
  for (const { kid, key, alg } of keys) {
    if (!GATEWAY_KID.test(kid))
      throw new Error(
        `has a kid that is not 1 to 64 letters, digits, '.', '_' or '-': ${JSON.stringify(kid)}`,
      );
    if (alg !== undefined && alg !== GATEWAY_TOKEN_ALG)
      throw new Error(`has a key for ${JSON.stringify(alg)}, not ${GATEWAY_TOKEN_ALG}: ${kid}`);
    if (
      key.type !== 'public' ||
      key.asymmetricKeyType !== 'ec' ||
      key.asymmetricKeyDetails?.namedCurve !== 'prime256v1'
    ) {
      throw new Error(`has a key that is not an EC P-256 public key (ES256): ${kid}`);
    }
    const header = encodedHeader(kid);
    if (set.has(header)) throw new Error(`lists the kid ${kid} twice`);
    set.set(header, { kid, key });
  }
  return set;
}

function fromOption(entry: TrustedGatewayKey): { kid: string; key: KeyObject } {
  const { kid, publicKey } = entry;
  if (publicKey instanceof KeyObject) return { kid, key: publicKey };
  // A private key here would be a mistake (createPublicKey would quietly derive the public half): refuse it.
  const isPrivate = typeof publicKey === 'string' ? publicKey.includes('PRIVATE KEY') : 'd' in publicKey;
  if (isPrivate)
    throw new TrustConfigError(
      `createGatewayTokenVerifier: the trusted key ${JSON.stringify(kid)} is a private key; subgraphs trust public keys only.`,
    );
  try {
    return {
      kid,
      key:
        typeof publicKey === 'string'
          ? createPublicKey(publicKey)
          : createPublicKey({ key: publicKey, format: 'jwk' }),
    };
  } catch {
    throw new TrustConfigError(
      `createGatewayTokenVerifier: the trusted key ${JSON.stringify(kid)} is not a public key.`,
    );
  }
}
