/**
 * The owner's desk on the member's own machine (issue 9): the formal requests filed with it and the grants
 * it issued, in its desk store next to its records. It works on the stores directly (whoever can run it
 * on that machine is the member's own), through the same decisions as the desk's HTTP API
 * (subgraphs/desk/decide.ts). Not composed into the supergraph and not reachable over the network.
 *
 *   npm run desk -- list    --country KH [--state pending] [--overdue]
 *   npm run desk -- show    --country KH KH-FUR-2026-3f9a1c2b7d
 *   npm run desk -- approve --country KH --officer desk.sok --request KH-FUR-2026-3f9a1c2b7d \
 *                           --category person.identity --category financial.accounts --days 30 --evidence
 *   npm run desk -- refuse  --country KH --officer desk.sok --request KH-FUR-2026-3f9a1c2b7d --ground ongoing-investigation [--note TEXT]
 *   npm run desk -- ask     --country KH --officer desk.sok --request KH-FUR-2026-3f9a1c2b7d --question TEXT
 *   npm run desk -- revoke  --country KH --officer desk.sok --grant KH-FUR-2026-3f9a1c2b7d
 *   npm run desk -- grounds
 *
 * An approval takes the subjects, case, purpose, clause and requesting analyst from the request; the
 * officer chooses the categories (a subset of those requested), the days, and, when the request asks for
 * evidentiary use, whether to allow it: --evidence or --no-evidence, one of them, never a default (an
 * approval without it changes nothing). ACCORD_DATA_DIR selects the data folder (default
 * data/), as for the services. Exit codes: 0 done, 1 refused (nothing changed), 2 bad usage.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { openAuditLogFromEnv, recordProcedure, type ProcedureRecord } from '../../audit';
import { loadDefaultPolicy } from '../../policy';
import { printable } from '../../lib/printable';
import { UsageError, parseCommandLine, unknownCommand } from '../../lib/cliArgs';
import { endQuietlyWhenOutputCloses } from '../../lib/closedOutput';
import { dataDir, noAccordIn } from '../../lib/process';
import { REFUSAL_GROUNDS } from '../../vocabulary';
import { createDesk, type DeskGrantView, type DeskOutcome, type DeskRequestView } from './decide';
import { proceduresOfAct } from './deskProcedures';
import { deskFile, ensureGrantKey, grantKeyFile, openGrantStore } from './grantStore';
import { openRequestStore, REQUEST_STATES, type RequestEvent, type RequestState } from './requestStore';

const GROUNDS = REFUSAL_GROUNDS.map(
  (ground) => `  ${ground.code.padEnd(30)} ${ground.meaning} (${ground.source})`,
).join('\n');

export const USAGE = `usage: npm run desk -- <command> --country CC [options]

  list     [--state S] [--overdue]                               requests (overdue first) and grants;
           S: ${REQUEST_STATES.join(', ')}
  show     ID (or --request ID)                                  one request with its history
  approve  --officer ID --request ID --category C [--category C …] --days N
           [--evidence | --no-evidence]                          required when the request asks for
                                                                 evidentiary use
  refuse   --officer ID --request ID --ground CODE [--note TEXT]
  ask      --officer ID --request ID --question TEXT
  revoke   --officer ID --grant ID
  grounds                                                        the refusal grounds

Refusal grounds (--ground):
${GROUNDS}

ACCORD_DATA_DIR selects the data folder (default data/).`;

export interface DeskIo {
  out(text: string): void;
  err(text: string): void;
  /** The data folder holding <cc>-desk.sqlite and desk/<cc>-grant-key.pem. */
  readonly dataDir: string;
  readonly now?: () => number;
  /**
   * Each act's audit records (audit/recordProcedure.ts), built while the stores are open; the process
   * entry below appends them to the owner's audit log. Absent: nothing is recorded (tests of the desk alone).
   */
  readonly onProcedures?: (records: readonly ProcedureRecord[]) => void;
}

function requestLine(r: DeskRequestView): string {
  const pending =
    r.pendingApprovals.length > 0
      ? `  approved by ${r.pendingApprovals.map((a) => a.by).join(', ')}, waits for a second officer`
      : '';
  return [
    r.overdue ? 'OVERDUE' : '       ',
    r.id,
    r.state.padEnd(14),
    `due ${new Date(r.dueAt).toISOString()}`,
    `${r.requesterCountry}/${printable(r.analyst)}`,
    `case ${printable(r.caseReference)}`,
    `${r.agreement}/${r.clauses.join(',')}`,
    `subjects ${r.subjects.join(',')}`,
    `categories ${r.categories.join(',')}`,
    r.ground ? `ground ${r.ground}` : '',
  ]
    .filter((part) => part !== '')
    .join('  ')
    .concat(pending);
}

function grantLine(g: DeskGrantView): string {
  return [
    g.status.padEnd(13),
    g.id,
    `${g.requesterCountry}/${g.analysts.map((a) => printable(a)).join(',')}`,
    `case ${printable(g.caseReference)}`,
    `${g.agreement}/${g.clauses.join(',')}`,
    `subjects ${g.subjects.join(',')}`,
    `categories ${g.categories.join(',')}`,
    `${new Date(g.validFrom).toISOString()} → ${new Date(g.validUntil).toISOString()}`,
    g.evidentiaryUse ? 'evidence' : 'intelligence only',
    `approved by ${g.approvedBy.join(' and ')}`,
    g.revokedBy ? `revoked by ${g.revokedBy}` : '',
  ]
    .filter((part) => part !== '')
    .join('  ');
}

function eventLine(e: RequestEvent): string {
  const parts = [new Date(e.at).toISOString(), printable(e.by), e.act];
  if (e.approval)
    parts.push(
      `${e.approval.categories.join(',')} for ${e.approval.validDays} days${e.approval.evidentiaryUse ? ', evidence' : ', intelligence only'}`,
    );
  if (e.ground) parts.push(`ground ${e.ground}`);
  // Whatever a requester or an officer wrote cannot write on the terminal (lib/printable.ts).
  if (e.text) parts.push(`"${printable(e.text)}"`);
  return `  ${parts.join('  ')}`;
}

function showRequest(r: DeskRequestView): string {
  return [
    requestLine(r),
    `  authority   ${printable(r.authority)}`,
    `  offences    ${r.offences.map((o) => printable(o)).join('; ')}`,
    `  facts       ${printable(r.facts)}`,
    `  purpose     ${r.purpose}; intended use ${r.intendedUse}; urgency ${r.urgency}${r.urgencyGrounds ? ` (${printable(r.urgencyGrounds)})` : ''}`,
    `  confidential ${printable(r.confidentiality)}`,
    '  history:',
    ...r.events.map(eventLine),
  ].join('\n');
}

/**
 * Why this folder cannot be the member's desk, or undefined when it can: the member's service makes its
 * desk store when it first starts (subgraphs/reference/run.ts). Opening the stores would create an empty
 * desk in a folder no Accord runs in, and an approval there would issue a grant nobody reads.
 */
function missingDesk(country: string, folder: string): string | undefined {
  const file = deskFile(country, folder);
  return existsSync(file) ? undefined : noAccordIn(folder, `${country}'s desk (${basename(file)})`);
}

/** The commands that work on the stores (`grounds` and `help` only print). */
const COMMANDS = ['list', 'show', 'approve', 'refuse', 'ask', 'revoke'];

export function deskCommand(argv: readonly string[], io: DeskIo): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    if (command === undefined) io.err(USAGE);
    else io.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === 'grounds') {
    io.out(GROUNDS);
    return 0;
  }
  const usage = (message: string): number => {
    io.err(`${message}\n\n${USAGE}`);
    return 2;
  };
  if (!COMMANDS.includes(command))
    return usage(printable(unknownCommand(command, [...COMMANDS, 'grounds', 'help']).message));
  let values;
  let positionals: readonly string[];
  try {
    ({ values, positionals } = parseCommandLine(rest, {
      options: {
        country: { type: 'string' },
        officer: { type: 'string' },
        request: { type: 'string' },
        grant: { type: 'string' },
        category: { type: 'string', multiple: true },
        days: { type: 'string' },
        evidence: { type: 'boolean' },
        'no-evidence': { type: 'boolean' },
        ground: { type: 'string' },
        note: { type: 'string' },
        question: { type: 'string' },
        state: { type: 'string' },
        overdue: { type: 'boolean' },
      },
      positionals: command === 'show',
    }));
  } catch (error) {
    if (error instanceof UsageError) return usage(printable(error.message));
    throw error;
  }
  const policy = loadDefaultPolicy();
  const country = values.country?.toUpperCase();
  if (!country || !policy.set.members.some((m) => m.code === country))
    return usage(`--country must be a member (${policy.set.members.map((m) => m.code).join(', ')})`);
  const needs = (...names: (keyof typeof values)[]): string | undefined => {
    const missing = names.filter((name) => values[name] === undefined);
    return missing.length > 0
      ? `${command} needs ${missing.map((name) => `--${name}`).join(', ')}`
      : undefined;
  };
  const missing =
    command === 'approve'
      ? needs('officer', 'request', 'category', 'days')
      : command === 'refuse'
        ? needs('officer', 'request', 'ground')
        : command === 'ask'
          ? needs('officer', 'request', 'question')
          : command === 'revoke'
            ? needs('officer', 'grant')
            : undefined;
  if (missing !== undefined) return usage(missing);
  if (values.state !== undefined && !REQUEST_STATES.includes(values.state as RequestState))
    return usage(`--state must be one of ${REQUEST_STATES.join(', ')}`);
  if (values.days !== undefined && !/^\d{1,4}$/.test(values.days))
    return usage(`--days must be a whole number of days, not ${JSON.stringify(printable(values.days))}`);
  const noDesk = missingDesk(country, io.dataDir);
  if (noDesk !== undefined) {
    io.err(noDesk);
    return 2;
  }

  const requests = openRequestStore({ owner: country, file: deskFile(country, io.dataDir) });
  const grants = openGrantStore({
    owner: country,
    file: deskFile(country, io.dataDir),
    key: ensureGrantKey(grantKeyFile(country, io.dataDir)),
  });
  // Desk acts from the command line join the owner's audit log (runDeskProcess appends them).
  const onProcedures = io.onProcedures;
  const desk = createDesk({
    owner: country,
    policy,
    requests,
    grants,
    ...(io.now !== undefined && { now: io.now }),
    ...(onProcedures !== undefined && {
      onAct: (act) =>
        onProcedures(
          proceduresOfAct(act, country, { request: (id) => requests.get(id), grant: (id) => grants.get(id) }),
        ),
    }),
  });
  const officer = { country, id: values.officer ?? '' };
  const report = <T extends { message: string }>(outcome: DeskOutcome<T>): number => {
    if (!outcome.ok) {
      const message = printable(outcome.error.message);
      io.err(message.includes('nothing changed') ? message : `${message}; nothing changed`);
      return 1;
    }
    io.out(outcome.message);
    return 0;
  };
  try {
    switch (command) {
      case 'list': {
        const listed = desk.listRequests({
          ...(values.state !== undefined && { state: values.state as RequestState }),
          ...(values.overdue === true && { overdue: true }),
        });
        io.out(`Requests (${listed.length}, ${listed.filter((r) => r.overdue).length} overdue):`);
        for (const request of listed) io.out(requestLine(request));
        const issued = desk.listGrants();
        io.out(`Grants (${issued.length}):`);
        for (const grant of issued) io.out(grantLine(grant));
        return 0;
      }
      case 'show': {
        const id = values.request ?? positionals[0];
        if (id === undefined || positionals.length > 1) return usage('show needs one request id');
        const request = desk.getRequest(id);
        if (request === undefined) {
          io.err(`no request ${printable(id)} at ${country}'s desk`);
          return 1;
        }
        io.out(showRequest(request));
        return 0;
      }
      case 'approve': {
        const request = desk.getRequest(values.request!);
        const choice = evidenceChoice(values.evidence === true, values['no-evidence'] === true, request);
        if (typeof choice === 'string') return usage(choice);
        const evidentiaryUse = choice;
        return report(
          desk.approve(values.request!, officer, {
            categories: values.category ?? [],
            validDays: Number(values.days),
            evidentiaryUse,
          }),
        );
      }
      case 'refuse': {
        const outcome = desk.refuse(values.request!, officer, values.ground!, values.note);
        if (
          !outcome.ok &&
          outcome.error.kind === 'invalid' &&
          !REFUSAL_GROUNDS.some((g) => g.code === values.ground)
        ) {
          io.err(
            `not refused, nothing changed: "${printable(values.ground!)}" is not a refusal ground. Use one of:\n${GROUNDS}`,
          );
          return 1;
        }
        return report(outcome);
      }
      case 'ask':
        return report(desk.ask(values.request!, officer, values.question!));
      case 'revoke':
        return report(desk.revoke(values.grant!, officer));
      default:
        return usage(`unknown command "${printable(command)}"`);
    }
  } finally {
    requests.close();
    grants.close();
  }
}

/**
 * Whether the approval allows evidentiary use: the officer's explicit choice when the request asks for it
 * (never a default: allowing evidence is a decision of its own), intelligence use otherwise. `--evidence`
 * on a request for intelligence reaches the desk, which refuses it as more than was requested. A string is
 * the usage error.
 */
function evidenceChoice(
  evidence: boolean,
  noEvidence: boolean,
  request: DeskRequestView | undefined,
): boolean | string {
  if (evidence && noEvidence) return 'approve takes --evidence or --no-evidence, not both';
  if (evidence) return true;
  if (noEvidence || request?.intendedUse !== 'evidence') return false;
  return `request ${printable(request.id)} asks for evidentiary use: approve with --evidence to allow it, or --no-evidence for intelligence use only; nothing changed`;
}

const ACTS = new Set(['approve', 'refuse', 'ask', 'revoke']);

/**
 * `npm run desk` as a process: an act (approve, refuse, ask, revoke) is recorded in the owner's audit log
 * as the desk's own chain `<cc>-desk` beside the owner's (ACCORD_AUDIT_URL, default `<data>/audit/<cc>.db`,
 * as the services open theirs). The log is opened before the act, so a log that cannot be opened changes
 * nothing. A grant whose issue cannot then be recorded is withdrawn from the instant it was issued: no
 * grant opens data that nobody could account for. With ACCORD_AUDIT=off (development only) the act is not
 * recorded, and the desk says so.
 */
async function runDeskProcess(argv: readonly string[], io: DeskIo): Promise<number> {
  const peeked = parseArgs({
    args: [...argv],
    options: { country: { type: 'string' } },
    strict: false,
    allowPositionals: true,
  }).values['country'];
  const country = typeof peeked === 'string' ? peeked.toUpperCase() : undefined;
  // No audit log is opened (and so created) in a folder that holds no desk: deskCommand refuses it.
  if (
    !ACTS.has(argv[0] ?? '') ||
    country === undefined ||
    !loadDefaultPolicy().set.members.some((m) => m.code === country) ||
    missingDesk(country, io.dataDir) !== undefined
  )
    return deskCommand(argv, io);
  let opened;
  try {
    opened = await openAuditLogFromEnv({
      instance: `${country.toLowerCase()}-desk`,
      logOf: country.toLowerCase(),
      dataDir: io.dataDir,
      env: process.env,
    });
  } catch (error) {
    io.err(
      `${country}'s audit log cannot be opened (${printable((error as Error).message)}); nothing changed`,
    );
    return 1;
  }
  const records: ProcedureRecord[] = [];
  try {
    const code = deskCommand(argv, { ...io, onProcedures: (acts) => records.push(...acts) });
    if (opened.log === undefined) {
      if (records.length > 0) io.err(`note: ${opened.summary}; this desk act is not recorded`);
      return code;
    }
    for (const record of records) {
      try {
        await recordProcedure(opened.log, record);
      } catch (error) {
        const issued = records.find((r) => r.act === 'grant.issued');
        if (issued?.grantId !== undefined) {
          const grants = openGrantStore({
            owner: country,
            file: deskFile(country, io.dataDir),
            key: ensureGrantKey(grantKeyFile(country, io.dataDir)),
          });
          try {
            grants.revoke(issued.grantId, Number(new Date(issued.validFrom ?? Date.now())), issued.actor.id);
          } finally {
            grants.close();
          }
        }
        io.err(
          `${record.act} could not be recorded in ${country}'s audit log (${printable((error as Error).message)})` +
            (issued?.grantId !== undefined
              ? `; grant ${issued.grantId} was withdrawn and opens nothing`
              : '; the act stands, unrecorded'),
        );
        return 1;
      }
    }
    return code;
  } finally {
    await opened.log?.close();
  }
}

if (require.main === module) {
  endQuietlyWhenOutputCloses();
  runDeskProcess(process.argv.slice(2), {
    out: (text) => console.log(text),
    err: (text) => console.error(text),
    dataDir: dataDir(),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error('desk: unexpected failure:', error);
      process.exitCode = 1;
    },
  );
}
