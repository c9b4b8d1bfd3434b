/**
 * The closed list of what a watcher's analyst did about a notice, recorded when they acknowledge it
 * (issue 11; docs/decisions/0019-alert-delivery.md). As a hit in a police alert system is followed by a
 * report of the action taken, an acknowledgement names one of these, never free text, so the hub, the
 * gateway's audit log and the legal team read the same word.
 */
export const ALERT_ACTIONS = [
  /** Read and filed: nothing further for now. */
  'noted',
  /** A follow-up query or a formal request to the owner is under way. */
  'follow-up',
  /** Passed on to the unit or authority that acts on it. */
  'forwarded',
  /** Not relevant to the case after all. */
  'dismissed',
] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];

const actions: ReadonlySet<string> = new Set(ALERT_ACTIONS);

export function isAlertAction(value: unknown): value is AlertAction {
  return typeof value === 'string' && actions.has(value);
}
