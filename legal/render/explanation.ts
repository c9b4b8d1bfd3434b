/**
 * An explanation as a lawyer reads it (plain text that is also Markdown): the question, the decision and
 * its standing, every clause considered with the exact condition that failed, the domestic gate, the
 * obligations, the routes, the revision and the disclaimers.
 */
import { printable } from '../../lib/printable';
import { REASON_CODES } from '../../policy/core';
import { describeProfileOfRequest, formatInstant } from '../domain';
import type { GrantState } from '../explainGrant';
import type { RequestExplanation } from '../explainRequest';
import { STANDING_LABELS } from '../standing';
import { REVISION_MEANS, obligationsText } from './words';

export function renderExplanation(
  explanation: RequestExplanation,
  display: (file: string) => string = (file) => file,
): string {
  const { question, decision, considered } = explanation;
  const { requester } = question;
  const lines: string[] = [];
  /**
   * The engine answers a reference that names no grant the owner holds (or one that does not cover the
   * question) exactly as no reference: "needs a request reference". The person asking gave one, so say
   * which, and that it is the grant below that is missing, not the reference.
   */
  const carried = requester.requestReference?.trim();
  const referenceNote = (kind: string, text: string): string =>
    kind === 'requestReference' && carried
      ? `${text.replace('needs a request reference', `needs a request reference that names a grant ${question.owner} holds covering this question`)}; the one carried, ${printable(carried)}, does not${explanation.grant !== undefined ? ' (see "Grant named by the request reference" below)' : ''}`
      : text;
  const what =
    question.field !== undefined ? `${question.field.coordinate} (${question.category})` : question.category;
  // The question is free text from whoever asks (analyst id, references, a justification, record facts):
  // escaped, so that it cannot add lines to the explanation or rewrite the terminal.
  lines.push(printable(`# Explain: ${what} of a ${question.owner} record, asked by ${requester.country}`));
  lines.push('');
  lines.push(
    printable(
      `- Asked by: ${requester.country} analyst ${requester.analyst}${question.analystStandIn === true ? ` (no analyst named, so a stand-in: give --analyst NAME to ask as a joint team's member)` : ''}, purpose ${requester.purpose ?? '(none declared)'}`,
    ),
  );
  lines.push(`- At: ${formatInstant(question.at)}`);
  lines.push(printable(`- Carrying: ${describeProfileOfRequest(requester, question.at)}`));
  lines.push(
    printable(
      `- Record: ${question.record === undefined ? 'not given (decided before the record is fetched)' : recordText(question.record)}${question.recordSource === undefined ? '' : ` (${question.recordSource})`}`,
    ),
  );
  lines.push('');
  const verdict = decision.effect.toUpperCase();
  lines.push(`## Decision: ${verdict} — ${STANDING_LABELS[explanation.standing]} (${decision.reason})`);
  lines.push('');
  lines.push(REASON_CODES[decision.reason]);
  if (question.field !== undefined) {
    lines.push(
      explanation.delivered
        ? `The analyst receives the value of ${question.field.coordinate}.`
        : `${question.field.coordinate} is null for the analyst, with this reason.`,
    );
  }
  const determining = explanation.determining;
  if (determining !== undefined)
    lines.push(
      `Determined by ${determining.title} ${determining.citation} (${determining.agreement}/${determining.clause}, ${determining.basis}) — ${display(determining.source.file)}:${determining.source.line}`,
    );
  if (decision.recordDependent)
    lines.push(
      'Depends on the record: a record-level condition (joint-team scope, source grade) of a higher-ranked clause was the only thing missing; the owner decides per record.',
    );
  lines.push('');

  const relevant = considered.filter(
    (item) => item.failed === undefined || !['direction', 'category', 'purpose'].includes(item.failed.kind),
  );
  const other = considered.filter((item) => !relevant.includes(item));
  lines.push(
    `## Clauses considered (${considered.length}, of every agreement both ${requester.country} and ${question.owner} are party to)`,
  );
  lines.push('');
  if (relevant.length === 0) lines.push('No clause covers this category for this purpose in this direction.');
  for (const item of relevant) {
    const gives =
      item.effect === undefined
        ? ''
        : item.effect === 'release'
          ? ', would release'
          : ', would give a hit only';
    const mark = item.applies ? '✓' : '✗';
    const decides =
      determining !== undefined &&
      determining.agreement === item.agreement &&
      determining.clause === item.clause
        ? ' — DETERMINES THE DECISION'
        : item.applies
          ? ' — applies, ranked after the determining clause'
          : '';
    lines.push(
      `- ${mark} ${item.title} ${item.citation} (${item.agreement}/${item.clause}; ${item.basis}${gives})${decides}`,
    );
    // Every unmet condition, so that a reviewer sees at once all a clause still needs.
    for (const unmet of item.unmet ?? (item.failed === undefined ? [] : [item.failed]))
      lines.push(`    - fails: ${referenceNote(unmet.kind, unmet.text)}`);
    lines.push(`    - ${display(item.source.file)}:${item.source.line}`);
  }
  if (other.length > 0) {
    lines.push('');
    lines.push('Not relevant to this question:');
    for (const item of other)
      lines.push(
        `- – ${item.title} ${item.citation} (${item.agreement}/${item.clause}): ${item.failed!.text}`,
      );
  }
  lines.push('');

  if (explanation.grant !== undefined) {
    const grant = explanation.grant;
    lines.push(`## Grant named by the request reference: ${GRANT_STATE_LABELS[grant.state]}`);
    lines.push('');
    // The reference, the source and the grant's terms are free text: escaped like the question.
    lines.push(printable(grant.text));
    for (const mismatch of grant.mismatches)
      lines.push(printable(`- ✗ ${mismatch.aspect}: granted ${mismatch.granted}; asked ${mismatch.asked}`));
    if (grant.grant !== undefined) {
      const g = grant.grant;
      lines.push(
        printable(
          `- Covers: ${g.requesterCountry} analyst(s) ${g.analysts.join(', ')}, case ${g.caseReference}, purpose ${g.purpose}, ${g.agreement} ${g.clauses.join(', ')}, records ${g.subjects.join(', ')}, categories ${g.categories.join(', ')}`,
        ),
      );
    }
    lines.push(printable(`- Read from: ${grant.source}`));
    lines.push('');
  }

  lines.push('## Domestic gate (second key)');
  lines.push('');
  if (question.owner === requester.country) lines.push('Own-country record: no gate applies.');
  else if (explanation.gate === undefined)
    lines.push(`${question.owner} has declared no domestic release gate in this set.`);
  else {
    lines.push(`${explanation.gate.title} — ${explanation.gate.law}`);
    if (explanation.gate.checks.length === 0) lines.push('- not reached: no purpose declared');
    for (const check of explanation.gate.checks)
      lines.push(`- ${check.basis}: ${check.allowed ? '✓' : '✗'} ${check.text}`);
    if (decision.gate !== undefined)
      lines.push(`Allowed this release under: ${decision.gate.citations.join('; ')}`);
  }
  lines.push('');

  if (explanation.obligations !== undefined) {
    lines.push('## Obligations that travel with the data');
    lines.push('');
    lines.push(obligationsText(explanation.obligations));
    lines.push('');
  }
  if (decision.routes.length > 0) {
    lines.push(
      decision.effect === 'withhold' ? '## How it could be obtained' : '## How more could be obtained',
    );
    lines.push('');
    for (const route of decision.routes) lines.push(`- ${referenceNote(route.needs.kind, route.text)}`);
    lines.push('');
  } else if (decision.effect !== 'release') {
    // Say so plainly rather than leave the reader to look for a route that does not exist.
    lines.push(
      decision.effect === 'withhold' ? '## How it could be obtained' : '## How more could be obtained',
    );
    lines.push('');
    lines.push(
      `No agreement in this set gives ${decision.effect === 'withhold' ? 'this' : 'more than a hit on this'} to ${requester.country} for this purpose: there is no route to ask for.`,
    );
    lines.push('');
  }
  lines.push(`Agreement set revision: ${explanation.revision} (${REVISION_MEANS})`);
  for (const disclaimer of explanation.disclaimers) lines.push(`> ${disclaimer}`);
  return `${lines.join('\n')}\n`;
}

const GRANT_STATE_LABELS: Readonly<Record<GrantState, string>> = {
  unknown: 'UNKNOWN — the owner holds no such grant; it opens nothing',
  revoked: 'REVOKED',
  'not-yet-valid': 'NOT YET VALID',
  expired: 'EXPIRED',
  'out-of-scope': 'OUT OF SCOPE for this question',
  valid: 'VALID',
};

function recordText(record: { id?: string; operations?: readonly string[]; sourceGrade?: string }): string {
  if (record.id !== undefined) return `${record.id}, ${recordText({ ...record, id: undefined })}`;
  // Not given is not "none": the engine decides both alike (no operation to scope a team), the reader must not.
  const operations =
    record.operations === undefined
      ? 'no operation known'
      : record.operations.length === 0
        ? 'linked to no operation'
        : `linked to ${record.operations.join(', ')}`;
  return record.sourceGrade === undefined ? operations : `${operations}, source grade ${record.sourceGrade}`;
}
