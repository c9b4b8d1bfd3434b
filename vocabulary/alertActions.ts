/**
 * The closed list of what a watcher's analyst did about an alert, named when they acknowledge it
 * (`acknowledgeAlert`, issue 11; docs/decisions/0019-alert-delivery.md). As a hit in a police alert
 * system is followed by a report of the action taken, an acknowledgement names one of these, never free
 * text: the hub keeps it beside the notice and the gateway's audit log records it, so the word carries no
 * personal data and everyone reads the same one. Each code is also a GraphQL enum value as it stands
 * (letters and underscores only): the gateway's alert schema lists them.
 */
export const ALERT_ACTIONS = [
  'located',
  'stopped_at_border',
  'arrested',
  'account_frozen',
  'victim_rescued',
  'no_action',
  'other',
] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];

/** What each action means, in one line (the alert schema's descriptions, the analysts' guide). */
export const ALERT_ACTION_MEANINGS: Readonly<Record<AlertAction, string>> = {
  located: 'the person or object was found where the alert said',
  stopped_at_border: 'the person was stopped or turned back at a border crossing',
  arrested: 'the person was arrested or detained',
  account_frozen: 'the account was frozen or its transactions were blocked',
  victim_rescued: 'a victim was rescued or brought to safety',
  no_action: 'the alert was read and nothing was done (yet)',
  other: 'something else was done; the case file says what',
};

const actions: ReadonlySet<string> = new Set(ALERT_ACTIONS);

export function isAlertAction(value: unknown): value is AlertAction {
  return typeof value === 'string' && actions.has(value);
}
