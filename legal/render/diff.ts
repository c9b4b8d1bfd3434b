/** A policy diff as Markdown: changes grouped by agreement and clause, each with a concrete example request. */
import { formatInstant, formatStretch } from '../domain';
import type { DiffChange, DiffOutcome, PolicyDiff } from '../diff';
import { cell, ILLUSTRATIVE } from './words';

export function renderDiffMarkdown(diff: PolicyDiff, labels: { before: string; after: string }): string {
  const lines: string[] = [`# What changes from ${labels.before} to ${labels.after}`, ''];
  lines.push(
    `- before: ${labels.before} (revision ${diff.before})`,
    `- after: ${labels.after} (revision ${diff.after})`,
  );
  lines.push(
    `- ${diff.counts.wider} wider, ${diff.counts.narrower} narrower, ${diff.counts.rebased} under another clause (same effect); ${diff.questions} questions put to each set`,
  );
  const textual = diff.clauseChanges;
  const count = (direction: string): number =>
    textual.filter((change) => change.direction === direction).length;
  lines.push(
    `- in the text: ${count('wider')} wider, ${count('narrower')} narrower, ${count('changed')} changed${textual.length === 0 ? '' : `: ${textual.map((change) => `${change.where} ${change.what}`).join('; ')}`}`,
    '',
  );
  if (textual.length > 0) {
    lines.push('## What changed in the text', '');
    for (const change of textual)
      lines.push(
        `- ${change.direction.toUpperCase()} ${change.where}: ${change.what} ${change.before} → ${change.after}`,
      );
    lines.push('');
  }
  if (diff.changes.length === 0) {
    lines.push('No question gets a different answer: the two sets allow exactly the same.', '');
    return `${lines.join('\n')}\n`;
  }
  for (const group of diff.groups) {
    const clause = group.clause;
    const title =
      clause === undefined
        ? '(no clause)'
        : `${clause.title} ${clause.citation} (${clause.agreement}/${clause.clause})`;
    lines.push(`## ${title} — in the ${group.side === 'after' ? 'new' : 'old'} set`, '');
    lines.push(
      '| change | requester | owner | purpose | category | before | after | request carries | when |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const change of group.changes) {
      lines.push(
        `| ${change.direction.toUpperCase()} | ${change.requester} | ${change.owner} | ${change.purpose} | ${change.category} | ${cell(outcomeText(change.before))} | ${cell(outcomeText(change.after))} | ${cell(change.needs)} | ${cell(change.stretches.map((stretch) => formatStretch(stretch.from, stretch.until)).join('; '))} |`,
      );
    }
    lines.push('', 'Examples:', '');
    for (const change of group.changes) lines.push(`- ${exampleText(change)}`);
    lines.push('');
  }
  lines.push(`> ${ILLUSTRATIVE}`);
  return `${lines.join('\n')}\n`;
}

function outcomeText(outcome: DiffOutcome): string {
  if (outcome.clause === undefined) return `${outcome.effect} (${outcome.reason})`;
  const duties = outcome.obligations;
  // The obligations, so that a change of retention or use reads differently before and after.
  const obligations =
    duties === undefined
      ? ''
      : ` (${duties.handlingCode}, retention ${duties.retentionDays} d, onward ${duties.onwardTransfer}, evidence ${duties.evidentiaryUse}${duties.notifySource ? ', source notified' : ''}${duties.reviewWithinHours === undefined ? '' : `, review ${duties.reviewWithinHours} h`})`;
  return `${outcome.effect} under ${outcome.clause.title} ${outcome.clause.citation}${obligations}`;
}

export function exampleText(change: DiffChange): string {
  return `${change.direction.toUpperCase()}: ${change.example.text} — before: ${outcomeText(change.before)}; after: ${outcomeText(change.after)}. Example request: ${JSON.stringify(change.example.input)} (at = ${formatInstant(change.example.input.at)})`;
}
