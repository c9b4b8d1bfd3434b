import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { GATEWAY_KID } from './gatewayToken';
import { jwkThumbprint, publicJwk } from './jwk';
import { createFileExclusive, ensurePrivateDir, writeFileAtomic } from './keyFiles';
import { TrustConfigError } from './TrustError';

/**
 * The gateway's signing keys in a folder: `<dir>/keys/<kid>.pem` (PKCS#8, owner-only) and `<dir>/jwks.json`,
 * the public keys the subgraphs trust, rewritten from the private keys whenever one is added or retired.
 * A `kid` starts with its creation time (`gw-20261126T015800123Z-…`), so the newest key sorts last and
 * is the one that signs. One process (the gateway, or whoever runs the rotation) writes the folder.
 *
 * Rotation with no downtime (trust/README.md): addGatewayKey → the new public key reaches every subgraph
 * (immediately when they read this jwks.json; they re-read it on an unknown kid) → signer.reload() → wait
 * out the longest token lifetime plus skew → retireGatewayKey(old) → subgraphs drop it within their
 * refresh interval.
 */

export interface GatewayKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
}

export const GATEWAY_JWKS_FILE = 'jwks.json';
const KEYS_FOLDER = 'keys';

/** The gateway's key set on first start (one new key), else as it is; republishes `<dir>/jwks.json`. */
export function ensureGatewayKeys(dir: string): { readonly currentKid: string; readonly jwksFile: string } {
  if (readGatewayKeys(dir, { allowEmpty: true }).length === 0) createKey(dir);
  const keys = readGatewayKeys(dir);
  return { currentKid: keys[keys.length - 1]!.kid, jwksFile: publishGatewayJwks(dir) };
}

/** Step 1 of a rotation: a new key, published beside the current ones. Returns its kid (the newest). */
export function addGatewayKey(dir: string): string {
  const kid = createKey(dir);
  publishGatewayJwks(dir);
  return kid;
}

/** The last step of a rotation: forget a key and stop publishing it. The last key cannot be retired. */
export function retireGatewayKey(dir: string, kid: string): void {
  const keys = readGatewayKeys(dir);
  if (!keys.some((key) => key.kid === kid))
    throw new TrustConfigError(`retireGatewayKey: there is no key ${JSON.stringify(kid)} in ${dir}.`);
  if (keys.length === 1)
    throw new TrustConfigError(
      `retireGatewayKey: ${kid} is the only key in ${dir}; add its successor first.`,
    );
  rmSync(join(dir, KEYS_FOLDER, `${kid}.pem`));
  publishGatewayJwks(dir);
}

/** The keys in the folder, oldest first (the last one signs). */
export function readGatewayKeys(dir: string, options: { allowEmpty?: boolean } = {}): GatewayKey[] {
  const folder = join(dir, KEYS_FOLDER);
  const files = existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith('.pem')) : [];
  const keys = files
    .map((name) => name.slice(0, -'.pem'.length))
    .filter((kid) => GATEWAY_KID.test(kid))
    .sort()
    .map((kid): GatewayKey => {
      try {
        return {
          kid,
          privateKey: checkSigningKey(createPrivateKey(readFileSync(join(folder, `${kid}.pem`))), kid),
        };
      } catch (error) {
        if (error instanceof TrustConfigError) throw error;
        throw new TrustConfigError(`The gateway key ${kid} in ${folder} is not a PEM private key.`);
      }
    });
  if (keys.length === 0 && !options.allowEmpty)
    throw new TrustConfigError(`There is no gateway key in ${folder}: call ensureGatewayKeys first.`);
  return keys;
}

/** Rewrites `<dir>/jwks.json` from the private keys; returns its path. */
export function publishGatewayJwks(dir: string): string {
  const keys = readGatewayKeys(dir);
  const file = join(dir, GATEWAY_JWKS_FILE);
  writeFileAtomic(
    file,
    `${JSON.stringify({ keys: keys.map(({ kid, privateKey }) => publicJwk(privateKey, kid, 'ES256')) }, null, 2)}\n`,
  );
  return file;
}

/** A key of the right kind for ES256, or a configuration error that says which. */
export function checkSigningKey(key: KeyObject, kid: string): KeyObject {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new TrustConfigError(
      `The gateway key ${kid} must be an EC P-256 key (ES256), not ${key.asymmetricKeyType ?? key.type}${key.asymmetricKeyDetails?.namedCurve ? ` ${key.asymmetricKeyDetails.namedCurve}` : ''}.`,
    );
  }
  return key;
}

function createKey(dir: string): string {
  const folder = join(dir, KEYS_FOLDER);
  ensurePrivateDir(dir);
  ensurePrivateDir(folder);
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const newest = readGatewayKeys(dir, { allowEmpty: true }).at(-1)?.kid;
  // Creation time to the millisecond, made later than the newest key's so that "newest sorts last" holds even within one millisecond.
  let created = Date.now();
  const newestTime = newest ? kidTime(newest) : undefined;
  if (newestTime !== undefined && created <= newestTime) created = newestTime + 1;
  const stamp = new Date(created).toISOString().replace(/[-:]/g, '').replace('.', '');
  const kid = `gw-${stamp}-${jwkThumbprint(publicJwk(privateKey, '', 'ES256')).slice(0, 8)}`;
  createFileExclusive(
    join(folder, `${kid}.pem`),
    privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  );
  return kid;
}

/** The creation time in a kid made by createKey (`gw-20261126T015800123Z-…`). */
function kidTime(kid: string): number | undefined {
  const match = /^gw-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z-/.exec(kid);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, ms] = match;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms));
}
