/**
 * INTERPOL notices as the reference model reads them (docs/domain.md#interpol-notices): which colour a
 * notice names, and which purposes each colour serves. The table is the model's own, copied from the
 * table in that section of docs/domain.md, not read from vocabulary/interpolNotices.ts, which the engine and
 * its loader read: a slip in one table (a purpose moved to the wrong colour) then makes the engine and the
 * model disagree instead of fooling both. test/legal/model-notices.test.ts holds this table, the
 * vocabulary's and the doc's equal, entry by entry. Only the list of colour names is shared vocabulary.
 */
import { NOTICE_COLOURS, type NoticeColour, type Purpose } from '../../vocabulary';

/** The purposes each colour of notice serves (docs/domain.md#interpol-notices, the table). */
export const MODEL_NOTICE_PURPOSES: Readonly<Record<NoticeColour, readonly Purpose[]>> = {
  red: ['arrest_extradition', 'fugitive_location'],
  yellow: ['victim_rescue', 'victim_identification'],
  blue: ['investigation', 'fugitive_location'],
  black: ['victim_identification'],
  green: ['border_alert', 'strategic_analysis'],
  orange: ['border_alert'],
  purple: ['strategic_analysis', 'investigation'],
};

/**
 * The colour a notice names: the word before its first colon, in any case (`Red:A-1/2026` is red);
 * undefined when there is no colon or the word is not a colour.
 */
export function colourOfNotice(notice: string): NoticeColour | undefined {
  const colon = notice.indexOf(':');
  if (colon < 0) return undefined;
  const word = notice.slice(0, colon).toLowerCase();
  return NOTICE_COLOURS.find((colour) => colour === word);
}

/** Does a notice of this colour serve this purpose? */
export function colourServes(colour: NoticeColour, purpose: Purpose): boolean {
  return MODEL_NOTICE_PURPOSES[colour].includes(purpose);
}
