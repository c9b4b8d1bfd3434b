import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { checkSigningKey, readGatewayKeys, type GatewayKey } from './gatewayKeys';
import {
  GATEWAY_KID,
  GATEWAY_SCOPES,
  MAX_GATEWAY_TOKEN_LIFETIME_SECONDS,
  bodyHash,
  encodedHeader,
  type GatewayScope,
} from './gatewayToken';
import { TrustConfigError } from './TrustError';

/**
 * Signs the token the gateway sends with every subgraph call (docs/architecture.md, "A request, end to end",
 * step 5): audience = that subgraph, a short lifetime, a unique `jti`, the verified context, the policy
 * revision and the hash of the body. node:crypto, not jose: a five-member search signs six tokens per
 * request (docs/decisions/0009-gateway-tokens-with-node-crypto.md).
 */

export interface GatewaySignerOptions {
  /** The keys (the last one signs), or the gateway's key folder (ensureGatewayKeys; the newest signs). */
  readonly keys: readonly { readonly kid: string; readonly privateKey: KeyObject | string }[] | string;
  /** `iss`: who the gateway is (e.g. `accord-gateway`). */
  readonly issuer: string;
  /** `exp - iat` (default 30 s, at most 60). One hop needs seconds; a shorter life also keeps the subgraphs' replay caches small. */
  readonly lifetimeSeconds?: number;
  /** The clock in milliseconds (tests fix it; default Date.now). */
  readonly now?: () => number;
}

export interface GatewaySignRequest {
  /** The subgraph's name (`kr`, `alliance`). */
  readonly audience: string;
  /** `query` for an analyst's request; `schema` for the gateway's own schema and health calls (no analyst, no ctx). */
  readonly scope: GatewayScope;
  /** The verified request context (JSON); required for nothing here, forbidden with `schema`. */
  readonly ctx?: Readonly<Record<string, unknown>>;
  /** The policy revision. */
  readonly rev?: string;
  /** The exact bytes that will be sent as the request body. */
  readonly body: string | Buffer;
}

export interface GatewaySigner {
  /** A compact JWS for one subgraph call. */
  sign(request: GatewaySignRequest): string;
  /** The kid that signs now. */
  readonly currentKid: string;
  /** Every kid the signer holds, oldest first (what must stay published). */
  readonly kids: readonly string[];
  /** Key folder: re-read it; the newest key signs from now on. Key list: nothing to re-read. */
  reload(): void;
  /** Sign with another key the signer holds (e.g. back to the old one when a rotation must be undone). */
  use(kid: string): void;
}

interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  /** `base64url(header) + "."`, built once per key. */
  readonly headerDot: string;
}

export function createGatewaySigner(options: GatewaySignerOptions): GatewaySigner {
  const issuer = options.issuer;
  if (typeof issuer !== 'string' || issuer.trim() === '')
    throw new TrustConfigError(
      `createGatewaySigner: \`issuer\` must be a non-empty string, not ${JSON.stringify(issuer)}.`,
    );
  const lifetime = options.lifetimeSeconds ?? 30;
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > MAX_GATEWAY_TOKEN_LIFETIME_SECONDS) {
    throw new TrustConfigError(
      `createGatewaySigner: \`lifetimeSeconds\` must be a whole number from 1 to ${MAX_GATEWAY_TOKEN_LIFETIME_SECONDS}, not ${JSON.stringify(lifetime)}.`,
    );
  }
  const now = options.now ?? Date.now;
  const source = options.keys;
  const load = (): SigningKey[] =>
    (typeof source === 'string' ? readGatewayKeys(source) : source.map(fromOption)).map(signingKey);

  let keys = load();
  if (keys.length === 0)
    throw new TrustConfigError('createGatewaySigner: `keys` is empty; the gateway needs a key to sign with.');
  const duplicate = keys.find((key, index) => keys.findIndex((other) => other.kid === key.kid) !== index);
  if (duplicate)
    throw new TrustConfigError(
      `createGatewaySigner: the kid ${JSON.stringify(duplicate.kid)} appears twice.`,
    );
  let current = keys[keys.length - 1]!;

  return {
    sign(request) {
      const { audience, scope, ctx, rev, body } = request;
      if (typeof audience !== 'string' || audience === '')
        throw new TrustConfigError('GatewaySigner.sign: `audience` must be the subgraph name.');
      if (!GATEWAY_SCOPES.includes(scope))
        throw new TrustConfigError(
          `GatewaySigner.sign: \`scope\` must be one of ${GATEWAY_SCOPES.join(', ')}, not ${JSON.stringify(scope)}.`,
        );
      if (ctx !== undefined && (typeof ctx !== 'object' || ctx === null || Array.isArray(ctx)))
        throw new TrustConfigError('GatewaySigner.sign: `ctx` must be a JSON object.');
      // The schema token is the narrow one: it speaks for no analyst, so it carries no context a subgraph could mistake for one.
      if (scope === 'schema' && ctx !== undefined)
        throw new TrustConfigError('GatewaySigner.sign: a `schema` token carries no `ctx`.');
      if (rev !== undefined && typeof rev !== 'string')
        throw new TrustConfigError('GatewaySigner.sign: `rev` must be a string.');
      if (typeof body !== 'string' && !Buffer.isBuffer(body))
        throw new TrustConfigError('GatewaySigner.sign: `body` must be the request body (string or Buffer).');

      const iat = Math.floor(now() / 1000);
      const claims: Record<string, unknown> = {
        iss: issuer,
        aud: audience,
        iat,
        exp: iat + lifetime,
        jti: randomUUID(),
        scope,
      };
      if (rev !== undefined) claims['rev'] = rev;
      if (ctx !== undefined) claims['ctx'] = ctx;
      claims['bh'] = bodyHash(body);
      const signingInput = current.headerDot + Buffer.from(JSON.stringify(claims)).toString('base64url');
      const signature = sign('sha256', Buffer.from(signingInput, 'latin1'), {
        key: current.privateKey,
        dsaEncoding: 'ieee-p1363',
      });
      return `${signingInput}.${signature.toString('base64url')}`;
    },
    get currentKid() {
      return current.kid;
    },
    get kids() {
      return keys.map((key) => key.kid);
    },
    reload() {
      if (typeof source !== 'string') return;
      const next = load();
      keys = next;
      current = next[next.length - 1]!;
    },
    use(kid) {
      const key = keys.find((candidate) => candidate.kid === kid);
      if (!key)
        throw new TrustConfigError(
          `GatewaySigner.use: the signer holds no key ${JSON.stringify(kid)} (it holds ${keys.map((k) => k.kid).join(', ')}).`,
        );
      current = key;
    },
  };
}

function fromOption(entry: { readonly kid: string; readonly privateKey: KeyObject | string }): GatewayKey {
  if (typeof entry?.kid !== 'string' || !GATEWAY_KID.test(entry.kid)) {
    throw new TrustConfigError(
      `createGatewaySigner: a kid must be 1 to 64 letters, digits, '.', '_' or '-', not ${JSON.stringify(entry?.kid)}.`,
    );
  }
  let privateKey: KeyObject;
  try {
    privateKey = typeof entry.privateKey === 'string' ? createPrivateKey(entry.privateKey) : entry.privateKey;
  } catch {
    throw new TrustConfigError(`createGatewaySigner: the key ${entry.kid} is not a PEM private key.`);
  }
  if (privateKey?.type !== 'private')
    throw new TrustConfigError(`createGatewaySigner: the key ${entry.kid} must be a private key.`);
  return { kid: entry.kid, privateKey };
}

function signingKey(key: GatewayKey): SigningKey {
  return {
    kid: key.kid,
    privateKey: checkSigningKey(key.privateKey, key.kid),
    headerDot: `${encodedHeader(key.kid)}.`,
  };
}
