/**
 * An analyst's cursors into the hub's alert log (docs/decisions/0019-alert-delivery.md, "The cursor").
 *
 * Each notice of an analyst has a position in that analyst's own sequence (1, 2, 3, … per watcher and
 * analyst, drawn when the notice is appended), so nothing about another analyst's notices, of this
 * country or another, moves it. The cursor the client holds is that position and the analyst it belongs
 * to, enciphered as one AES block under the log's own key (kept in the log, so every hub process sharing
 * it, and every restart, reads the same cursors):
 *
 *   block = position (6 bytes, big-endian) ‖ the first 4 bytes of sha256(owner NUL noticeId) of the
 *           notice at that position ‖ the first 6 bytes of sha256(watcher NUL analyst)
 *
 * One block under a block cipher is a keyed permutation: the same position always gives the same cursor,
 * a client learns nothing from it (not even how many of its own notices were passed over or withheld at
 * delivery between two cursors), and a cursor of another analyst, or one the log never gave, fails the
 * identity check when it is read back. The notice's bytes let the log refuse a cursor whose position now
 * holds another notice (a log restored from an older copy that has since taken new notices): read on from
 * there, the client would skip the new notices it never had (red-team finding 11,
 * test/e2e/alerts-redteam.test.ts).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AlertLogInputError } from './AlertLog';

/** What a client is told for every cursor the log cannot take: malformed, another analyst's, or unknown. */
export const BAD_CURSOR_MESSAGE =
  'This cursor is not one the alert log gave you (or it is no longer valid): read again with no cursor, from the start.';

const CURSOR_TEXT = /^[0-9a-f]{32}$/;
const KEY_BYTES = 32;

/** The notice a cursor stands at: its place in the analyst's sequence, and which notice is there. */
export interface CursorPlace {
  readonly position: number;
  readonly owner: string;
  readonly noticeId: string;
}

/** What a cursor says once read: the position (0 for the start) and the notice's 4 bytes (none at 0). */
export interface DecodedCursor {
  readonly position: number;
  readonly notice?: Buffer;
}

export interface CursorCodec {
  /** The cursor of a notice at `position` (1 or more) in the sequence of `analyst` of `watcher`. */
  encode(watcher: string, analyst: string, place: CursorPlace): string;
  /**
   * What a cursor of `analyst` of `watcher` stands for (position 0 for null, the start); throws
   * AlertLogInputError(BAD_CURSOR_MESSAGE) for any other text. The caller checks `notice` against the
   * notice at `position` (`sameNotice`).
   */
  decode(watcher: string, analyst: string, cursor: string | null): DecodedCursor;
}

/** Whether a decoded cursor's notice bytes are those of `owner`'s `noticeId`. */
export function sameNotice(decoded: DecodedCursor, owner: string, noticeId: string): boolean {
  return decoded.notice !== undefined && timingSafeEqual(decoded.notice, noticeBytesOf(owner, noticeId));
}

function noticeBytesOf(owner: string, noticeId: string): Buffer {
  return createHash('sha256').update(`${owner}\0${noticeId}`).digest().subarray(0, 4);
}

/** The largest position a cursor holds (6 bytes). */
const MAX_POSITION = 2 ** 48 - 1;

/** A new key for a new log, as the text the log keeps. */
export function newCursorKey(): string {
  return randomBytes(KEY_BYTES).toString('hex');
}

export function cursorCodec(keyText: string): CursorCodec {
  if (!/^[0-9a-f]{64}$/.test(keyText))
    throw new Error("invariant: the alert log's cursor key is not 32 bytes");
  const key = Buffer.from(keyText, 'hex');
  const identity = (watcher: string, analyst: string) =>
    createHash('sha256').update(`${watcher}\0${analyst}`).digest().subarray(0, 6);
  return {
    encode(watcher, analyst, { position, owner, noticeId }) {
      if (!Number.isSafeInteger(position) || position < 1 || position > MAX_POSITION)
        throw new Error(`invariant: a cursor's position is a whole number from 1, not ${position}`);
      const block = Buffer.alloc(16);
      block.writeUIntBE(position, 0, 6);
      noticeBytesOf(owner, noticeId).copy(block, 6);
      identity(watcher, analyst).copy(block, 10);
      const cipher = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
      return Buffer.concat([cipher.update(block), cipher.final()]).toString('hex');
    },
    decode(watcher, analyst, cursor) {
      if (cursor === null) return { position: 0 };
      if (typeof cursor !== 'string' || !CURSOR_TEXT.test(cursor)) throw badCursor();
      const decipher = createDecipheriv('aes-256-ecb', key, null).setAutoPadding(false);
      const block = Buffer.concat([decipher.update(Buffer.from(cursor, 'hex')), decipher.final()]);
      if (!timingSafeEqual(block.subarray(10), identity(watcher, analyst))) throw badCursor();
      const position = block.readUIntBE(0, 6);
      if (position < 1) throw badCursor();
      return { position, notice: Buffer.from(block.subarray(6, 10)) };
    },
  };
}

export function badCursor(): AlertLogInputError {
  return new AlertLogInputError(BAD_CURSOR_MESSAGE, 'after');
}
