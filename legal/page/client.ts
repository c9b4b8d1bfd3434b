/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The /legal page's script (bundled for browsers by legal/page/buildPage.ts). It reads the agreement sets
 * embedded in the page and runs the same code as the command line on them: the matrix with filters, the
 * explain form, and the diff between two revisions. It makes no network request.
 */
import { compilePolicy, REASON_CODES, type Policy } from '../../policy/core';
import { CATEGORIES, PURPOSES, type Purpose } from '../../vocabulary';
import { diffPolicies, type DiffOutcome } from '../diff';
import { formatInstant, formatStretch } from '../domain';
import { explainRequest } from '../explainRequest';
import { parseInstant } from '../inputs';
import { LegalInputError } from '../LegalInputError';
import { buildMatrix, type MatrixCell, type MatrixOutcome } from '../matrix';
import { STANDING_LABELS } from '../standing';
import { obligationsText, ILLUSTRATIVE } from '../render/words';
import type { PageData } from './buildPage';

type Child = Node | string | undefined | false;

function h(
  tag: string,
  attributes: Record<string, string | undefined> = {},
  ...children: Child[]
): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes))
    if (value !== undefined) element.setAttribute(name, value);
  for (const child of children) if (child !== undefined && child !== false) element.append(child);
  return element;
}

function select(
  name: string,
  label: string,
  options: readonly (string | [string, string])[],
  value?: string,
): HTMLElement {
  const control = h('select', { name, 'data-testid': name });
  for (const option of options) {
    const [optionValue, text] = typeof option === 'string' ? [option, option] : option;
    control.append(h('option', { value: optionValue, ...(optionValue === value && { selected: '' }) }, text));
  }
  return h('label', {}, label, control);
}

function input(name: string, label: string, value = '', extra: Record<string, string> = {}): HTMLElement {
  return h('label', {}, label, h('input', { name, 'data-testid': name, value, ...extra }));
}

function valueOf(root: ParentNode, name: string): string {
  const control = root.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`);
  return control?.value.trim() ?? '';
}

const data = JSON.parse(document.getElementById('accord-data')!.textContent ?? '{}') as PageData;
const policies = new Map<string, Policy>();
function policyOf(id: string): Policy {
  let policy = policies.get(id);
  if (policy === undefined) {
    const revision = data.revisions.find((item) => item.id === id) ?? data.revisions[0]!;
    policies.set(id, (policy = compilePolicy(revision.set)));
  }
  return policy;
}
const fields = { fields: data.fields, uncategorized: [] };
const current = data.revisions[0]!;
const members = current.set.members.map((member) => member.code);
const revisionOptions = data.revisions.map((revision): [string, string] => [
  revision.id,
  `${revision.label} (${revision.set.revision.slice(0, 10)})`,
]);

// ---- matrix ---------------------------------------------------------------------------------------

function matrixSection(): HTMLElement {
  const filters = h(
    'div',
    { class: 'filters' },
    select('matrix-requester', 'Requester (analyst country)', [
      ['', 'all'],
      ...members.map((m): [string, string] => [m, m]),
    ]),
    select('matrix-owner', 'Owner (record country)', [
      ['', 'all'],
      ...members.map((m): [string, string] => [m, m]),
    ]),
    select('matrix-purpose', 'Purpose', [['', 'all'], ...PURPOSES.map((p): [string, string] => [p, p])]),
    input('matrix-category', 'Category contains', '', { placeholder: 'e.g. person.' }),
    select('matrix-view', 'Rows', [
      ['categories', 'data categories'],
      ['fields', 'supergraph fields'],
    ]),
    input('matrix-at', 'On (date)', data.at, { placeholder: 'YYYY-MM-DD' }),
    select('matrix-revision', 'Revision', revisionOptions),
  );
  const output = h('div', { 'data-testid': 'matrix' });
  const section = h('section', { id: 'matrix', 'data-tab': 'matrix' }, filters, output);
  const render = (): void => renderMatrix(section, output);
  filters.addEventListener('change', render);
  filters.addEventListener('input', (event) => {
    if ((event.target as HTMLElement).getAttribute('name') === 'matrix-category') render();
  });
  render();
  return section;
}

function renderMatrix(section: HTMLElement, output: HTMLElement): void {
  output.replaceChildren();
  try {
    const requester = valueOf(section, 'matrix-requester');
    const owner = valueOf(section, 'matrix-owner');
    const purpose = valueOf(section, 'matrix-purpose');
    const filter = valueOf(section, 'matrix-category');
    const byField = valueOf(section, 'matrix-view') === 'fields';
    const at = parseInstant(valueOf(section, 'matrix-at') || data.at, 'date');
    const matrix = buildMatrix(policyOf(valueOf(section, 'matrix-revision')), {
      at,
      fields,
      ...(requester !== '' && { requesters: [requester] }),
      ...(owner !== '' && { owners: [owner] }),
    });
    const purposes = PURPOSES.filter((item) => purpose === '' || item === purpose);
    output.append(
      h(
        'p',
        { class: 'muted' },
        `On ${formatInstant(at)}, revision ${matrix.revision.slice(0, 16)}…: ${matrix.pairs.length} pair(s). Cells: release / hit (match and reference only) with the note citing the clause and what the request needs; otherwise why nothing crosses.`,
      ),
    );
    for (const pair of matrix.pairs) {
      const notes = new Map<string, number>();
      const cellNode = (cell: MatrixCell, nullValue: boolean): HTMLElement => {
        const text =
          cell.outcomes.length === 0
            ? STANDING_LABELS[cell.standing]
            : cell.outcomes
                .map(
                  (outcome) =>
                    `${outcome.effect === 'release' ? 'release' : 'hit'} [${noteNumber(notes, outcome)}]`,
                )
                .join(' · ') + (nullValue && cell.effect === 'hit-only' ? ' (value null)' : '');
        const css = cell.standing === 'forbidden' ? 'forbidden' : cell.effect;
        return h(
          'td',
          {
            class: css,
            title:
              cell.outcomes.map((outcome) => noteText(outcome)).join('\n') ||
              cell.blocked.map((route) => route.text).join('\n'),
          },
          text,
        );
      };
      const head = h(
        'tr',
        {},
        h('th', {}, byField ? 'field' : 'category'),
        byField && h('th', {}, 'category'),
        ...purposes.map((item) => h('th', {}, item)),
      );
      const body = h('tbody');
      if (byField) {
        for (const field of pair.fields) {
          if (
            filter !== '' &&
            !field.entry.coordinate.includes(filter) &&
            !field.entry.category.includes(filter)
          )
            continue;
          body.append(
            h(
              'tr',
              {},
              h('th', {}, field.entry.coordinate),
              h('td', {}, field.entry.category),
              ...purposes.map((item) =>
                cellNode(field.cells[PURPOSES.indexOf(item)]!, field.entry.category !== 'meta.reference'),
              ),
            ),
          );
        }
      } else {
        CATEGORIES.forEach((category, c) => {
          if (filter !== '' && !category.includes(filter)) return;
          body.append(
            h(
              'tr',
              {},
              h('th', {}, category),
              ...purposes.map((item) =>
                cellNode(pair.cells[PURPOSES.indexOf(item) * CATEGORIES.length + c]!, false),
              ),
            ),
          );
        });
      }
      const noteList = h('ol', { class: 'notes' });
      for (const [text] of [...notes.entries()].sort((a, b) => a[1] - b[1]))
        noteList.append(h('li', {}, text));
      output.append(
        h(
          'div',
          {
            class: 'pair',
            'data-testid': 'matrix-pair',
            'data-requester': pair.requester,
            'data-owner': pair.owner,
          },
          h(
            'h3',
            {},
            `${pair.owner} data → ${pair.requester} analyst`,
            h('span', { class: 'muted' }, `  (requester ${pair.requester}, owner ${pair.owner})`),
          ),
          h('table', {}, h('thead', {}, head), body),
          noteList,
        ),
      );
    }
  } catch (error) {
    output.append(errorNode(error));
  }
}

function noteText(outcome: MatrixOutcome): string {
  return `${outcome.clause.title} ${outcome.clause.citation} (${outcome.basis}) — ${outcome.effect === 'release' ? 'releases' : 'hit only'}; needs ${outcome.needs}`;
}

function noteNumber(notes: Map<string, number>, outcome: MatrixOutcome): number {
  const text = noteText(outcome);
  let number = notes.get(text);
  if (number === undefined) notes.set(text, (number = notes.size + 1));
  return number;
}

// ---- explain --------------------------------------------------------------------------------------

function explainSection(): HTMLElement {
  const datalist = h(
    'datalist',
    { id: 'field-list' },
    ...data.fields.map((field) => h('option', { value: field.coordinate })),
  );
  const form = h(
    'form',
    { class: 'form', 'data-testid': 'explain-form' },
    select('explain-revision', 'Revision', revisionOptions),
    select('explain-requester', 'Requester country', members),
    input('explain-analyst', 'Analyst id', ''),
    select(
      'explain-purpose',
      'Purpose',
      [['', '(none declared)'], ...PURPOSES.map((p): [string, string] => [p, p])],
      'investigation',
    ),
    input('explain-field', 'Field (Type.field)', '', {
      list: 'field-list',
      placeholder: 'KHSuspect.passportNumbers',
    }),
    select('explain-owner', 'or owner', [
      ['', '(from the field)'],
      ...members.map((m): [string, string] => [m, m]),
    ]),
    select('explain-category', 'and category', [
      ['', '(from the field)'],
      ...CATEGORIES.map((c): [string, string] => [c, c]),
    ]),
    input('explain-at', 'At (date or date-time, UTC)', data.at),
    input('explain-case', 'Case reference'),
    input('explain-request', 'Request reference (MLA)'),
    input('explain-warrant', 'Warrant / judicial order'),
    input('explain-notice', 'INTERPOL notice'),
    input('explain-team', 'Joint team id'),
    input('explain-emergency', 'Hypothetical emergency: justification'),
    input('explain-emergency-hours', 'Hypothetical emergency: registered (hours before)', '1', {
      inputmode: 'decimal',
    }),
    input('explain-operations', 'Record operations (comma)'),
    input('explain-grade', 'Record source grade'),
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'explain-submit' }, 'Explain'),
    datalist,
  );
  const output = h('div', { 'data-testid': 'explain-result' });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    renderExplain(form, output);
  });
  return h('section', { id: 'explain', 'data-tab': 'explain', hidden: '' }, form, output);
}

function renderExplain(form: HTMLElement, output: HTMLElement): void {
  output.replaceChildren();
  try {
    const at = parseInstant(valueOf(form, 'explain-at') || data.at, 'time');
    const country = valueOf(form, 'explain-requester');
    const emergency = valueOf(form, 'explain-emergency');
    const hours = Number(valueOf(form, 'explain-emergency-hours') || '0');
    if (emergency !== '' && !Number.isFinite(hours))
      throw new LegalInputError('the hours since the emergency was declared must be a number');
    const operations = valueOf(form, 'explain-operations');
    const grade = valueOf(form, 'explain-grade');
    const optional = (name: string): string | undefined => valueOf(form, name) || undefined;
    const purpose = optional('explain-purpose') as Purpose | undefined;
    const explanation = explainRequest(
      { policy: policyOf(valueOf(form, 'explain-revision')), fields },
      {
        requester: {
          country,
          analyst: optional('explain-analyst') ?? `analyst.${country.toLowerCase()}`,
          roles: ['analyst'],
          ...(purpose !== undefined && { purpose }),
          ...(optional('explain-case') !== undefined && { caseReference: optional('explain-case') }),
          ...(optional('explain-request') !== undefined && { requestReference: optional('explain-request') }),
          ...(optional('explain-warrant') !== undefined && { warrantReference: optional('explain-warrant') }),
          ...(optional('explain-notice') !== undefined && { interpolNotice: optional('explain-notice') }),
          ...(optional('explain-team') !== undefined && { jointTeam: optional('explain-team') }),
          ...(emergency !== '' && {
            emergency: { declaredAt: at - hours * 3_600_000, justification: emergency },
          }),
        },
        at,
        ...(optional('explain-owner') !== undefined && { owner: optional('explain-owner') }),
        ...(optional('explain-field') !== undefined && { field: optional('explain-field') }),
        ...(optional('explain-category') !== undefined && { category: optional('explain-category') }),
        ...((operations !== '' || grade !== '') && {
          record: {
            ...(operations !== '' && { operations: operations.split(',').map((item) => item.trim()) }),
            ...(grade !== '' && { sourceGrade: grade }),
          },
        }),
      },
    );
    const { decision, question } = explanation;
    const subject =
      question.field === undefined
        ? question.category
        : `${question.field.coordinate} (${question.category})`;
    output.append(
      h(
        'div',
        { class: `decision ${decision.effect}`, 'data-testid': 'explain-decision' },
        `${decision.effect.toUpperCase()} — ${STANDING_LABELS[explanation.standing]} (${decision.reason})`,
      ),
      h(
        'p',
        {},
        `${subject} of a ${question.owner} record for a ${question.requester.country} analyst, purpose ${question.requester.purpose ?? '(none)'}, at ${formatInstant(question.at)}. ${REASON_CODES[decision.reason]} `,
        question.field !== undefined
          ? explanation.delivered
            ? 'The analyst receives the value.'
            : 'The field is null for the analyst.'
          : '',
      ),
    );
    const list = h('ul', { class: 'clauses', 'data-testid': 'explain-clauses' });
    // The clauses that cover this category and purpose first: their failing conditions are the answer.
    const isRelevant = (item: (typeof explanation.considered)[number]): boolean =>
      item.failed === undefined || !['direction', 'category', 'purpose'].includes(item.failed.kind);
    for (const item of [
      ...explanation.considered.filter(isRelevant),
      ...explanation.considered.filter((item) => !isRelevant(item)),
    ]) {
      const relevant =
        item.failed === undefined || !['direction', 'category', 'purpose'].includes(item.failed.kind);
      const determines =
        explanation.determining?.agreement === item.agreement &&
        explanation.determining.clause === item.clause;
      list.append(
        h(
          'li',
          {
            class: item.applies ? 'applies' : relevant ? 'candidate' : 'other',
            'data-clause': `${item.agreement}/${item.clause}`,
          },
          h('strong', {}, `${item.applies ? '✓' : '✗'} ${item.title} ${item.citation}`),
          ` — ${item.basis}${item.effect === undefined ? '' : item.effect === 'release' ? ', would release' : ', hit only'}${determines ? ' — determines the decision' : ''}`,
          item.failed !== undefined &&
            h(
              'div',
              {
                class: relevant ? 'failed' : 'muted',
                'data-testid': relevant ? 'failed-condition' : undefined,
              },
              `fails: ${item.failed.text}`,
            ),
          h('div', { class: 'where' }, `${item.source.file}:${item.source.line}`),
        ),
      );
    }
    output.append(h('h2', {}, `Clauses considered (${explanation.considered.length})`), list);
    if (explanation.gate !== undefined) {
      output.append(
        h('h2', {}, `Domestic gate: ${explanation.gate.title}`),
        h(
          'ul',
          {},
          ...explanation.gate.checks.map((check) =>
            h('li', { class: check.allowed ? '' : 'failed' }, `${check.basis}: ${check.text}`),
          ),
        ),
      );
    }
    if (explanation.obligations !== undefined)
      output.append(h('h2', {}, 'Obligations'), h('p', {}, obligationsText(explanation.obligations)));
    if (decision.routes.length > 0)
      output.append(
        h('h2', {}, 'How it could be obtained'),
        h(
          'ul',
          { 'data-testid': 'explain-routes' },
          ...decision.routes.map((route) => h('li', {}, route.text)),
        ),
      );
    output.append(h('p', { class: 'where' }, `revision ${explanation.revision}`));
  } catch (error) {
    output.append(errorNode(error));
  }
}

// ---- diff -----------------------------------------------------------------------------------------

function diffSection(): HTMLElement {
  const form = h(
    'form',
    { class: 'form', 'data-testid': 'diff-form' },
    select('diff-before', 'Before', revisionOptions, data.revisions[1]?.id ?? data.revisions[0]!.id),
    select('diff-after', 'After', revisionOptions, data.revisions[0]!.id),
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'diff-submit' }, 'Compare'),
  );
  const output = h('div', { 'data-testid': 'diff-result' });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    output.replaceChildren();
    try {
      const diff = diffPolicies(
        policyOf(valueOf(form, 'diff-before')),
        policyOf(valueOf(form, 'diff-after')),
        { reference: parseInstant(data.at) },
      );
      output.append(
        h(
          'p',
          { 'data-testid': 'diff-counts' },
          `${diff.counts.wider} wider, ${diff.counts.narrower} narrower, ${diff.counts.rebased} under another clause; ${diff.questions} questions put to each set.`,
        ),
      );
      if (diff.changes.length === 0)
        output.append(
          h('p', {}, 'No question gets a different answer: the two revisions allow exactly the same.'),
        );
      for (const group of diff.groups) {
        const clause = group.clause;
        output.append(
          h(
            'h2',
            {},
            clause === undefined
              ? '(no clause)'
              : `${clause.title} ${clause.citation} — ${group.side === 'after' ? 'new' : 'old'} revision`,
          ),
        );
        const body = h('tbody');
        for (const change of group.changes) {
          body.append(
            h(
              'tr',
              {},
              h('td', { class: change.direction }, change.direction),
              h('td', {}, `${change.owner} → ${change.requester}`),
              h('td', {}, change.purpose),
              h('td', {}, change.category),
              h('td', {}, outcomeText(change.before)),
              h('td', {}, outcomeText(change.after)),
              h('td', {}, change.needs),
              h(
                'td',
                {},
                change.stretches.map((stretch) => formatStretch(stretch.from, stretch.until)).join('; '),
              ),
              h('td', { class: 'where' }, change.example.text),
            ),
          );
        }
        output.append(
          h(
            'table',
            {},
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...[
                  'change',
                  'data → requester',
                  'purpose',
                  'category',
                  'before',
                  'after',
                  'request carries',
                  'when',
                  'example',
                ].map((title) => h('th', {}, title)),
              ),
            ),
            body,
          ),
        );
      }
    } catch (error) {
      output.append(errorNode(error));
    }
  });
  return h('section', { id: 'diff', 'data-tab': 'diff', hidden: '' }, form, output);
}

function outcomeText(outcome: DiffOutcome): string {
  return outcome.clause === undefined
    ? `${outcome.effect} (${outcome.reason})`
    : `${outcome.effect}: ${outcome.clause.title} ${outcome.clause.citation}`;
}

function errorNode(error: unknown): HTMLElement {
  const message =
    error instanceof LegalInputError
      ? error.message
      : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  return h('p', { class: 'error', 'data-testid': 'error' }, message);
}

// ---- the page -------------------------------------------------------------------------------------

function start(): void {
  const sections = [matrixSection(), explainSection(), diffSection()];
  const tabs = h('nav', { role: 'tablist' });
  for (const [id, title] of [
    ['matrix', 'Permission matrix'],
    ['explain', 'Explain a decision'],
    ['diff', 'Compare revisions'],
  ] as const) {
    const button = h(
      'button',
      { type: 'button', role: 'tab', 'data-testid': `tab-${id}`, 'aria-selected': String(id === 'matrix') },
      title,
    );
    button.addEventListener('click', () => {
      for (const section of sections) section.hidden = section.id !== id;
      for (const other of tabs.querySelectorAll('button'))
        other.setAttribute('aria-selected', String(other === button));
    });
    tabs.append(button);
  }
  const app = document.getElementById('app')!;
  app.replaceChildren(
    h(
      'header',
      {},
      h('h1', {}, 'Accord — legal review workbench'),
      h('span', { class: 'rev' }, `${current.label} · revision ${current.set.revision}`),
    ),
    h('p', { class: 'illustrative' }, ILLUSTRATIVE),
    ...data.notes.map((note) => h('p', { class: 'illustrative' }, note)),
    tabs,
    ...sections,
  );
}

start();
