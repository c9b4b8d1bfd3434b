import type { Purpose } from './index';

/**
 * The colours of INTERPOL notices and the purposes each may serve (docs/domain.md#interpol-notices). A
 * notice is a request for cooperation of one kind, so data released on it may serve only that kind: a
 * clause that releases data on an INTERPOL notice names the colours it accepts; at load, every colour it
 * accepts serves one of its purposes and every purpose is served by one of its colours
 * (policy/kindBounds.ts); and a request meets it only with a notice of an accepted colour that serves the
 * purpose the request declares (policy/evaluateClause.ts). The analyst sends the colour with the notice's
 * id (`Accord-Notice: red:A-1234/5-2026`).
 *
 * The engine and the loader's bounds read this table. The reference model and the prover keep their own
 * copy, written from docs/domain.md#interpol-notices (legal/model/notices.ts), so that a slip here makes
 * the engine disagree with the model instead of fooling both; test/legal/model-notices.test.ts holds the
 * two equal entry by entry. The list of colour names (NOTICE_COLOURS) is shared by both, as vocabulary.
 */
export const NOTICE_COLOURS = ['red', 'yellow', 'blue', 'black', 'green', 'orange', 'purple'] as const;
export type NoticeColour = (typeof NOTICE_COLOURS)[number];

export const NOTICE_PURPOSES: Readonly<Record<NoticeColour, readonly Purpose[]>> = {
  // Locate and arrest a wanted person with a view to extradition or a similar legal action.
  red: ['arrest_extradition', 'fugitive_location'],
  // Find a missing person, often a minor, or identify a person who cannot identify themselves.
  yellow: ['victim_rescue', 'victim_identification'],
  // Collect more information on a person's identity, location or activities in a criminal investigation.
  blue: ['investigation', 'fugitive_location'],
  // Identify unidentified bodies.
  black: ['victim_identification'],
  // Warn about a person's criminal activities where the person may repeat them elsewhere.
  green: ['border_alert', 'strategic_analysis'],
  // Warn of an event, person, object or process that is a serious and imminent threat.
  orange: ['border_alert'],
  // Seek or give information on methods, objects, devices and hiding places used by criminals.
  purple: ['strategic_analysis', 'investigation'],
};

const colourSet: ReadonlySet<string> = new Set(NOTICE_COLOURS);

export function isNoticeColour(value: string): value is NoticeColour {
  return colourSet.has(value);
}

/**
 * The colour an `Accord-Notice` value names, the word before its first colon in any case
 * (`red:A-1234/5-2026` and `RED:A-1234/5-2026` → `red`), or undefined when it names none.
 */
export function noticeColourOf(notice: string): NoticeColour | undefined {
  const colon = notice.indexOf(':');
  const colour = colon < 0 ? '' : notice.slice(0, colon).toLowerCase();
  return isNoticeColour(colour) ? colour : undefined;
}

/** The colours as a sentence names them, with their article: "a red", "an orange or yellow". */
export function colourPhrase(colours: readonly NoticeColour[]): string {
  const words = colours.join(' or ');
  return `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words}`;
}
