/** Small pieces of wording and escaping shared by the renderers. */
import type { Obligations } from '../../policy/core';

export function obligationsText(obligations: Obligations): string {
  const parts = [
    `handling ${obligations.handlingCode} (${HANDLING[obligations.handlingCode]})`,
    `onward transfer ${words(obligations.onwardTransfer)}`,
    `evidentiary use ${words(obligations.evidentiaryUse)}`,
    `retention ${obligations.retentionDays} days`,
    obligations.notifySource ? 'the source is notified' : 'no notice to the source',
  ];
  if (obligations.reviewWithinHours !== undefined)
    parts.push(`review within ${obligations.reviewWithinHours} h`);
  return parts.join('; ');
}

const HANDLING = {
  H0: 'crime-fighting use only',
  H1: 'not in judicial proceedings without permission',
  H2: 'no dissemination without permission',
  H3: 'other restrictions',
} as const;

function words(permission: string): string {
  return permission.replace('_', ' ');
}

/** A Markdown table cell: no pipes, no newlines. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** RFC 4180 field. */
export function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const ILLUSTRATIVE =
  'ILLUSTRATIVE — the instruments named are real, but what a clause allows in these sample agreements is a plausible model, not legal advice.';

/**
 * What an agreement set's revision is, said beside it: it looks like a git commit but is not one (a
 * newcomer read it as one). The same value is the `policyRevision` of every audit record.
 */
export const REVISION_MEANS =
  'SHA-256 of what the agreements say, not a git commit; audit records cite it as policyRevision';
