import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { isCountryCode } from '../vocabulary';
import { ANALYST_ID, DEFAULT_ROLES, MAX_ROLES, REFERENCE, ROLE } from './claimShapes';
import { parseJwks } from './jwk';
import { ReloadingFile } from './reloadingFile';
import { TrustConfigError, TrustError, type TrustErrorReason } from './TrustError';

/**
 * Verifies an analyst's JWT from their national identity provider (docs/architecture.md, "A request, end to
 * end", step 2). The requester's country is the member whose issuer signed the token — never a claim: a
 * `country` claim that names another member is refused, and the token is checked only against that
 * member's keys, so one member's identity provider cannot speak for another's analysts.
 */

/** Where a member's identity-provider keys are published. */
export type IssuerKeys =
  | { readonly file: string }
  | {
      readonly url: string;
      /** After an unknown `kid`, no refetch before this (jose `cooldownDuration`; default 30 s). */
      readonly cooldownSeconds?: number;
      /** Refetch a set older than this (jose `cacheMaxAge`; default 600 s). */
      readonly cacheMaxAgeSeconds?: number;
      /** Give up on a fetch after this (default 5,000 ms). */
      readonly timeoutMs?: number;
    };

export interface AnalystIssuer {
  /** The `iss` its tokens carry, compared exactly. */
  readonly issuer: string;
  readonly jwks: IssuerKeys;
}

export interface AnalystVerifierOptions {
  /** Per member (ISO 3166-1 alpha-2 code): its identity provider. */
  readonly issuers: Readonly<Record<string, AnalystIssuer>>;
  /** The `aud` analyst tokens must carry (the gateway's identifier). */
  readonly audience: string;
  /** Allowed `alg` values (default ES256 and EdDSA). `none` and HS* are refused here and at verify time. */
  readonly algorithms?: readonly string[];
  /** Allowed clock skew for `exp`, `nbf` and `iat` (default 30 s). */
  readonly clockToleranceSeconds?: number;
  /**
   * The oldest token accepted, from its `iat` (default DEFAULT_ANALYST_TOKEN_MAX_AGE_SECONDS, 12 h). A
   * token must carry `iat`, not be issued in the future (beyond the clock skew), and not live longer than
   * this (`exp - iat`): a stolen token stays useful for one shift at most, whatever `exp` it claims.
   */
  readonly maxTokenAgeSeconds?: number;
  /** JWKS files: after an unknown `kid`, no re-read before this (default 1,000 ms). */
  readonly fileReloadCooldownMs?: number;
  /** JWKS files: re-read at most this often anyway, so removed keys stop working (default 10,000 ms). */
  readonly fileRefreshMs?: number;
  /** A JWKS file that became unreadable or invalid after start (the previous keys stay in use). */
  readonly onReloadError?: (error: Error) => void;
  /** The clock in milliseconds (tests fix it; default Date.now). */
  readonly now?: () => number;
}

/** Who is asking, established from a verified token. */
export interface AnalystIdentity {
  /** The member whose identity provider issued the token. */
  readonly country: string;
  /** `sub`. */
  readonly analyst: string;
  readonly roles: readonly string[];
  readonly issuer: string;
  /** The token's id, for the audit record, when the identity provider sets one. */
  readonly jti?: string;
  /** The joint-team id the identity provider attests (`jit` claim), when present. */
  readonly jit?: string;
  readonly expiresAt: Date;
}

export interface AnalystVerifier {
  /** Resolves to the identity, or rejects with a TrustError. */
  verify(token: string | undefined): Promise<AnalystIdentity>;
}

export const DEFAULT_ANALYST_ALGORITHMS: readonly string[] = ['ES256', 'EdDSA'];

/** The `aud` the gateway expects by default, and the demo identity providers put in their tokens. */
export const DEFAULT_ANALYST_AUDIENCE = 'accord-gateway';

/** Asymmetric JWS algorithms jose verifies; anything else cannot be allowed. */
const ASYMMETRIC_ALGORITHMS: ReadonlySet<string> = new Set([
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
]);

/** One working shift: the oldest analyst token the gateway accepts unless configured otherwise. */
export const DEFAULT_ANALYST_TOKEN_MAX_AGE_SECONDS = 12 * 60 * 60;

/**
 * Refusals established only after the token's signature verified with its member's key. Telling these
 * to the caller is safe: only the holder of a token a member's identity provider really signed can get
 * them, so they reveal nothing about which issuers or keys are trusted. Every other refusal (malformed,
 * algorithm, unknown issuer or key, bad signature, claims checked before the signature) must be answered
 * alike, or the answer tells a stranger which identity providers are members'.
 */
export const ANALYST_REFUSALS_AFTER_SIGNATURE: ReadonlySet<TrustErrorReason> = new Set<TrustErrorReason>([
  'EXPIRED',
  'NOT_YET_VALID',
  'TOO_OLD',
  'LIFETIME_TOO_LONG',
  'WRONG_AUDIENCE',
  'COUNTRY_MISMATCH',
]);

/** Longer than any identity provider's token; a bigger one is refused before it is decoded. */
const MAX_TOKEN_LENGTH = 8_192;

export function createAnalystVerifier(options: AnalystVerifierOptions): AnalystVerifier {
  const now = options.now ?? Date.now;
  const audience = requireText('audience', options.audience);
  const algorithms = checkAlgorithms(options.algorithms ?? DEFAULT_ANALYST_ALGORITHMS);
  const allowed: ReadonlySet<string> = new Set(algorithms);
  const clockTolerance = nonNegative('clockToleranceSeconds', options.clockToleranceSeconds ?? 30);
  const maxTokenAge = checkMaxTokenAge(options.maxTokenAgeSeconds ?? DEFAULT_ANALYST_TOKEN_MAX_AGE_SECONDS);
  const byIssuer = new Map<string, { readonly country: string; readonly getKey: JWTVerifyGetKey }>();

  const entries = Object.entries(options.issuers ?? {});
  if (entries.length === 0)
    throw new TrustConfigError(
      'createAnalystVerifier: `issuers` lists no member; every analyst would be refused.',
    );
  for (const [country, entry] of entries) {
    if (!isCountryCode(country))
      throw new TrustConfigError(
        `createAnalystVerifier: ${JSON.stringify(country)} is not an ISO 3166-1 alpha-2 code (e.g. KR).`,
      );
    const issuer = requireText(`issuers.${country}.issuer`, entry?.issuer);
    const other = byIssuer.get(issuer);
    if (other) {
      // The country is read from the issuer: two members sharing one would make it ambiguous.
      throw new TrustConfigError(
        `createAnalystVerifier: ${other.country} and ${country} have the same issuer ${JSON.stringify(issuer)}; each member needs its own.`,
      );
    }
    byIssuer.set(issuer, { country, getKey: keySource(country, entry.jwks, { now, options }) });
  }

  return {
    async verify(token) {
      if (token === undefined || token === null || token === '')
        throw new TrustError(
          'MISSING',
          'No identity token: send your national identity provider\'s token as "Authorization: Bearer <token>".',
        );
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || token.split('.').length !== 3) {
        throw new TrustError('MALFORMED', 'The identity token is not a signed JWT (compact JWS).');
      }
      let header: ReturnType<typeof decodeProtectedHeader>;
      let unverified: JWTPayload;
      try {
        header = decodeProtectedHeader(token);
        unverified = decodeJwt(token);
      } catch {
        throw new TrustError('MALFORMED', 'The identity token is not a signed JWT (compact JWS).');
      }
      // Before any key is looked up: `none` and HMAC (whose "secret" an attacker would pick: a public key) never get that far.
      if (typeof header.alg !== 'string' || !allowed.has(header.alg)) {
        throw new TrustError(
          'ALGORITHM_REFUSED',
          `The identity token's signature algorithm is not accepted (accepted: ${algorithms.join(', ')}).`,
        );
      }
      if (typeof unverified.iss !== 'string')
        throw new TrustError('INVALID_CLAIMS', 'The identity token names no issuer ("iss").');
      const member = byIssuer.get(unverified.iss);
      if (!member)
        throw new TrustError(
          'UNKNOWN_ISSUER',
          "The identity token's issuer is not a member's identity provider.",
        );

      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, member.getKey, {
          issuer: unverified.iss,
          audience,
          algorithms: [...algorithms],
          clockTolerance,
          // jose requires `iat` with maxTokenAge, refuses one older than it, and one in the future beyond the skew.
          requiredClaims: ['exp', 'sub', 'iat'],
          maxTokenAge,
          currentDate: new Date(now()),
        }));
      } catch (error) {
        throw fromJose(error, maxTokenAge);
      }
      // A token that would outlive the maximum age is refused now, not only once it is that old.
      if ((payload.exp as number) - (payload.iat as number) > maxTokenAge) {
        throw new TrustError(
          'LIFETIME_TOO_LONG',
          `The identity token lives longer than ${describeSeconds(maxTokenAge)} ("exp" - "iat"); this gateway accepts no longer-lived token.`,
        );
      }
      return identityFrom(payload, member.country, unverified.iss);
    },
  };
}

function identityFrom(payload: JWTPayload, country: string, issuer: string): AnalystIdentity {
  if ('country' in payload && payload['country'] !== country) {
    throw new TrustError(
      'COUNTRY_MISMATCH',
      'The identity token claims a country other than the member whose identity provider issued it.',
    );
  }
  const analyst = payload.sub;
  if (typeof analyst !== 'string' || !ANALYST_ID.test(analyst)) {
    throw new TrustError(
      'INVALID_CLAIMS',
      "The identity token's subject must be an analyst id: 1 to 64 lower-case letters, digits, '.', '_' or '-'.",
    );
  }
  const roles = rolesFrom(payload['roles']);
  const jit = payload['jit'];
  if (jit !== undefined && (typeof jit !== 'string' || !REFERENCE.test(jit))) {
    throw new TrustError(
      'INVALID_CLAIMS',
      'The identity token\'s joint-team id ("jit") must be 2 to 64 letters, digits or . _ : / -.',
    );
  }
  const jti = payload.jti;
  if (jti !== undefined && (typeof jti !== 'string' || jti.length === 0 || jti.length > 256)) {
    throw new TrustError(
      'INVALID_CLAIMS',
      'The identity token\'s id ("jti") must be a string of at most 256 characters.',
    );
  }
  return {
    country,
    analyst,
    roles,
    issuer,
    ...(jti !== undefined ? { jti } : {}),
    ...(jit !== undefined ? { jit } : {}),
    // requiredClaims made jose check that exp is present and a number.
    expiresAt: new Date((payload.exp as number) * 1000),
  };
}

function rolesFrom(claim: unknown): readonly string[] {
  if (claim === undefined) return DEFAULT_ROLES;
  if (
    !Array.isArray(claim) ||
    claim.length > MAX_ROLES ||
    !claim.every((role): role is string => typeof role === 'string' && ROLE.test(role))
  ) {
    throw new TrustError(
      'INVALID_CLAIMS',
      `The identity token's "roles" must be a list of at most ${MAX_ROLES} short lower-case words (e.g. ["analyst"]).`,
    );
  }
  return Object.freeze([...new Set(claim)]);
}

/** jose's errors → the closed set. Anything unforeseen is not a token problem: it propagates, masked by the caller's boundary. */
function fromJose(error: unknown, maxTokenAge: number): Error {
  if (error instanceof TrustError) return error;
  if (error instanceof errors.JWTExpired) {
    if (error.claim === 'iat')
      return new TrustError(
        'TOO_OLD',
        `The identity token was issued more than ${describeSeconds(maxTokenAge)} ago; get a new one.`,
      );
    return new TrustError(
      'EXPIRED',
      'The identity token has expired; get a new one (with the accord command line: accord login).',
    );
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iat' && error.reason === 'check_failed')
      return new TrustError('NOT_YET_VALID', 'The identity token was issued in the future ("iat").');
    switch (error.claim) {
      case 'nbf':
        return new TrustError(
          'NOT_YET_VALID',
          'The identity token is not valid yet ("nbf" is in the future).',
        );
      case 'aud':
        return new TrustError(
          'WRONG_AUDIENCE',
          'The identity token was issued for another service (audience).',
        );
      case 'iss':
        return new TrustError(
          'UNKNOWN_ISSUER',
          "The identity token's issuer is not a member's identity provider.",
        );
      default:
        return new TrustError(
          'INVALID_CLAIMS',
          error.reason === 'missing'
            ? `The identity token has no "${error.claim}" claim.`
            : `The identity token's "${error.claim}" claim is invalid.`,
        );
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new TrustError('BAD_SIGNATURE', "The identity token's signature does not verify.");
  if (error instanceof errors.JOSEAlgNotAllowed)
    return new TrustError('ALGORITHM_REFUSED', "The identity token's signature algorithm is not accepted.");
  if (error instanceof errors.JWKSNoMatchingKey)
    return new TrustError(
      'UNKNOWN_KEY',
      "The identity token's signing key is not one its identity provider publishes.",
    );
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported
  ) {
    return new TrustError('MALFORMED', 'The identity token is not a valid signed JWT.');
  }
  return error instanceof Error ? error : new Error(String(error));
}

function keySource(
  country: string,
  jwks: IssuerKeys,
  context: { now: () => number; options: AnalystVerifierOptions },
): JWTVerifyGetKey {
  const label = `createAnalystVerifier: the keys of ${country}`;
  if (jwks && 'file' in jwks && typeof jwks.file === 'string' && jwks.file !== '') {
    const { now, options } = context;
    const keys = new ReloadingFile(
      jwks.file,
      label,
      (text) => createLocalJWKSet({ keys: [...parseJwks(text).jwks.keys] }),
      {
        now,
        cooldownMs: nonNegative('fileReloadCooldownMs', options.fileReloadCooldownMs ?? 1_000),
        refreshMs: nonNegative('fileRefreshMs', options.fileRefreshMs ?? 10_000),
        onReloadError: options.onReloadError,
      },
    );
    return async (header, token) => {
      keys.refreshIfDue();
      try {
        return await keys.current(header, token);
      } catch (error) {
        // A key added to the file since the last read (rotation) is found on a re-read.
        if (error instanceof errors.JWKSNoMatchingKey && keys.reloadForUnknownKey())
          return keys.current(header, token);
        throw error;
      }
    };
  }
  if (jwks && 'url' in jwks && typeof jwks.url === 'string') {
    let url: URL;
    try {
      url = new URL(jwks.url);
    } catch {
      throw new TrustConfigError(`${label}: ${JSON.stringify(jwks.url)} is not a URL.`);
    }
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
      throw new TrustConfigError(
        `${label}: ${url.href} must be https (plain http only on this machine, for tests).`,
      );
    }
    const remote = createRemoteJWKSet(url, {
      cooldownDuration: nonNegative('cooldownSeconds', jwks.cooldownSeconds ?? 30) * 1000,
      cacheMaxAge: nonNegative('cacheMaxAgeSeconds', jwks.cacheMaxAgeSeconds ?? 600) * 1000,
      timeoutDuration: Math.round(nonNegative('timeoutMs', jwks.timeoutMs ?? 5_000)),
    });
    return async (header, token) => {
      try {
        return await remote(header, token);
      } catch (error) {
        if (
          error instanceof errors.JWKSNoMatchingKey ||
          error instanceof errors.JWKSMultipleMatchingKeys ||
          error instanceof errors.JOSEAlgNotAllowed ||
          error instanceof errors.JOSENotSupported
        ) {
          throw error;
        }
        // Down, slow, not 200, not a JWKS: the identity provider's problem, not the analyst's token.
        throw new TrustError(
          'KEYS_UNAVAILABLE',
          `The keys of ${country}'s identity provider cannot be fetched right now; try again shortly.`,
        );
      }
    };
  }
  throw new TrustConfigError(`${label}: "jwks" must be { file: <path> } or { url: <https URL> }.`);
}

function checkAlgorithms(algorithms: unknown): readonly string[] {
  if (!Array.isArray(algorithms) || algorithms.length === 0)
    throw new TrustConfigError(
      'createAnalystVerifier: `algorithms` must list at least one algorithm (default ES256, EdDSA).',
    );
  const checked: string[] = [];
  for (const alg of algorithms as unknown[]) {
    if (typeof alg !== 'string' || !ASYMMETRIC_ALGORITHMS.has(alg)) {
      throw new TrustConfigError(
        `createAnalystVerifier: algorithm ${JSON.stringify(alg)} cannot be allowed; only asymmetric signatures are (${[...ASYMMETRIC_ALGORITHMS].join(', ')}). "none" and HS* never are.`,
      );
    }
    checked.push(alg);
  }
  return Object.freeze(checked);
}

function requireText(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new TrustConfigError(
      `createAnalystVerifier: \`${name}\` must be a non-empty string, not ${JSON.stringify(value)}.`,
    );
  return value;
}

function checkMaxTokenAge(value: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new TrustConfigError(
      `createAnalystVerifier: \`maxTokenAgeSeconds\` must be a whole number of seconds ≥ 1, not ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/** 43200 → "12 h", 90 → "90 s": for messages. */
function describeSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function nonNegative(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new TrustConfigError(
      `createAnalystVerifier: \`${name}\` must be a number ≥ 0, not ${JSON.stringify(value)}.`,
    );
  return value;
}
