/**
 * The legal review workbench on the command line (`npm run policy -- <command>`, or the `accord-policy`
 * bin). Every command reads the shipped agreements/ unless `--agreements <dir>` says otherwise, and the
 * committed supergraph unless `--supergraph <file>` does.
 *
 *   explain   one question: decision, every clause considered with the condition that failed, the
 *             domestic gate, obligations, routes, revision
 *   matrix    category × purpose (and field × purpose) per pair: Markdown, CSV, HTML or JSON
 *   diff      two sets (folders or git revisions): what got wider or narrower, with examples;
 *             --fail-on-wider exits 1 when anything widened
 *   lint      fields without categories, unknown names, shadowed / redundant clauses, conditions never
 *             met, expired agreements, missing citations; exits 1 on errors (--strict: on warnings too)
 *   prove     agreements/invariants.yaml over the finite domain, every answer against the reference model,
 *             and the engine's self-check on the built-in coverage set (legal/coverage-set/); exits 1
 *             when any of them fails
 *   page      writes the /legal page as static files (a self-contained index.html)
 *   schema    writes agreements/invariants.schema.json
 *
 * Exit status: 0 fine, 1 findings (see above), 2 bad input (with the nearest valid names).
 */
import { existsSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { printable, printableJson } from '../lib/printable';
import { parseCommandLine, unknownCommand, UsageError, type OptionSpecs } from '../lib/cliArgs';
import { endQuietlyWhenOutputCloses } from '../lib/closedOutput';
import { whyUnreadable } from '../lib/unreadable';
import {
  AgreementSetError,
  DEFAULT_AGREEMENTS_DIR,
  REQUEST_HEADERS,
  loadAgreementSet,
  compilePolicy,
  type RecordFacts,
  type RequestContext,
} from '../policy';
import { MEMBERS, readCommittedSupergraph } from '../schema';
import { nearestNames } from '../vocabulary';
import { diffPolicies } from './diff';
import { dataDir, dataDirHint, noAccordIn } from '../lib/process';
import { deskFile, grantKeyFile, readOwnerGrants } from '../trust';
import { readStoredRecordFacts } from '../subgraphs/reference/storedRecordFacts';
import type { GrantSource } from './explainGrant';
import { explainRequest } from './explainRequest';
import { readGrantFile } from './readGrantFile';
import { readFieldCatalog } from './fieldCatalog';
import type { FieldCatalog } from './fields';
import { parseCountry, parseInstant } from './inputs';
import { invariantsSchemaText, INVARIANTS_SCHEMA_FILE } from './invariantsSchema';
import { LegalInputError } from './LegalInputError';
import { lintFields, lintPolicy, problemFindings, report } from './lint';
import { InvariantsError, invariantsFileOf, loadInvariants } from './loadInvariants';
import { buildMatrix } from './matrix';
import { buildPageHtml, pageData, revisionsForPage } from './page/buildPage';
import { prove } from './prove';
import { renderDiffMarkdown } from './render/diff';
import { renderExplanation } from './render/explanation';
import { renderMatrixCsv, renderMatrixHtml, renderMatrixMarkdown } from './render/matrix';
import { renderLint, renderProof } from './render/reports';
import { displayPath, loadRevision } from './sources';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Where relative paths and git revisions are resolved. */
  readonly cwd: string;
  /** "Today" when no --at is given. */
  now(): number;
  /** The data folder the owners' grant stores are in, when no --data-dir is given; default lib/process.ts dataDir. */
  dataDir?(): string;
}

type Options = Record<string, string | boolean | undefined>;

interface Command {
  readonly summary: string;
  readonly usage: string;
  /** Option name → takes a value. */
  readonly options: Readonly<Record<string, boolean>>;
  readonly positionals: number;
  /** Names an analyst knows an option by, each with the option (lib/cliArgs.ts otherNames). */
  readonly otherNames?: Readonly<Record<string, string>>;
  run(options: Options, positionals: readonly string[], io: Io): number;
}

/**
 * Explain's option for each fact an analyst declares in an `Accord-*` header. An analyst knows these by the
 * header's name (`accord` takes the same as flags: `--jit`, `--request-ref`), so where explain's option has
 * another name, the header's name suggests it: `--jit` gets "did you mean --team?".
 */
const EXPLAIN_OPTION_OF_HEADER: Readonly<Partial<Record<keyof typeof REQUEST_HEADERS, string>>> = {
  purpose: 'purpose',
  caseReference: 'case',
  requestReference: 'request',
  jointTeam: 'team',
  emergency: 'emergency',
  interpolNotice: 'notice',
  warrantReference: 'warrant',
};

const EXPLAIN_OTHER_NAMES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(EXPLAIN_OPTION_OF_HEADER)
    .map(([fact, option]): [string, string] => [
      REQUEST_HEADERS[fact as keyof typeof REQUEST_HEADERS].replace(/^accord-/, ''),
      option,
    ])
    .filter(([name, option]) => name !== option),
);

const COMMON = { agreements: true, supergraph: true, format: true, at: true, help: false };

const COMMANDS: Readonly<Record<string, Command>> = {
  explain: {
    summary: 'explain one decision, down to the failing condition',
    usage:
      'explain --requester KR --purpose investigation (--field KHSuspect.passportNumbers | --owner KH --category person.identity) [--at 2026-06-01] [--analyst kim.j] [--case REF] [--request REF] [--warrant REF] [--notice ID] [--team JTF-ID] [--emergency "justification" [--emergency-at TIME, a hypothetical registration time]] [--record-id ID] [--record-operations OP,OP] [--record-grade B] [--grants FILE | --data-dir DIR] [--format text|json]   (with --request: the grant it names, from the owner\'s grant store in --data-dir, default $ACCORD_DATA_DIR or data/, read-only; or from FILE)',
    options: {
      ...COMMON,
      requester: true,
      owner: true,
      purpose: true,
      field: true,
      category: true,
      analyst: true,
      case: true,
      request: true,
      warrant: true,
      notice: true,
      team: true,
      emergency: true,
      'emergency-at': true,
      'record-id': true,
      'record-operations': true,
      'record-grade': true,
      grants: true,
      'data-dir': true,
    },
    positionals: 0,
    otherNames: EXPLAIN_OTHER_NAMES,
    run: explainCommand,
  },
  matrix: {
    summary: 'category × purpose (and field × purpose) for one pair or all',
    usage:
      'matrix [--requester KR] [--owner KH] [--at 2026-06-01] [--format markdown|csv|html|json] [--fields] [--out FILE]',
    options: { ...COMMON, requester: true, owner: true, fields: false, out: true },
    positionals: 0,
    run: matrixCommand,
  },
  diff: {
    summary: 'what changes between two agreement sets (folders or git revisions)',
    usage:
      'diff BEFORE AFTER [--fail-on-wider] [--at 2026-06-01] [--path agreements] [--format markdown|json]   (BEFORE/AFTER: a folder or a git revision, e.g. HEAD~1 .)',
    options: { ...COMMON, 'fail-on-wider': false, path: true },
    positionals: 2,
    run: diffCommand,
  },
  lint: {
    summary: 'find problems a legal reviewer should fix',
    usage: 'lint [--agreements DIR] [--at 2026-06-01] [--strict] [--format text|json]',
    options: { ...COMMON, strict: false },
    positionals: 0,
    run: lintCommand,
  },
  prove: {
    summary:
      'prove the invariants of agreements/invariants.yaml exhaustively, and check the engine itself on a built-in set that uses every path',
    usage: 'prove [--agreements DIR] [--invariants FILE] [--max-counterexamples 3] [--format text|json]',
    options: { ...COMMON, invariants: true, 'max-counterexamples': true },
    positionals: 0,
    run: proveCommand,
  },
  page: {
    summary: 'write the /legal page as static files',
    usage: 'page --out DIR [--revisions REV,REV] [--history 10] [--at 2026-06-01]',
    options: { ...COMMON, out: true, revisions: true, history: true },
    positionals: 0,
    run: pageCommand,
  },
  schema: {
    summary: 'write agreements/invariants.schema.json',
    usage: 'schema [--agreements DIR]',
    options: { agreements: true, help: false },
    positionals: 0,
    run: schemaCommand,
  },
};

export function main(argv: readonly string[], io: Io = processIo()): number {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  try {
    if (command === undefined) throw new LegalInputError(unknownCommand(name, Object.keys(COMMANDS)).message);
    const { options, positionals } = parseArguments(rest, command);
    if (options.help === true) {
      io.out(`usage: npm run policy -- ${command.usage}\n`);
      return 0;
    }
    if (positionals.length !== command.positionals) {
      throw new LegalInputError(
        `${name} takes ${command.positionals} argument(s), got ${positionals.length}: usage: ${command.usage}`,
      );
    }
    return command.run(options, positionals, io);
  } catch (error) {
    if (error instanceof LegalInputError) {
      // The message may quote what was typed (an unknown command, a bad value): escaped, never raw.
      io.err(`error: ${printable(error.message)}\n`);
      return 2;
    }
    if (error instanceof AgreementSetError || error instanceof InvariantsError) {
      io.err(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function usage(): string {
  const lines = [
    'usage: npm run policy -- <command> [options]   (or: ./legal/bin/accord-policy <command>)',
    '',
    'commands:',
  ];
  for (const [name, command] of Object.entries(COMMANDS))
    lines.push(`  ${name.padEnd(8)} ${command.summary}`);
  lines.push(
    '',
    'common options: --agreements DIR (default: the shipped agreements/), --supergraph FILE, --at DATE, --format, --help',
  );
  lines.push(
    'exit status: 0 fine, 1 findings (lint errors, broken invariants, --fail-on-wider), 2 bad input',
  );
  return `${lines.join('\n')}\n`;
}

/**
 * `--name value`, `--name=value`, `--flag`, through the house's parser (lib/cliArgs.ts): unknown options
 * get the nearest known names; a mistake is a LegalInputError with the command's usage.
 */
function parseArguments(
  args: readonly string[],
  command: Command,
): { options: Options; positionals: readonly string[] } {
  const specs: OptionSpecs = Object.fromEntries(
    Object.entries(command.options).map(([name, takesValue]) => [
      name,
      { type: takesValue ? ('string' as const) : ('boolean' as const) },
    ]),
  );
  try {
    const { values, positionals } = parseCommandLine(args, {
      options: specs,
      positionals: true,
      ...(command.otherNames !== undefined && { otherNames: command.otherNames }),
    });
    return { options: values as Options, positionals };
  } catch (error) {
    if (error instanceof UsageError)
      throw new LegalInputError(`${error.message} usage: npm run policy -- ${command.usage}`);
    throw error;
  }
}

function text(options: Options, name: string): string | undefined {
  const value = options[name];
  return typeof value === 'string' ? value : undefined;
}

function format(options: Options, allowed: readonly string[]): string {
  const value = text(options, 'format') ?? allowed[0]!;
  if (!allowed.includes(value)) {
    const near = nearestNames(value, allowed);
    throw new LegalInputError(
      `unknown format '${value}' (${near.length > 0 ? `did you mean ${near.join(', ')}? ` : ''}formats: ${allowed.join(', ')})`,
    );
  }
  return value;
}

function atOf(options: Options, io: Io): number {
  const value = text(options, 'at');
  return value === undefined ? io.now() : parseInstant(value, '--at');
}

function agreementsDir(options: Options, io: Io): string {
  const value = text(options, 'agreements');
  return value === undefined ? DEFAULT_AGREEMENTS_DIR : resolve(io.cwd, value);
}

function loadPolicy(options: Options, io: Io) {
  return compilePolicy(loadAgreementSet(agreementsDir(options, io)));
}

function fieldsOf(options: Options, io: Io): FieldCatalog {
  const file = text(options, 'supergraph');
  if (file === undefined) return readFieldCatalog(readCommittedSupergraph());
  try {
    return readFieldCatalog(readFileSync(resolve(io.cwd, file), 'utf8'));
  } catch (error) {
    throw new LegalInputError(`cannot read the supergraph ${file}: ${whyUnreadable(error)}`);
  }
}

const display =
  (io: Io) =>
  (file: string): string =>
    displayPath(file, io.cwd);

function explainCommand(options: Options, _positionals: readonly string[], io: Io): number {
  const policy = loadPolicy(options, io);
  const at = atOf(options, io);
  const requesterCountry = text(options, 'requester');
  if (requesterCountry === undefined)
    throw new LegalInputError(
      `explain needs --requester (the analyst's country; members: ${policy.set.members.map((m) => m.code).join(', ')})`,
    );
  const emergency = text(options, 'emergency');
  const emergencyAt = text(options, 'emergency-at');
  if (emergencyAt !== undefined && emergency === undefined)
    throw new LegalInputError('--emergency-at needs --emergency "justification"');
  const operations = text(options, 'record-operations');
  const grade = text(options, 'record-grade');
  const recordId = text(options, 'record-id');
  const grantsFile = text(options, 'grants');
  const grantsDir = text(options, 'data-dir');
  if (grantsFile !== undefined && grantsDir !== undefined)
    throw new LegalInputError(
      "give the grants in --grants FILE or the owner's store in --data-dir DIR, not both",
    );
  if (grantsFile !== undefined && text(options, 'request') === undefined)
    throw new LegalInputError('--grants explains the grant a request names: give it with --request REF');
  if (grantsDir !== undefined && text(options, 'request') === undefined && recordId === undefined)
    throw new LegalInputError(
      '--data-dir is where the grant a request names (--request REF) and the record (--record-id ID) are looked up: give one of them',
    );
  // The record's facts as given; with its id alone, as its owner's store holds them.
  const stored =
    recordId !== undefined && operations === undefined && grade === undefined
      ? storedRecord(recordId.trim(), grantsDir, io)
      : undefined;
  const record: RecordFacts | undefined =
    stored !== undefined
      ? stored.facts
      : operations === undefined && grade === undefined && recordId === undefined
        ? undefined
        : {
            ...(recordId !== undefined && { id: recordId.trim() }),
            ...(operations !== undefined && {
              operations: operations
                .split(',')
                .map((item) => item.trim())
                .filter(Boolean),
            }),
            ...(grade !== undefined && { sourceGrade: grade }),
          };
  const country = parseCountry(requesterCountry, policy.set, 'requester country');
  const purpose = text(options, 'purpose');
  const requester: RequestContext = {
    country,
    analyst: text(options, 'analyst') ?? `analyst.${country.toLowerCase()}`,
    roles: ['analyst'],
    ...(purpose !== undefined && { purpose: purpose as RequestContext['purpose'] }),
    ...(text(options, 'case') !== undefined && { caseReference: text(options, 'case') }),
    ...(text(options, 'request') !== undefined && { requestReference: text(options, 'request') }),
    ...(text(options, 'warrant') !== undefined && { warrantReference: text(options, 'warrant') }),
    ...(text(options, 'notice') !== undefined && { interpolNotice: text(options, 'notice') }),
    ...(text(options, 'team') !== undefined && { jointTeam: text(options, 'team') }),
    ...(emergency !== undefined && {
      emergency: {
        declaredAt: emergencyAt === undefined ? at : parseInstant(emergencyAt, '--emergency-at'),
        justification: emergency,
      },
    }),
  };
  const field = text(options, 'field');
  const explanation = explainRequest(
    { policy, ...(field !== undefined && { fields: fieldsOf(options, io) }) },
    {
      requester,
      at,
      ...(text(options, 'owner') !== undefined && { owner: text(options, 'owner') }),
      ...(field !== undefined && { field }),
      ...(text(options, 'category') !== undefined && { category: text(options, 'category') }),
      ...(text(options, 'analyst') === undefined && { analystStandIn: true }),
      ...(record !== undefined && { record }),
      ...(stored !== undefined && { recordSource: stored.source }),
      ...(text(options, 'request') !== undefined && {
        grantSource: grantSourceOf(grantsFile, grantsDir, io),
      }),
    },
  );
  if (format(options, ['text', 'json']) === 'json') io.out(`${printableJson(explanation)}\n`);
  else io.out(renderExplanation(explanation, display(io)));
  return 0;
}

/**
 * `--record-id ID` alone: the record's facts (operations, source grade) as its owner's store in the data
 * folder holds them, read-only, as the owner reads them when it decides. Before, the record was taken as
 * linked to no operation, and a joint team's clause failed for a record in its scope. A store without the
 * record is refused (a mistyped id); a folder without the owner's store (a reviewer working from a grants
 * file, or the wrong folder) explains the id alone and says, beside the record, that nothing was read.
 */
function storedRecord(
  id: string,
  dir: string | undefined,
  io: Io,
): { readonly facts: RecordFacts; readonly source: string } {
  const folder = dir !== undefined ? resolve(io.cwd, dir) : (io.dataDir ?? dataDir)();
  const shown = displayPath(folder, io.cwd);
  const instead = 'give its facts with --record-operations OP,OP and --record-grade G';
  const found = readStoredRecordFacts(id, folder);
  if (found === undefined)
    throw new LegalInputError(
      `--record-id ${JSON.stringify(id)} is not a record id (an owner's code, a kind and a serial, e.g. KH-SUS-000001)`,
    );
  if (found.found)
    return { facts: found.facts, source: `as ${found.owner}'s record store in ${shown} holds it` };
  if (found.why === 'no-record')
    throw new LegalInputError(
      `${found.owner}'s record store in ${shown} holds no record ${id}: check the id, or ${instead}`,
    );
  return {
    facts: { id },
    source: `not looked up: ${shown} holds no record store of ${found.owner}'s (${basename(found.file)}); point --data-dir or ACCORD_DATA_DIR at npm start's data folder, or ${instead}`,
  };
}

/**
 * Where explain finds the owner's grants: a file the reviewer gives (taken as written), or the owner's
 * grant store in a data folder, read without changing it (signatures checked as the owner checks them).
 */
function grantSourceOf(
  file: string | undefined,
  dir: string | undefined,
  io: Io,
): (owner: string) => GrantSource {
  if (file !== undefined) {
    const grants = readGrantFile(resolve(io.cwd, file));
    return () => ({ description: `the grants file ${file}`, grants });
  }
  const folder = dir !== undefined ? resolve(io.cwd, dir) : (io.dataDir ?? dataDir)();
  return (owner) => {
    // A folder without the owner's store is the wrong folder, not an owner that holds no such grant: said
    // as such, or a newcomer would read "no grant" and ask the owner for one it issued.
    if (!existsSync(deskFile(owner, folder)) || !existsSync(grantKeyFile(owner, folder)))
      throw new LegalInputError(
        noAccordIn(
          displayPath(folder, io.cwd),
          `${owner}'s grant store (${basename(deskFile(owner, folder))})`,
          dir !== undefined
            ? '--data-dir names it; or give the grants with --grants FILE'
            : `${dataDirHint()}, or name it with --data-dir DIR; or give the grants with --grants FILE`,
        ),
      );
    try {
      return {
        description: `${owner}'s grant store in ${displayPath(folder, io.cwd)}`,
        grants: readOwnerGrants(owner, folder),
      };
    } catch (error) {
      throw new LegalInputError(
        `cannot read ${owner}'s grant store in ${displayPath(folder, io.cwd)}: ${whyUnreadable(error)}`,
      );
    }
  };
}

function matrixCommand(options: Options, _positionals: readonly string[], io: Io): number {
  const policy = loadPolicy(options, io);
  const kind = format(options, ['markdown', 'csv', 'html', 'json']);
  const requester = text(options, 'requester');
  const owner = text(options, 'owner');
  const matrix = buildMatrix(policy, {
    at: atOf(options, io),
    fields: fieldsOf(options, io),
    ...(requester !== undefined && {
      requesters: [parseCountry(requester, policy.set, 'requester country')],
    }),
    ...(owner !== undefined && { owners: [parseCountry(owner, policy.set, 'owner country')] }),
  });
  const rendered =
    kind === 'csv'
      ? renderMatrixCsv(matrix, { fields: options.fields === true })
      : kind === 'html'
        ? renderMatrixHtml(matrix)
        : kind === 'json'
          ? `${JSON.stringify(matrix, (key, value: unknown) => (key === 'profile' ? undefined : value), 2)}\n`
          : renderMatrixMarkdown(matrix);
  const out = text(options, 'out');
  if (out === undefined) io.out(rendered);
  else {
    writeFileSync(resolve(io.cwd, out), rendered);
    io.out(`wrote ${out}\n`);
  }
  return 0;
}

function diffCommand(options: Options, positionals: readonly string[], io: Io): number {
  const source = { cwd: io.cwd, ...(text(options, 'path') !== undefined && { path: text(options, 'path') }) };
  const before = loadRevision(positionals[0]!, source);
  const after = loadRevision(positionals[1]!, source);
  const at = text(options, 'at') === undefined ? undefined : atOf(options, io);
  const diff = diffPolicies(before.policy, after.policy, {
    ...(at !== undefined && { at }),
    reference: at ?? io.now(),
  });
  if (format(options, ['markdown', 'json']) === 'json')
    io.out(`${JSON.stringify(diff, (key, value: unknown) => (key === 'profile' ? undefined : value), 2)}\n`);
  else io.out(renderDiffMarkdown(diff, { before: before.label, after: after.label }));
  // Wider in the answers, or wider in the text (a relaxed gate or a later `until` no question reaches yet).
  const widerInText = diff.clauseChanges.filter((change) => change.direction === 'wider').length;
  if (options['fail-on-wider'] === true && (diff.counts.wider > 0 || widerInText > 0)) {
    io.err(
      `diff: ${diff.counts.wider} change(s) widen what crosses a border, ${widerInText} in the text (--fail-on-wider)\n`,
    );
    return 1;
  }
  return 0;
}

function lintCommand(options: Options, _positionals: readonly string[], io: Io): number {
  const at = atOf(options, io);
  const fields = fieldsOf(options, io);
  const kind = format(options, ['text', 'json']);
  let result;
  try {
    result = lintPolicy(loadPolicy(options, io), {
      at,
      fields,
      registry: MEMBERS.map((member) => member.code),
    });
  } catch (error) {
    if (!(error instanceof AgreementSetError)) throw error;
    result = report([...problemFindings(error.problems), ...lintFields(fields)]);
  }
  io.out(kind === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderLint(result, display(io)));
  return result.counts.error > 0 || (options.strict === true && result.counts.warning > 0) ? 1 : 0;
}

function proveCommand(options: Options, _positionals: readonly string[], io: Io): number {
  const policy = loadPolicy(options, io);
  const file = text(options, 'invariants');
  const invariants = loadInvariants(
    file === undefined ? invariantsFileOf(agreementsDir(options, io)) : resolve(io.cwd, file),
    policy.set,
  );
  const maxText = text(options, 'max-counterexamples');
  const max = maxText === undefined ? 3 : Number(maxText);
  if (!Number.isInteger(max) || max < 1)
    throw new LegalInputError(
      `--max-counterexamples must be a positive whole number, not '${maxText ?? ''}'`,
    );
  const proof = prove(policy, invariants, { fields: fieldsOf(options, io), maxCounterexamples: max });
  io.out(
    format(options, ['text', 'json']) === 'json'
      ? `${JSON.stringify(proof, null, 2)}\n`
      : renderProof(proof, display(io)),
  );
  return proof.holds ? 0 : 1;
}

function pageCommand(options: Options, _positionals: readonly string[], io: Io): number {
  const out = text(options, 'out');
  if (out === undefined) throw new LegalInputError('page needs --out DIR (where index.html is written)');
  const dir = agreementsDir(options, io);
  const historyText = text(options, 'history');
  const history = historyText === undefined ? 10 : Number(historyText);
  if (!Number.isInteger(history) || history < 0)
    throw new LegalInputError(`--history must be a whole number of commits, not '${historyText ?? ''}'`);
  const current = loadAgreementSet(dir);
  const extra = (text(options, 'revisions') ?? '')
    .split(',')
    .map((spec) => spec.trim())
    .filter(Boolean)
    .map((spec) => loadRevision(spec, { cwd: io.cwd }));
  const revisions = revisionsForPage({
    current,
    currentLabel: 'working tree',
    agreementsDir: dir,
    history,
    extra: extra.map((revision) => ({ label: revision.label, set: revision.set })),
  });
  const html = buildPageHtml(
    pageData({
      revisions: revisions.revisions,
      fields: fieldsOf(options, io),
      at: atOf(options, io),
      notes: revisions.notes,
    }),
  );
  const target = resolve(io.cwd, out);
  mkdirSync(target, { recursive: true });
  writeFileSync(join(target, 'index.html'), html);
  io.out(
    `wrote ${join(out, 'index.html')} (${revisions.revisions.length} revision(s); self-contained, no network)\n`,
  );
  return 0;
}

function schemaCommand(options: Options, _positionals: readonly string[], io: Io): number {
  const file = join(agreementsDir(options, io), INVARIANTS_SCHEMA_FILE);
  writeFileSync(file, invariantsSchemaText());
  io.out(`wrote ${displayPath(file, io.cwd)}\n`);
  return 0;
}

function processIo(): Io {
  return {
    out: (chunk) => process.stdout.write(chunk),
    err: (chunk) => process.stderr.write(chunk),
    cwd: process.env.INIT_CWD ?? process.cwd(),
    now: () => Date.now(),
  };
}

if (require.main === module) {
  endQuietlyWhenOutputCloses();
  process.exitCode = main(process.argv.slice(2));
}
