import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { canonicalJson, publicKeyOf } from '../audit';
import type { Category } from '../vocabulary';
import type { EventKind } from './categories';

/**
 * A notice: the owner's word that a record of its own matching a watch changed. References only
 * (issue 11; docs/decisions/0018-alerts-at-the-owner.md): who owns it, which notice, which watch, what
 * kind of event, when it was emitted, which record and which event, and the clauses that let the owner
 * tell the watcher even that much. No value of the record: the watcher follows up with ordinary queries
 * through the gateway, where every field is decided by its owner as today.
 */
export interface Notice {
  /** The member whose record changed, and who signed the notice. */
  readonly owner: string;
  /** Unique per owner: the same watch and event always give the same id, so a duplicate is harmless. */
  readonly noticeId: string;
  readonly watchId: string;
  /** The member that registered the watch (the notice's only addressee). */
  readonly watcher: string;
  readonly event: EventKind;
  /** When the owner emitted it (its commit), ISO 8601 UTC: never a time taken from the record. */
  readonly at: string;
  /** The global id of the record an identifier of the watch was found on. */
  readonly subject: string;
  /** The owner's reference of the change (`<owner>-EVT-<n>`), for follow-up and for the owner's audit. */
  readonly eventReference: string;
  /** For the hit and for the event: the category decided and the clause that allowed it. */
  readonly basis: readonly NoticeBasis[];
  /** The agreement set's revision the owner decided under. */
  readonly revision: string;
}

export interface NoticeBasis {
  readonly category: Category;
  readonly agreement: string;
  readonly clause: string;
}

/** A notice with the owner's Ed25519 signature over its canonical JSON (audit/canonicalJson.ts), base64. */
export interface SignedNotice {
  readonly notice: Notice;
  readonly signature: string;
}

/** `<owner>-NTC-<24 hex>`: a digest of the watch and the event, so matching the same event twice gives one id. */
export function noticeIdOf(owner: string, watchId: string, eventReference: string): string {
  const digest = createHash('sha256').update(`${watchId}\0${eventReference}`).digest('hex').slice(0, 24);
  return `${owner}-NTC-${digest}`;
}

/** The bytes signed: the notice's canonical JSON. */
export function noticeBytes(notice: Notice): Buffer {
  return Buffer.from(canonicalJson(notice));
}

export function signNotice(notice: Notice, privateKey: KeyObject): SignedNotice {
  return signNoticeWithBody(notice, privateKey).signed;
}

/** `signNotice`, and the bytes signed as text: what an outbox keeps, without writing the JSON twice. */
export function signNoticeWithBody(
  notice: Notice,
  privateKey: KeyObject,
): { readonly signed: SignedNotice; readonly body: string } {
  const bytes = noticeBytes(notice);
  return {
    signed: { notice, signature: sign(null, bytes, privateKey).toString('base64') },
    body: bytes.toString(),
  };
}

/** False for a signature that does not verify and for a key that is not Ed25519. */
export function verifyNotice(signed: SignedNotice, publicKey: KeyObject | string): boolean {
  return verifyNoticeBody(noticeBytes(signed.notice), signed.signature, publicKey);
}

/**
 * `verifyNotice` over the signed bytes themselves, for a reader that holds them and has checked they are
 * the notice's canonical JSON (the hub, subgraphs/alliance/alertLog/readNotice.ts): canonicalised once.
 */
export function verifyNoticeBody(
  body: Buffer | string,
  signature: string,
  publicKey: KeyObject | string,
): boolean {
  try {
    const key =
      typeof publicKey === 'string'
        ? createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' })
        : publicKey.type === 'public'
          ? publicKey
          : createPublicKey(publicKey);
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, Buffer.from(body), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** The public half of a notice key, as SPKI DER in base64 (the form the hub will pin per owner). */
export function noticePublicKey(key: KeyObject): string {
  return publicKeyOf(key);
}

/**
 * Checks that a key can sign notices (Ed25519, private), at start-up rather than at the first notice.
 * Returns it.
 */
export function checkNoticeKey(key: KeyObject): KeyObject {
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519')
    throw new Error(
      `alerts: a notice key must be a private Ed25519 key, not a ${key.type} ${key.asymmetricKeyType ?? 'symmetric'} key.`,
    );
  return key;
}

/**
 * The owner's notice key (Ed25519, PKCS#8 PEM, readable by its owner only), made on first use as the
 * desk's grant key is (subgraphs/desk/grantStore.ts): a second process starting at once does not replace it.
 */
export function ensureNoticeKey(file: string): KeyObject {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), {
        mode: 0o600,
        flag: 'wx',
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return checkNoticeKey(createPrivateKey(readFileSync(file, 'utf8')));
}
