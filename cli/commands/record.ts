import { RECORD_KINDS, parseGlobalId } from '../../schema/ids';
import { ask } from '../ask';
import { UsageError } from '../CliError';
import type { CommandSpec, ParsedLine } from '../commandLine';
import { GATEWAY_OPTIONS, GATEWAY_USAGE } from '../commonOptions';
import { DECLARATION_OPTIONS, declarationUsage } from '../declaration';
import { readRecord, recordDocument, recordField } from '../documents';
import { EXIT } from '../exitCodes';
import type { GraphQLBody } from '../gateway';
import type { Io } from '../io';
import { hitLines, obligationLines } from '../notes';
import { answerExitCode } from '../outcome';
import { errorLines, table } from '../render';

/** `accord record ID`: one record, every field of the contract, what is withheld and why. */
export const RECORD: CommandSpec = {
  name: 'record',
  summary: 'one record by id, with each withheld field, why, and the route that would release it',
  usage: `usage: accord record ID [declaration] [--json]

ID is a global id: the owner's country, the kind, a number (KH-SUS-000001; kinds ${Object.keys(RECORD_KINDS).join(', ')}).

Declaration (the Accord-* headers: why you ask):
${declarationUsage()}

${GATEWAY_USAGE}`,
  options: { ...GATEWAY_OPTIONS, ...DECLARATION_OPTIONS },
  positionals: { min: 1, max: 1, what: 'one record id (e.g. KH-SUS-000001)' },
};

type Json = Readonly<Record<string, unknown>>;

export async function record(line: ParsedLine, io: Io): Promise<number> {
  const id = line.positionals[0]!;
  const parsed = parseGlobalId(id);
  if (!parsed) {
    throw new UsageError(
      `${JSON.stringify(id)} is not a record id: the owner's code, a kind (${Object.keys(RECORD_KINDS).join(', ')}) and a number, e.g. KH-SUS-000001.`,
      'record',
    );
  }
  const answer = await ask(line, io, 'record', { query: recordDocument(parsed.kind), variables: { id } });
  const code = answerExitCode(answer.body);
  if (line.values['json']) {
    io.out(JSON.stringify(answer.body));
    return code;
  }
  const found = readRecord(parsed.kind, answer.body.data);
  const lines: string[] = [];
  if (found) {
    lines.push(
      `${id}  ${parsed.kind} of ${parsed.owner}`,
      '',
      ...fieldLines(found, answer.body, recordField(parsed.kind)),
    );
  } else {
    lines.push(`${id}: no record.`);
  }
  const notes = [...errorLines(answer.body), ...hitLines(answer.body), ...obligationLines(answer.body)];
  if (notes.length) lines.push(...(lines.length ? [''] : []), ...notes);
  io.out(lines.join('\n'));
  return found ? code : EXIT.REFUSED;
}

/** One row per field: its value, `withheld (CODE)` when an error nulled it, `-` when empty. */
function fieldLines(record: Json, body: GraphQLBody, root: string): string[] {
  const refusals = new Map<string, string>();
  for (const error of body.errors ?? []) {
    const path = error.path ?? [];
    if (path.length === 2 && path[0] === root && typeof path[1] === 'string') {
      const code = error.extensions?.['code'];
      refusals.set(path[1], typeof code === 'string' ? code : 'ERROR');
    }
  }
  const rows = Object.entries(record).map(([field, value]): [string, string | null] => {
    const refused = refusals.get(field);
    if (value === null && refused) return [field, `withheld (${refused})`];
    return [field, show(value)];
  });
  return table(['FIELD', 'VALUE'], rows).split('\n');
}

/** A value on one line: a record as its id (and name), an object as `name: value`, a list joined. */
function show(value: unknown, nested = false): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value))
    return value.length === 0 ? '(none)' : value.map((item) => show(item, nested) ?? '-').join(' | ');
  if (typeof value === 'object') {
    const object = value as Json;
    // A record it points to (every selection of one asks its id and country): its id, and its name when released.
    if (typeof object['id'] === 'string' && typeof object['country'] === 'string') {
      const name = object['fullName'] ?? object['name'] ?? object['caseNumber'];
      return `${object['id']}${typeof name === 'string' ? ` (${name})` : ''}`;
    }
    const text = Object.entries(object)
      .filter(([, inner]) => inner !== null && inner !== undefined)
      .map(([name, inner]) => `${name}: ${show(inner, true)}`)
      .join(', ');
    return nested ? `(${text})` : text;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}
