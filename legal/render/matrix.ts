/**
 * The permission matrix in three forms: Markdown (a grid per pair with numbered notes citing the clause
 * and what a request needs), CSV (one row per way to get something, for spreadsheets) and a standalone
 * HTML document (coloured grid, no script, no external resource).
 */
import { formatInstant } from '../domain';
import type { Matrix, MatrixCell, MatrixOutcome, MatrixPair } from '../matrix';
import { STANDING_LABELS } from '../standing';
import { cell, csvField, escapeHtml, ILLUSTRATIVE } from './words';

type Notes = Map<string, { number: number; text: string }>;

function noteOf(notes: Notes, outcome: MatrixOutcome): number {
  const text = `${outcome.clause.title} ${outcome.clause.citation} (${outcome.clause.agreement}/${outcome.clause.clause}, ${outcome.basis}) — ${outcome.effect === 'release' ? 'releases' : 'gives a hit only'}; needs ${outcome.needs}`;
  let note = notes.get(text);
  if (note === undefined) notes.set(text, (note = { number: notes.size + 1, text }));
  return note.number;
}

function cellText(matrixCell: MatrixCell, notes: Notes): string {
  if (matrixCell.outcomes.length === 0) return STANDING_LABELS[matrixCell.standing];
  return matrixCell.outcomes
    .map((outcome) => `${outcome.effect === 'release' ? 'release' : 'hit'} [${noteOf(notes, outcome)}]`)
    .join(' · ');
}

export function renderMatrixMarkdown(matrix: Matrix): string {
  const lines: string[] = [
    `# Permission matrix on ${formatInstant(matrix.at)}`,
    '',
    `Revision ${matrix.revision}`,
    '',
    `> ${ILLUSTRATIVE}`,
    '',
  ];
  lines.push(
    "Each cell: what a request can get (release, or a hit: match and reference only) and, in the numbered notes, under which clause and what the request must carry. A cell that gives nothing says why: *not covered* (no agreement speaks to it), *forbidden by domestic law* (an agreement allows it, the owner's gate does not), *not in force*, or *conditions not met*.",
    '',
  );
  for (const pair of matrix.pairs) lines.push(...pairMarkdown(matrix, pair));
  return `${lines.join('\n')}\n`;
}

function pairMarkdown(matrix: Matrix, pair: MatrixPair): string[] {
  const notes: Notes = new Map();
  const lines = [
    `## ${pair.owner} data → ${pair.requester} analyst (requester ${pair.requester}, owner ${pair.owner})`,
    '',
  ];
  lines.push(
    `| category | ${matrix.purposes.join(' | ')} |`,
    `|---|${matrix.purposes.map(() => '---').join('|')}|`,
  );
  matrix.categories.forEach((category, c) => {
    const row = matrix.purposes.map((_, p) =>
      cell(cellText(pair.cells[p * matrix.categories.length + c]!, notes)),
    );
    lines.push(`| ${category} | ${row.join(' | ')} |`);
  });
  if (pair.fields.length > 0) {
    lines.push(
      '',
      `### Fields of ${pair.owner} records`,
      '',
      `| field | category | ${matrix.purposes.join(' | ')} |`,
      `|---|---|${matrix.purposes.map(() => '---').join('|')}|`,
    );
    for (const field of pair.fields) {
      const row = field.cells.map((fieldCell) =>
        cell(
          fieldCell.effect === 'hit-only' && field.entry.category !== 'meta.reference'
            ? `${cellText(fieldCell, notes)} (value null)`
            : cellText(fieldCell, notes),
        ),
      );
      lines.push(`| ${field.entry.coordinate} | ${field.entry.category} | ${row.join(' | ')} |`);
    }
  }
  lines.push('', 'Notes:', '');
  for (const note of notes.values()) lines.push(`${note.number}. ${note.text}`);
  lines.push('');
  return lines;
}

const CSV_HEADER = [
  'requester',
  'owner',
  'field',
  'category',
  'purpose',
  'effect',
  'standing',
  'reason',
  'without conditions',
  'clause',
  'title',
  'citation',
  'basis',
  'needs',
];

/** One row per way to get something out of a cell (one row for a cell that gives nothing); `fields` adds per-field rows. */
export function renderMatrixCsv(matrix: Matrix, options: { fields?: boolean } = {}): string {
  const rows: string[][] = [CSV_HEADER];
  const emit = (pair: MatrixPair, field: string, matrixCell: MatrixCell): void => {
    const base = [pair.requester, pair.owner, field, matrixCell.category, matrixCell.purpose];
    if (matrixCell.outcomes.length === 0) {
      rows.push([
        ...base,
        'withhold',
        STANDING_LABELS[matrixCell.standing],
        matrixCell.reason,
        matrixCell.unconditional,
        '',
        '',
        '',
        '',
        '',
      ]);
      return;
    }
    for (const outcome of matrixCell.outcomes) {
      rows.push([
        ...base,
        outcome.effect,
        STANDING_LABELS[matrixCell.standing],
        matrixCell.reason,
        matrixCell.unconditional,
        `${outcome.clause.agreement}/${outcome.clause.clause}`,
        outcome.clause.title,
        outcome.clause.citation,
        outcome.basis,
        outcome.needs,
      ]);
    }
  };
  for (const pair of matrix.pairs) {
    for (const matrixCell of pair.cells) emit(pair, '', matrixCell);
    if (options.fields === true)
      for (const field of pair.fields)
        for (const fieldCell of field.cells) emit(pair, field.entry.coordinate, fieldCell);
  }
  return `${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1b1f24}table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #c8ccd0;padding:.25rem .4rem;vertical-align:top;text-align:left}th{background:#eef1f4}td.release{background:#d7f5dd}td.hit-only{background:#fff3c4}td.withhold{background:#f6f7f8;color:#57606a}td.forbidden{background:#fbdada}.note{font-size:12px;color:#57606a}blockquote{border-left:4px solid #d4a72c;margin:0;padding:.25rem .75rem;background:#fff8e1}`;

/** A standalone HTML document: no script, no external resource. */
export function renderMatrixHtml(matrix: Matrix): string {
  const parts: string[] = [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Accord permission matrix ${escapeHtml(formatInstant(matrix.at))}</title><style>${STYLE}</style></head><body>`,
    `<h1>Permission matrix on ${escapeHtml(formatInstant(matrix.at))}</h1><p>Revision <code>${matrix.revision}</code></p><blockquote>${escapeHtml(ILLUSTRATIVE)}</blockquote>`,
  ];
  for (const pair of matrix.pairs) {
    const notes: Notes = new Map();
    parts.push(
      `<h2>${pair.owner} data → ${pair.requester} analyst</h2><table><thead><tr><th>category</th>${matrix.purposes.map((purpose) => `<th>${purpose}</th>`).join('')}</tr></thead><tbody>`,
    );
    matrix.categories.forEach((category, c) => {
      const cells = matrix.purposes.map((_, p) => {
        const matrixCell = pair.cells[p * matrix.categories.length + c]!;
        const css = matrixCell.standing === 'forbidden' ? 'forbidden' : matrixCell.effect;
        return `<td class="${css}">${escapeHtml(cellText(matrixCell, notes))}</td>`;
      });
      parts.push(`<tr><th>${category}</th>${cells.join('')}</tr>`);
    });
    parts.push('</tbody></table><ol class="note">');
    for (const note of notes.values()) parts.push(`<li>${escapeHtml(note.text)}</li>`);
    parts.push('</ol>');
  }
  parts.push('</body></html>\n');
  return parts.join('');
}
