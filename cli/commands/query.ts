import { readFileSync } from 'node:fs';
import { ask } from '../ask';
import { UsageError } from '../CliError';
import type { CommandSpec, ParsedLine } from '../commandLine';
import { GATEWAY_OPTIONS, GATEWAY_USAGE } from '../commonOptions';
import { DECLARATION_OPTIONS, declarationUsage } from '../declaration';
import type { Io } from '../io';
import { hitLines, obligationLines } from '../notes';
import { answerExitCode } from '../outcome';
import { errorLines } from '../render';

/** `accord query`: any GraphQL document, as the logged-in analyst, with the declaration flags as headers. */
export const QUERY: CommandSpec = {
  name: 'query',
  summary: 'send a GraphQL document (argument, --file or standard input)',
  usage: `usage: accord query [DOCUMENT | --file FILE | - ] [--var NAME=VALUE]… [--variables JSON] [declaration] [--json]

The document is the argument, the file's content, or standard input (- or nothing, piped).
  --file FILE        read the document from FILE
  --var NAME=VALUE   a variable; VALUE is JSON when it reads as a number, true, false, null, [ … ] or { … },
                     a string otherwise (quote it as JSON to keep a string: --var 'n="42"'); repeatable
  --variables JSON   the variables as one JSON object (--var entries override its keys)

Declaration (the Accord-* headers: why you ask):
${declarationUsage()}

${GATEWAY_USAGE}

People get the data as JSON on standard output and, on standard error, what was withheld (why, and the
route that would release it), hit tokens and obligations; --json prints the gateway's whole answer.`,
  options: {
    ...GATEWAY_OPTIONS,
    ...DECLARATION_OPTIONS,
    file: { type: 'string' },
    var: { type: 'string', multiple: true },
    variables: { type: 'string' },
  },
  positionals: { min: 0, max: 1, what: 'one document' },
};

export async function query(line: ParsedLine, io: Io): Promise<number> {
  const document = await readDocument(line, io);
  const variables = readVariables(line);
  const answer = await ask(line, io, 'query', { query: document, ...(variables ? { variables } : {}) });
  if (line.values['json']) {
    io.out(JSON.stringify(answer.body));
    return answerExitCode(answer.body);
  }
  if (answer.body.data !== undefined) io.out(JSON.stringify(answer.body.data, null, 2));
  for (const text of [...errorLines(answer.body), ...hitLines(answer.body), ...obligationLines(answer.body)])
    io.err(text);
  return answerExitCode(answer.body);
}

async function readDocument({ values, positionals }: ParsedLine, io: Io): Promise<string> {
  const file = typeof values['file'] === 'string' ? values['file'] : undefined;
  const argument = positionals[0];
  if (file !== undefined && argument !== undefined)
    throw new UsageError('Give the document once: as the argument or with --file, not both.', 'query');
  let document: string;
  if (file !== undefined) {
    try {
      document = readFileSync(file, 'utf8');
    } catch {
      throw new UsageError(`Cannot read the document file ${JSON.stringify(file)}.`, 'query');
    }
  } else if (argument !== undefined && argument !== '-') {
    document = argument;
  } else if (argument === '-' || !io.stdinIsTerminal) {
    document = await io.readStdin();
  } else {
    throw new UsageError(
      'accord query needs a document: as the argument, with --file, or on standard input.',
      'query',
    );
  }
  if (document.trim() === '') throw new UsageError('The document is empty.', 'query');
  return document;
}

function readVariables({ values }: ParsedLine): Record<string, unknown> | undefined {
  let variables: Record<string, unknown> | undefined;
  const json = values['variables'];
  if (typeof json === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw new UsageError('--variables must be a JSON object, e.g. \'{"id":"KR-SUS-000001"}\'.', 'query');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new UsageError('--variables must be a JSON object (name → value).', 'query');
    variables = { ...(parsed as Record<string, unknown>) };
  }
  for (const entry of (values['var'] as string[] | undefined) ?? []) {
    const equals = entry.indexOf('=');
    if (equals < 1) throw new UsageError(`--var takes NAME=VALUE, not ${JSON.stringify(entry)}.`, 'query');
    variables ??= {};
    variables[entry.slice(0, equals)] = variableValue(entry.slice(equals + 1));
  }
  return variables;
}

/** JSON when it is plainly JSON (a number, true, false, null, an array, an object, a quoted string); text otherwise. */
function variableValue(text: string): unknown {
  if (/^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)$/.test(text) || /^\s*[[{"]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
