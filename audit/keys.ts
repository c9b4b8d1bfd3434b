/**
 * Writer keys: Ed25519 through node:crypto (sign ~54 µs, verify ~141 µs here: docs/architecture.md). A
 * checkpoint carries the public key that signed it; `verify --keys` pins the keys each writer may use.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { canonicalJson } from './canonicalJson';
import { AuditError } from './AuditError';
import type { CheckpointStatement } from './types';

/** A fresh writer key: the private key as PKCS#8 PEM, the public key as SPKI DER in base64. */
export function generateWriterKey(): { privateKeyPem: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
}

/** Parses a private key PEM and checks that it is Ed25519. */
export function loadPrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new AuditError(
      'BAD_KEY',
      `The writer key is not a private key in PEM form (${(error as Error).message}).`,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new AuditError(
      'BAD_KEY',
      `The writer key must be Ed25519, not ${key.asymmetricKeyType ?? 'a symmetric key'}.`,
    );
  }
  return key;
}

/** The base64 SPKI DER form of the public half of a private key, or of a public key given as PEM or base64. */
export function publicKeyOf(key: KeyObject | string): string {
  let object: KeyObject;
  if (typeof key !== 'string') object = createPublicKey(key);
  else if (key.includes('PRIVATE KEY')) object = createPublicKey(loadPrivateKey(key));
  else if (key.includes('-----BEGIN')) object = createPublicKey(key);
  else object = createPublicKey({ key: Buffer.from(key, 'base64'), format: 'der', type: 'spki' });
  return object.export({ type: 'spki', format: 'der' }).toString('base64');
}

export function signStatement(statement: CheckpointStatement, privateKey: KeyObject): string {
  return sign(null, Buffer.from(canonicalJson(statement)), privateKey).toString('base64');
}

/** False for a bad signature and for a key that does not parse. */
export function verifyStatement(
  statement: CheckpointStatement,
  publicKey: string,
  signature: string,
): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, Buffer.from(canonicalJson(statement)), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
