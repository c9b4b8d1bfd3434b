import { printable } from '../lib/printable';
import type { GraphQLBody, GraphQLError } from './gateway';

/**
 * What people read: aligned tables, and the errors of an answer grouped by what they say (one line per
 * reason, owner and category, with the fields it nulled and the routes that would release them), so that
 * fifty names withheld for one reason read as one reason.
 */

type Json = Readonly<Record<string, unknown>>;

/**
 * Columns padded to their widest cell; an empty cell shows as `-`. Every cell is printed through
 * `printable` (lib/printable.ts): the values come from other members' records, and a control character in
 * one (an ANSI escape, a carriage return) must not rewrite the analyst's screen, say to make a withheld
 * field look released.
 */
export function table(headers: readonly string[], rows: readonly (readonly (string | null)[])[]): string {
  const cells = [
    headers,
    ...rows.map((row) => row.map((cell) => (cell === null || cell === '' ? '-' : printable(cell)))),
  ];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : (cell ?? '').padEnd(widths[column]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

interface Route {
  readonly agreement?: string;
  readonly clause?: string;
  readonly text?: string;
}

/** One reason, and every place in the answer it nulled. */
export interface ErrorGroup {
  readonly code: string;
  readonly owner?: string;
  readonly category?: string;
  readonly reason?: string;
  /** The first error's message (the others differ only by the field). */
  readonly message: string;
  readonly routes: readonly Route[];
  /** `RECORD-ID field` (or the path) of every field it nulled. */
  readonly places: readonly string[];
}

export function groupErrors(body: GraphQLBody): ErrorGroup[] {
  const groups = new Map<string, { group: ErrorGroup; places: string[] }>();
  for (const error of body.errors ?? []) {
    const extensions = error.extensions ?? {};
    const code = typeof extensions['code'] === 'string' ? extensions['code'] : 'ERROR';
    const routes = Array.isArray(extensions['routes']) ? (extensions['routes'] as Route[]) : [];
    const owner = stringOrUndefined(extensions['owner']);
    const category = stringOrUndefined(extensions['category']);
    const reason = stringOrUndefined(extensions['reason']);
    // Refusals of one kind share owner, category and reason; other errors are told apart by their message.
    const key =
      owner !== undefined
        ? [code, owner, category, reason, routes.map((r) => `${r.agreement}/${r.clause}`).join(',')].join('|')
        : `${code}|${error.message}`;
    let entry = groups.get(key);
    if (!entry) {
      entry = {
        group: {
          code,
          message: error.message,
          routes,
          places: [],
          ...(owner !== undefined ? { owner } : {}),
          ...(category !== undefined ? { category } : {}),
          ...(reason !== undefined ? { reason } : {}),
        },
        places: [],
      };
      groups.set(key, entry);
    }
    if (error.path) entry.places.push(placeOf(body.data, error.path));
  }
  return [...groups.values()].map(({ group, places }) => ({ ...group, places }));
}

/** The errors, grouped, as lines for people. */
export function errorLines(body: GraphQLBody): string[] {
  const lines: string[] = [];
  for (const group of groupErrors(body)) {
    const about = [group.owner, group.category, group.reason && `(${group.reason})`]
      .filter(Boolean)
      .join(' ');
    lines.push(`${group.code}${about ? `  ${about}` : ''}`);
    if (group.places.length > 0)
      lines.push(
        `  ${group.places.length === 1 ? 'field' : `${group.places.length} fields`}: ${abbreviate(group.places)}`,
      );
    // The message already says why; its first sentence, without the field it was raised on, is enough.
    lines.push(`  ${stripCoordinate(group.message)}`);
    for (const route of group.routes)
      lines.push(
        `  route: ${[route.agreement, route.clause].filter(Boolean).join(' / ')}${route.text ? ` — ${route.text}` : ''}`,
      );
  }
  return lines.map((line) => printable(line));
}

function abbreviate(places: readonly string[], shown = 8): string {
  return places.length <= shown
    ? places.join(', ')
    : `${places.slice(0, shown).join(', ')}, … (${places.length - shown} more)`;
}

/** `KHSuspect.fullName: KH gives KR…` → `KH gives KR…`; a routes sentence stays out (the routes are listed). */
function stripCoordinate(message: string): string {
  return message.replace(/^[A-Za-z_]+\.[A-Za-z_]+: /, '').replace(/ Could be obtained: .*$/s, '');
}

/**
 * Where an error's path points, for people: the id of the nearest record on the path and the rest of the
 * path (`KH-SUS-000001 fullName`, `KR-SUS-000002 associates[0].fullName`), or the path itself.
 */
export function placeOf(data: Json | null | undefined, path: readonly (string | number)[]): string {
  let node: unknown = data;
  let anchor: { id: string; at: number } | undefined;
  path.forEach((step, index) => {
    if (node === null || typeof node !== 'object') {
      node = undefined;
      return;
    }
    const id = (node as Json)['id'];
    if (typeof id === 'string') anchor = { id, at: index };
    node = (node as Record<string | number, unknown>)[step];
  });
  const rest = (from: number): string =>
    path
      .slice(from)
      .map((step, i) => (typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`))
      .join('');
  return anchor ? `${anchor.id} ${rest(anchor.at)}` : rest(0);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** An error message in a form safe to print as is (single line). */
export function oneLine(error: GraphQLError): string {
  return error.message.replace(/\s+/g, ' ').trim();
}
