/**
 * The desk page (`GET /desk` on the member's own server): the member's formal requests with their state,
 * due time (overdue ones highlighted and first), subjects, categories, clause and history, and its grants
 * with their validity. Rendered on the server into one self-contained HTML document: no script, no CDN,
 * nothing fetched after load; a Content-Security-Policy allows only its own inline style, by hash.
 *
 * Everything a requester or an officer wrote (facts, questions, notes, names) is escaped: free text can
 * neither add markup nor break out of an attribute.
 */
import { createHash } from 'node:crypto';
import { refusalGround } from '../../../vocabulary';
import type { DeskGrantView, DeskOfficer, DeskRequestView } from '../decide';
import type { RequestEvent } from '../requestStore';
import { DESK_STYLE } from './style';
import { DESK_SIGN_OUT_PATH } from '../deskSession';

/** The text every overdue request carries on the page (tests and people look for it). */
export const OVERDUE_MARK = 'OVERDUE';

export function deskPageCsp(): string {
  const style = `'sha256-${createHash('sha256').update(DESK_STYLE, 'utf8').digest('base64')}'`;
  // Its one form signs out, to this server (DESK_SIGN_OUT_PATH, subgraphs/desk/deskSession.ts).
  return `default-src 'none'; style-src ${style}; img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

function instant(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
}

function list(values: readonly string[]): string {
  return values.map((value) => `<span class="mono">${escapeHtml(value)}</span>`).join(', ');
}

function event(e: RequestEvent): string {
  const parts = [
    `${escapeHtml(instant(e.at))}`,
    `<span class="mono">${escapeHtml(e.by)}</span>`,
    `<strong>${escapeHtml(e.act)}</strong>`,
  ];
  if (e.approval !== undefined) {
    parts.push(
      `${list(e.approval.categories)} for ${escapeHtml(e.approval.validDays)} days, ${e.approval.evidentiaryUse ? 'evidentiary use allowed' : 'intelligence only'}`,
    );
  }
  if (e.ground !== undefined)
    parts.push(
      `ground <span class="mono">${escapeHtml(e.ground)}</span>${refusalGround(e.ground) ? ` (${escapeHtml(refusalGround(e.ground)!.meaning)})` : ''}`,
    );
  if (e.text !== undefined) parts.push(`“${escapeHtml(e.text)}”`);
  return `<li>${parts.join(' — ')}</li>`;
}

function requestRow(r: DeskRequestView): string {
  const waiting =
    r.pendingApprovals.length > 0
      ? `<br><span class="muted">approved by ${list(r.pendingApprovals.map((a) => a.by))}; waits for a second officer</span>`
      : '';
  return [
    `<tr id="request-${escapeHtml(r.id)}" class="${r.overdue ? 'overdue' : ''}" data-overdue="${r.overdue}">`,
    `<td class="mono">${escapeHtml(r.id)}</td>`,
    `<td class="state-${escapeHtml(r.state)}">${escapeHtml(r.state)}${r.overdue ? ` <span class="badge overdue">${OVERDUE_MARK}</span>` : ''}${r.ground ? `<br><span class="mono">${escapeHtml(r.ground)}</span>` : ''}${waiting}</td>`,
    `<td>${escapeHtml(instant(r.filedAt))}<br>due ${escapeHtml(instant(r.dueAt))}<br><span class="muted">${escapeHtml(r.urgency)}${r.urgencyGrounds ? `: ${escapeHtml(r.urgencyGrounds)}` : ''}</span></td>`,
    `<td><span class="mono">${escapeHtml(r.requesterCountry)}/${escapeHtml(r.analyst)}</span><br>${escapeHtml(r.authority)}</td>`,
    `<td class="mono">${escapeHtml(r.caseReference)}</td>`,
    `<td>${list(r.subjects)}</td>`,
    `<td>${list(r.categories)}</td>`,
    `<td><span class="mono">${escapeHtml(r.agreement)}</span><br><span class="mono">${escapeHtml(r.clauses.join(', '))}</span><br><span class="muted">${escapeHtml(r.purpose)}; ${escapeHtml(r.intendedUse)}</span></td>`,
    `<td><details><summary>${escapeHtml(r.events.length)} ${r.events.length === 1 ? 'event' : 'events'}</summary>`,
    `<p><strong>Facts:</strong> ${escapeHtml(r.facts)}</p>`,
    `<p><strong>Offences:</strong> ${escapeHtml(r.offences.join('; '))} — <strong>Confidentiality:</strong> ${escapeHtml(r.confidentiality)}</p>`,
    `<ol class="history">${r.events.map(event).join('')}</ol></details></td>`,
    '</tr>',
  ].join('');
}

function grantRow(g: DeskGrantView): string {
  return [
    `<tr id="grant-${escapeHtml(g.id)}">`,
    `<td class="mono">${escapeHtml(g.id)}</td>`,
    `<td class="status-${escapeHtml(g.status)}">${escapeHtml(g.status)}${g.revokedAt !== undefined ? `<br>revoked ${escapeHtml(instant(g.revokedAt))}${g.revokedBy ? ` by <span class="mono">${escapeHtml(g.revokedBy)}</span>` : ''}` : ''}</td>`,
    `<td>${escapeHtml(instant(g.validFrom))}<br>until ${escapeHtml(instant(g.validUntil))}</td>`,
    `<td><span class="mono">${escapeHtml(g.requesterCountry)}</span>: ${list(g.analysts)}</td>`,
    `<td class="mono">${escapeHtml(g.caseReference)}</td>`,
    `<td>${list(g.subjects)}</td>`,
    `<td>${list(g.categories)}</td>`,
    `<td><span class="mono">${escapeHtml(g.agreement)}</span><br>${list(g.clauses)}<br><span class="muted">${escapeHtml(g.purpose)}; ${g.evidentiaryUse ? 'evidentiary use allowed' : 'intelligence only'}</span></td>`,
    `<td>${list(g.approvedBy)}</td>`,
    '</tr>',
  ].join('');
}

export function renderDeskPage(options: {
  readonly owner: string;
  readonly officer: DeskOfficer;
  readonly at: number;
  readonly requests: readonly DeskRequestView[];
  readonly grants: readonly DeskGrantView[];
}): string {
  const { owner, officer, at, requests, grants } = options;
  const overdue = requests.filter((r) => r.overdue).length;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(deskPageCsp().replace(/; frame-ancestors 'none'$/, ''))}">`,
    `<title>Accord — ${escapeHtml(owner)} desk</title>`,
    `<style>${DESK_STYLE}</style>`,
    '</head><body>',
    `<header><h1>Accord — ${escapeHtml(owner)} desk</h1><span class="who">${escapeHtml(officer.country)}/${escapeHtml(officer.id)} · ${escapeHtml(instant(at))}</span><form method="post" action="${DESK_SIGN_OUT_PATH}" class="sign-out"><button type="submit">Sign out</button></form></header>`,
    '<section id="requests">',
    `<h2>Formal requests (${requests.length}${overdue > 0 ? `, ${overdue} ${OVERDUE_MARK.toLowerCase()}` : ''})</h2>`,
    requests.length === 0
      ? '<p class="muted">No formal requests.</p>'
      : `<table><thead><tr><th>Request</th><th>State</th><th>Filed / due</th><th>Requester</th><th>Case</th><th>Subjects</th><th>Categories</th><th>Basis</th><th>History</th></tr></thead><tbody>${requests.map(requestRow).join('')}</tbody></table>`,
    '<p class="muted">Decide with the desk API (POST /desk/requests/&lt;id&gt;/approve, /refuse, /ask) or <span class="mono">npm run desk</span> on this machine.</p>',
    '</section>',
    '<section id="grants">',
    `<h2>Grants (${grants.length})</h2>`,
    grants.length === 0
      ? '<p class="muted">No grants.</p>'
      : `<table><thead><tr><th>Grant</th><th>Status</th><th>Validity</th><th>Requester</th><th>Case</th><th>Subjects</th><th>Categories</th><th>Basis</th><th>Approved by</th></tr></thead><tbody>${grants.map(grantRow).join('')}</tbody></table>`,
    '</section>',
    '</body></html>',
    '',
  ].join('\n');
}
