import { createHash, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';

/** A JSON Web Key Set (RFC 7517 §5) as it sits in a file or answers from a URL. */
export interface JsonWebKeySet {
  readonly keys: readonly JsonWebKey[];
}

/** The public JWK of a key, with its `kid` and `alg`; private members never leave this function. */
export function publicJwk(key: KeyObject, kid: string, alg: string): JsonWebKey {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const { kty, crv, x, y, n, e } = publicKey.export({ format: 'jwk' });
  const members: JsonWebKey = { kty, crv, x, y, n, e };
  for (const name of Object.keys(members)) if (members[name] === undefined) delete members[name];
  return { ...members, kid, alg, use: 'sig' };
}

/** The RFC 7638 thumbprint (base64url SHA-256 of the required members, in lexical order). */
export function jwkThumbprint(jwk: JsonWebKey): string {
  const required: Record<string, readonly string[]> = {
    EC: ['crv', 'kty', 'x', 'y'],
    OKP: ['crv', 'kty', 'x'],
    RSA: ['e', 'kty', 'n'],
  };
  const names = required[String(jwk.kty)];
  if (!names) throw new TypeError(`no thumbprint for key type ${JSON.stringify(jwk.kty)}`);
  const canonical = `{${names.map((name) => `${JSON.stringify(name)}:${JSON.stringify(jwk[name])}`).join(',')}}`;
  return createHash('sha256').update(canonical).digest('base64url');
}

/**
 * Parses the text of a JWKS and checks every key: an object with a `kid`, public (no private members),
 * asymmetric, and importable. Throws a plain Error whose message names the problem (callers wrap it).
 */
export function parseJwks(text: string): {
  readonly jwks: JsonWebKeySet;
  readonly keys: readonly ParsedJwk[];
} {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new Error('is not JSON');
  }
  if (
    typeof document !== 'object' ||
    document === null ||
    !Array.isArray((document as { keys?: unknown }).keys)
  ) {
    throw new Error('is not a JWKS: expected {"keys": [...]}');
  }
  const jwks = document as { keys: unknown[] };
  const keys = jwks.keys.map((entry, index): ParsedJwk => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw new Error(`keys[${index}] is not a JSON object`);
    const jwk = entry as JsonWebKey;
    if (typeof jwk.kid !== 'string' || jwk.kid === '') throw new Error(`keys[${index}] has no "kid"`);
    if (jwk.kty === 'oct')
      throw new Error(`keys[${index}] (${jwk.kid}) is a symmetric key; only public keys are trusted`);
    if (['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'].some((member) => member in jwk)) {
      throw new Error(`keys[${index}] (${jwk.kid}) holds private key material; publish public keys only`);
    }
    let key: KeyObject;
    try {
      key = createPublicKey({ key: jwk, format: 'jwk' });
    } catch {
      throw new Error(`keys[${index}] (${jwk.kid}) is not a valid public key`);
    }
    return { kid: jwk.kid, alg: typeof jwk.alg === 'string' ? jwk.alg : undefined, jwk, key };
  });
  const kids = new Set<string>();
  for (const { kid } of keys) {
    if (kids.has(kid)) throw new Error(`"kid" ${JSON.stringify(kid)} appears twice`);
    kids.add(kid);
  }
  return { jwks: { keys: keys.map(({ jwk }) => jwk) }, keys };
}

export interface ParsedJwk {
  readonly kid: string;
  readonly alg: string | undefined;
  readonly jwk: JsonWebKey;
  readonly key: KeyObject;
}
