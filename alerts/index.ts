// Alerts at the owner (issue 11; docs/decisions/0018-alerts-at-the-owner.md): watches as data, the one
// normalisation of identifiers, the watcher's decision on where a watch goes, the owner's decision on
// which hits become notices, and the signed, reference-only notice.
export {
  IDENTIFIER_KINDS,
  identifierKey,
  documentKey,
  phoneKey,
  accountKey,
  handleKey,
  recordKey,
  type Identifier,
  type IdentifierKind,
  type IdentifierKey,
} from './identifiers';
export {
  EVENT_KINDS,
  EVENT_FIELDS,
  IDENTIFIER_FIELDS,
  fieldCategory,
  identifierCategory,
  eventCategory,
  type EventKind,
} from './categories';
export {
  createWatch,
  renewWatch,
  watchKeys,
  WATCH_REQUEST_SCHEMA,
  MAX_WATCH_DAYS,
  MAX_WATCH_MS,
  MAX_WATCH_IDENTIFIERS,
  type Watch,
  type WatchRequest,
  type Watcher,
} from './watch';
export { WatchError } from './WatchError';
export { distributeWatch, MATCHING_SERVICE, type HeldWatch, type Recipient } from './distribute';
export { readHeldWatch, HELD_WATCH_SCHEMA } from './heldWatch';
export { matchEvent, type MatchOptions, type RecordEvent, type RecordIdentifier } from './match';
export {
  noticeIdOf,
  noticeBytes,
  signNotice,
  signNoticeWithBody,
  verifyNotice,
  verifyNoticeBody,
  noticePublicKey,
  checkNoticeKey,
  ensureNoticeKey,
  type Notice,
  type NoticeBasis,
  type SignedNotice,
} from './notice';
