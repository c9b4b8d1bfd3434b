import { MEMBERS } from '../../schema/members';
import { nearestNames } from '../../vocabulary';
import { ask } from '../ask';
import { UsageError } from '../CliError';
import type { CommandSpec, ParsedLine } from '../commandLine';
import { GATEWAY_OPTIONS, GATEWAY_USAGE } from '../commonOptions';
import { DECLARATION_OPTIONS, declarationUsage } from '../declaration';
import {
  SEARCH_DOCUMENT,
  SEARCH_KINDS,
  SEARCH_PAGE_SIZE,
  readSearch,
  readSearchPage,
  searchPageDocument,
  searchPageVariables,
  searchVariables,
  type SearchPage,
} from '../documents';
import type { Io } from '../io';
import { hitLines, obligationLines } from '../notes';
import { answerExitCode } from '../outcome';
import { errorLines, table } from '../render';

/** `accord search TERM`: every member's matches (or those of `--countries`), one table. */
export const SEARCH: CommandSpec = {
  name: 'search',
  summary: "search the members' records for a name, alias, passport, phone or account number",
  usage: `usage: accord search TERM [--countries CC,CC] [--kind KIND [--first N] [--after CURSOR]] [declaration] [--json]

  --countries CC,CC  only these members (default every member: ${MEMBERS.map((m) => m.code).join(', ')})
  --kind KIND        one kind only (${SEARCH_KINDS.join(', ')}), a page at a time: how many each member
                     matched that you may see, and the cursor of the next page
  --first N          records per member on that page (1 to ${SEARCH_PAGE_SIZE}; default ${SEARCH_PAGE_SIZE})
  --after CURSOR     the page after the one that printed CURSOR (with one member in --countries)

Declaration (the Accord-* headers: why you ask):
${declarationUsage()}

${GATEWAY_USAGE}

One row per record found: its owner, kind, id, name and one more fact. A name a member withholds shows as
(withheld); below the table, why, and the route that would release it. Without --kind, each member shows
its first ${SEARCH_PAGE_SIZE} matches of each kind, best first.`,
  options: {
    ...GATEWAY_OPTIONS,
    ...DECLARATION_OPTIONS,
    countries: { type: 'string' },
    kind: { type: 'string' },
    first: { type: 'string' },
    after: { type: 'string' },
  },
  positionals: { min: 1, max: 1, what: 'one search term (quote it if it has spaces)' },
};

export async function search(line: ParsedLine, io: Io): Promise<number> {
  const term = line.positionals[0]!;
  const countries = readCountries(line.values['countries']);
  const paging = readPaging(line, countries);
  const answer = await ask(
    line,
    io,
    'search',
    paging
      ? {
          query: searchPageDocument(paging.kind),
          variables: searchPageVariables(term, countries, paging.first, paging.after),
        }
      : { query: SEARCH_DOCUMENT, variables: searchVariables(term, countries) },
  );
  const code = answerExitCode(answer.body);
  if (line.values['json']) {
    io.out(JSON.stringify(answer.body));
    return code;
  }
  const page = paging ? readSearchPage(answer.body.data, paging.kind) : undefined;
  const { countries: answered, rows } = page ?? readSearch(answer.body.data);
  const nulled = new Set((answer.body.errors ?? []).map((error) => JSON.stringify(error.path ?? [])));
  const lines: string[] = [];
  if (rows.length > 0) {
    lines.push(
      table(
        ['COUNTRY', 'KIND', 'ID', 'NAME', 'DETAIL'],
        rows.map((row) => [
          row.country,
          row.kind,
          row.id,
          row.name ?? (nulled.has(JSON.stringify(row.namePath)) ? '(withheld)' : null),
          row.detail,
        ]),
      ),
    );
  }
  const found = new Set(rows.map((row) => row.country));
  const none = answered.filter((country) => !found.has(country));
  if (answer.body.data)
    lines.push(
      `${rows.length} record(s) found for ${JSON.stringify(term)}${none.length ? `; nothing shown by ${none.join(', ')}` : ''}.`,
    );
  if (paging && page) lines.push(...pageLines(page.pages, term, paging, carriedOptions(line)));
  else if (rows.length > 0 && fullLists(rows).length > 0) {
    lines.push(
      `A member shows its first ${SEARCH_PAGE_SIZE} matches of a kind; for ${fullLists(rows).join(', ')} there may be more: add --kind (and --countries) to count them and page through.`,
    );
  }
  const notes = [...errorLines(answer.body), ...hitLines(answer.body), ...obligationLines(answer.body)];
  if (notes.length) lines.push(...(lines.length ? [''] : []), ...notes);
  io.out(lines.join('\n'));
  return code;
}

interface Paging {
  readonly kind: string;
  readonly first?: number;
  readonly after?: string;
}

/** --kind, --first and --after: a page of one kind, or undefined for the first matches of every kind. */
function readPaging(line: ParsedLine, countries: readonly string[] | undefined): Paging | undefined {
  const kind = line.values['kind'];
  const first = line.values['first'];
  const after = line.values['after'];
  if (typeof kind !== 'string') {
    if (first !== undefined || after !== undefined)
      throw new UsageError(
        '--first and --after page through one kind: add --kind (e.g. --kind suspects).',
        'search',
      );
    return undefined;
  }
  if (!SEARCH_KINDS.includes(kind)) {
    const near = nearestNames(kind, SEARCH_KINDS);
    throw new UsageError(
      `${JSON.stringify(kind)} is not a kind a search lists${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}; kinds: ${SEARCH_KINDS.join(', ')}.`,
      'search',
    );
  }
  let size: number | undefined;
  if (typeof first === 'string') {
    size = Number(first);
    if (!/^\d+$/.test(first) || size < 1 || size > SEARCH_PAGE_SIZE)
      throw new UsageError(
        `--first takes a whole number from 1 to ${SEARCH_PAGE_SIZE}, not ${JSON.stringify(first)}.`,
        'search',
      );
  }
  // A cursor marks a place in one member's list: the page after it is that member's alone.
  if (typeof after === 'string' && countries?.length !== 1)
    throw new UsageError(
      "--after continues one member's list: name that member alone in --countries (e.g. --countries KR).",
      'search',
    );
  return { kind, ...(size !== undefined && { first: size }), ...(typeof after === 'string' && { after }) };
}

/** Per member: how many of its matches this page shows, of how many, and the command for the next page. */
function pageLines(
  pages: readonly SearchPage[],
  term: string,
  { kind, first }: Paging,
  carried: string,
): string[] {
  return pages.map((page) => {
    const count =
      page.totalCount === null
        ? `${page.shown} ${kind} shown`
        : `${page.shown} of ${page.totalCount} ${kind} shown`;
    const next =
      page.next === undefined
        ? 'the last page'
        : `next page: accord search ${shellWord(term)} --countries ${page.country} --kind ${kind}${first !== undefined ? ` --first ${first}` : ''} --after=${page.next}${carried}`;
    return `${page.country}: ${count}; ${next}`;
  });
}

/**
 * What the next page's command repeats from this one: the gateway and the whole declaration (purpose,
 * case, …). Without them the next page would be asked on no declared purpose, or of another gateway.
 */
function carriedOptions(line: ParsedLine): string {
  const names = ['gateway', ...Object.keys(DECLARATION_OPTIONS)];
  return names
    .map((name) => line.values[name])
    .map((value, at) => (typeof value === 'string' ? ` --${names[at]} ${shellWord(value)}` : ''))
    .join('');
}

/** The member/kind lists that came back full: the ones that may hold more than their first page. */
function fullLists(rows: readonly { country: string; kind: string }[]): string[] {
  const counts = new Map<string, number>();
  for (const row of rows)
    counts.set(`${row.country} ${row.kind}`, (counts.get(`${row.country} ${row.kind}`) ?? 0) + 1);
  return [...counts].filter(([, count]) => count >= SEARCH_PAGE_SIZE).map(([key]) => key);
}

/** The term as one shell word: quoted when it holds anything but letters, digits and . _ -. */
function shellWord(text: string): string {
  return /^[\p{L}\p{N}._-]+$/u.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function readCountries(value: unknown): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  const codes = MEMBERS.map((member) => member.code);
  const countries = value
    .split(',')
    .map((code) => code.trim().toUpperCase())
    .filter((code) => code !== '');
  if (countries.length === 0)
    throw new UsageError('--countries needs at least one member code, e.g. --countries KR,TH.', 'search');
  for (const country of countries) {
    if (!codes.includes(country)) {
      const near = nearestNames(country, codes);
      throw new UsageError(
        `${JSON.stringify(country)} is not a member${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}; members: ${codes.join(', ')}.`,
        'search',
      );
    }
  }
  return countries;
}
