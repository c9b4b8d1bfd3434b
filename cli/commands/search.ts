import { MEMBERS } from '../../schema/members';
import { nearestNames } from '../../vocabulary';
import { ask } from '../ask';
import { UsageError } from '../CliError';
import type { CommandSpec, ParsedLine } from '../commandLine';
import { GATEWAY_OPTIONS, GATEWAY_USAGE } from '../commonOptions';
import { DECLARATION_OPTIONS, declarationUsage } from '../declaration';
import { SEARCH_DOCUMENT, readSearch, searchVariables } from '../documents';
import type { Io } from '../io';
import { hitLines } from '../notes';
import { answerExitCode } from '../outcome';
import { errorLines, table } from '../render';

/** `accord search TERM`: every member's matches (or those of `--countries`), one table. */
export const SEARCH: CommandSpec = {
  name: 'search',
  summary: "search the members' records for a name, alias, passport, phone or account number",
  usage: `usage: accord search TERM [--countries CC,CC] [declaration] [--json]

  --countries CC,CC  only these members (default every member: ${MEMBERS.map((m) => m.code).join(', ')})

Declaration (the Accord-* headers: why you ask):
${declarationUsage()}

${GATEWAY_USAGE}

One row per record found: its owner, kind, id, name and one more fact. A name a member withholds shows as
(withheld); below the table, why, and the route that would release it.`,
  options: { ...GATEWAY_OPTIONS, ...DECLARATION_OPTIONS, countries: { type: 'string' } },
  positionals: { min: 1, max: 1, what: 'one search term (quote it if it has spaces)' },
};

export async function search(line: ParsedLine, io: Io): Promise<number> {
  const term = line.positionals[0]!;
  const countries = readCountries(line.values['countries']);
  const answer = await ask(line, io, 'search', { query: SEARCH_DOCUMENT, variables: searchVariables(term, countries) });
  const code = answerExitCode(answer.body);
  if (line.values['json']) {
    io.out(JSON.stringify(answer.body));
    return code;
  }
  const { countries: answered, rows } = readSearch(answer.body.data);
  const nulled = new Set((answer.body.errors ?? []).map((error) => JSON.stringify(error.path ?? [])));
  const lines: string[] = [];
  if (rows.length > 0) {
    lines.push(
      table(
        ['COUNTRY', 'KIND', 'ID', 'NAME', 'DETAIL'],
        rows.map((row) => [row.country, row.kind, row.id, row.name ?? (nulled.has(JSON.stringify(row.namePath)) ? '(withheld)' : null), row.detail]),
      ),
    );
  }
  const found = new Set(rows.map((row) => row.country));
  const none = answered.filter((country) => !found.has(country));
  if (answer.body.data) lines.push(`${rows.length} record(s) found for ${JSON.stringify(term)}${none.length ? `; nothing shown by ${none.join(', ')}` : ''}.`);
  const notes = [...errorLines(answer.body), ...hitLines(answer.body)];
  if (notes.length) lines.push(...(lines.length ? [''] : []), ...notes);
  io.out(lines.join('\n'));
  return code;
}

function readCountries(value: unknown): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  const codes = MEMBERS.map((member) => member.code);
  const countries = value.split(',').map((code) => code.trim().toUpperCase()).filter((code) => code !== '');
  if (countries.length === 0) throw new UsageError('--countries needs at least one member code, e.g. --countries KR,TH.', 'search');
  for (const country of countries) {
    if (!codes.includes(country)) {
      const near = nearestNames(country, codes);
      throw new UsageError(`${JSON.stringify(country)} is not a member${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}; members: ${codes.join(', ')}.`, 'search');
    }
  }
  return countries;
}
