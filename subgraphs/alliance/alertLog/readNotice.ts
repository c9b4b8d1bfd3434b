/**
 * One notice as a relay sends it, read and verified before anything is stored (docs/decisions/0019-alert-delivery.md):
 * its body must be a notice (alerts/notice.ts) written as the canonical JSON the owner signed, and its
 * signature must verify against the owner's pinned key. The stored bytes are then exactly the signed
 * bytes, which any reader can verify again.
 */
import type { KeyObject } from 'node:crypto';
import { EVENT_KINDS, verifyNoticeBody, type Notice } from '../../../alerts';
import { canonicalJson } from '../../../audit';
import { isCategory } from '../../../vocabulary';
import type { RefusalReason } from './AlertLog';
import { noticeKeyFrom, type NoticeKeys } from './noticeKeys';

/** A notice body is a few hundred bytes; anything far larger is not one. */
export const MAX_NOTICE_BYTES = 16 * 1024;

export type ReadNotice =
  | { readonly ok: true; readonly notice: Notice; readonly body: string; readonly signature: string }
  | { readonly ok: false; readonly reason: RefusalReason; readonly noticeId: string | null };

const COUNTRY = /^[A-Z]{2}$/;
const TEXT = /^[\x20-\x7e]{1,200}$/;
const SIGNATURE = /^[A-Za-z0-9+/]{86}==$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const NOTICE_FIELDS = [
  'owner',
  'noticeId',
  'watchId',
  'watcher',
  'event',
  'at',
  'subject',
  'eventReference',
  'basis',
  'revision',
] as const;

export function readNotice(wire: unknown, keys: NoticeKeys): ReadNotice {
  const malformed = (noticeId: string | null = null): ReadNotice => ({
    ok: false,
    reason: 'malformed',
    noticeId,
  });
  if (wire === null || typeof wire !== 'object' || Array.isArray(wire)) return malformed();
  const { body, signature, ...rest } = wire as Record<string, unknown>;
  if (typeof body !== 'string' || body.length > MAX_NOTICE_BYTES || Object.keys(rest).length > 0)
    return malformed();
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return malformed();
  }
  const notice = noticeOf(parsed);
  const id = noticeIdIn(parsed);
  if (!notice || canonicalJson(notice) !== body) return malformed(id);
  if (typeof signature !== 'string' || !SIGNATURE.test(signature)) return malformed(id);
  const key = keys.keyOf(notice.owner);
  if (!key) return { ok: false, reason: 'unknown-owner', noticeId: notice.noticeId };
  // The body is the notice's canonical JSON (checked above): the bytes signed, verified as they came.
  if (!verifyNoticeBody(body, signature, publicKeyOf(key)))
    return { ok: false, reason: 'bad-signature', noticeId: notice.noticeId };
  return { ok: true, notice, body, signature };
}

/**
 * Each pinned key (SPKI DER in base64) as a public key object, made once: making it took about as long
 * as verifying a notice with it (bench/README.md, `alerts`). Keyed by the key itself, not by its owner,
 * so a key the hub reads anew is used at once. Bounded: past MAX_PARSED_KEYS it starts over.
 */
const parsedKeys = new Map<string, KeyObject>();
const MAX_PARSED_KEYS = 256;

function publicKeyOf(spki: string): KeyObject | string {
  const known = parsedKeys.get(spki);
  if (known !== undefined) return known;
  const key = noticeKeyFrom(spki);
  // Not an Ed25519 public key: verifyNotice refuses it, as it always did.
  if (key === undefined) return spki;
  if (parsedKeys.size >= MAX_PARSED_KEYS) parsedKeys.clear();
  parsedKeys.set(spki, key);
  return key;
}

/** The stored body back as a notice (it was read by `readNotice` before it was stored). */
export function parseStoredNotice(body: string): Notice {
  const notice = noticeOf(JSON.parse(body));
  if (!notice) throw new Error('invariant: a stored notice no longer reads as a notice');
  return notice;
}

/** The id a body names, when it is a well-formed one: said back in a refusal so the relay can tell which. */
function noticeIdIn(parsed: unknown): string | null {
  if (parsed === null || typeof parsed !== 'object') return null;
  const id = (parsed as Record<string, unknown>)['noticeId'];
  return typeof id === 'string' && /^[A-Z]{2}-NTC-[0-9a-f]{24}$/.test(id) ? id : null;
}

function noticeOf(value: unknown): Notice | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const given = value as Record<string, unknown>;
  if (Object.keys(given).some((key) => !(NOTICE_FIELDS as readonly string[]).includes(key))) return undefined;
  const { owner, noticeId, watchId, watcher, event, at, subject, eventReference, basis, revision } = given;
  if (typeof owner !== 'string' || !COUNTRY.test(owner)) return undefined;
  if (typeof watcher !== 'string' || !COUNTRY.test(watcher) || watcher === owner) return undefined;
  if (typeof noticeId !== 'string' || !new RegExp(`^${owner}-NTC-[0-9a-f]{24}$`).test(noticeId))
    return undefined;
  if (typeof watchId !== 'string' || !new RegExp(`^${watcher}-WCH-[0-9a-f-]{36}$`).test(watchId))
    return undefined;
  if (typeof event !== 'string' || !(EVENT_KINDS as readonly string[]).includes(event)) return undefined;
  if (typeof at !== 'string' || !ISO_INSTANT.test(at) || Number.isNaN(Date.parse(at))) return undefined;
  for (const text of [subject, eventReference, revision])
    if (typeof text !== 'string' || !TEXT.test(text)) return undefined;
  if (!Array.isArray(basis) || basis.length === 0 || basis.length > 16) return undefined;
  for (const entry of basis as unknown[]) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return undefined;
    const { category, agreement, clause, ...others } = entry as Record<string, unknown>;
    if (Object.keys(others).length > 0) return undefined;
    if (typeof category !== 'string' || !isCategory(category)) return undefined;
    if (typeof agreement !== 'string' || !TEXT.test(agreement)) return undefined;
    if (typeof clause !== 'string' || !TEXT.test(clause)) return undefined;
  }
  return given as unknown as Notice;
}
