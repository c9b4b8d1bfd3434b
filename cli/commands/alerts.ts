import { MEMBERS } from '../../schema/members';
import { ALERT_ACTIONS, IDENTIFIER_KINDS, PURPOSES, nearestNames } from '../../vocabulary';
import { optionsNotTaken } from '../../lib/cliArgs';
import { UsageError } from '../CliError';
import type { CommandSpec, ParsedLine } from '../commandLine';
import { GATEWAY_OPTIONS, GATEWAY_USAGE } from '../commonOptions';
import { checkPurpose } from '../declaration';
import { gatewayUrl, postOperation } from '../gateway';
import type { Io } from '../io';
import { answerExitCode } from '../outcome';
import { errorLines, table } from '../render';
import { loadSession } from '../session';

/**
 * `accord alerts`: the gateway's alert API (`/alerts`, docs/decisions/0019-alert-delivery.md) for the
 * logged-in analyst: register a watch, renew or cancel it, list one's watches, read one's alerts page by
 * page, acknowledge one. Purposes, actions, identifier kinds and owners are checked here against the
 * lists the API's enums are built from (vocabulary/, the registry), so a typo is answered before anything
 * is sent. The live stream is for clients that hold a connection open (docs/analysts.md, "Alerts").
 */
export const ALERTS: CommandSpec = {
  name: 'alerts',
  summary: 'your watches and alerts: watch, renew, cancel, list, since, ack',
  usage: `usage: accord alerts watch --case REF --purpose PURPOSE --identifier KIND:FIELD=VALUE,… --justification TEXT --days N
       accord alerts renew WATCH_ID --justification TEXT --days N
       accord alerts cancel WATCH_ID
       accord alerts list
       accord alerts since [--after=CURSOR] [--limit N]
       accord alerts ack OWNER NOTICE_ID ACTION

  watch          register a watch; --identifier once per identifier (1 to 20), e.g.
                 --identifier passport:number=M1234567,issuingCountry=KR  --identifier record:id=KH-SUS-000001
  renew          run a running watch of yours until N days from now, with a new justification; sends it
                 again to the members it did not reach
  cancel         cancel a watch of yours: its recipients drop it and no alert comes of it any more
  list           your watches, newest first, running or not, and where each went
  since          your alerts after a cursor (none: from the start); prints the command for the next page
  ack            record what you did about an alert (OWNER: the member that sent it; ACTION: one of
                 ${ALERT_ACTIONS.join(', ')}); an alert acknowledged before keeps its first action

  --case REF, --purpose PURPOSE, --justification TEXT, --days N   a watch's case, purpose, why, how long
                     (PURPOSE: one of ${PURPOSES.join(', ')})
  --after=CURSOR     read after this cursor (written with =)
  --limit N          at most N alerts (default 50)
${GATEWAY_USAGE}`,
  options: {
    ...GATEWAY_OPTIONS,
    case: { type: 'string' },
    purpose: { type: 'string' },
    identifier: { type: 'string', multiple: true },
    justification: { type: 'string' },
    days: { type: 'string' },
    after: { type: 'string' },
    limit: { type: 'string' },
  },
  positionals: {
    min: 0,
    max: 4,
    what: 'a subcommand (watch, renew, cancel, list, since or ack) and its arguments',
  },
};

/**
 * The flags each subcommand takes besides the gateway's (GATEWAY_OPTIONS). The command line reads every
 * flag of ALERTS.options for every subcommand, so one a subcommand does not use is refused here by name,
 * with the ones it takes, rather than read and dropped (`accord alerts list --days 3` lists nothing new).
 */
const SUBCOMMAND_FLAGS = {
  watch: ['case', 'purpose', 'identifier', 'justification', 'days'],
  renew: ['justification', 'days'],
  cancel: [],
  list: [],
  since: ['after', 'limit'],
  ack: [],
} as const satisfies Record<string, readonly (keyof typeof ALERTS.options)[]>;

const SUBCOMMANDS = Object.keys(SUBCOMMAND_FLAGS) as (keyof typeof SUBCOMMAND_FLAGS)[];

/** What registerWatch, renewWatch and cancelWatch answer, as `accord alerts` prints it. */
const REGISTRATION = '{ watch { id expiresAt cancelledAt running recipients } unreached warning }';

type Json = Readonly<Record<string, unknown>>;

export async function alerts(line: ParsedLine, io: Io): Promise<number> {
  const [sub, ...args] = line.positionals;
  const usage = (message: string) => new UsageError(message, 'alerts');
  const takes = (count: number, what: string) => {
    if (args.length !== count) throw usage(`accord alerts ${sub} takes ${what}.`);
  };
  // Checked here, not by the command line's count, so that `accord alerts --help` needs none.
  if (sub === undefined) throw usage(`accord alerts needs a subcommand: ${SUBCOMMANDS.join(', ')}.`);
  if (Object.hasOwn(SUBCOMMAND_FLAGS, sub)) {
    const taken = [
      ...SUBCOMMAND_FLAGS[sub as keyof typeof SUBCOMMAND_FLAGS],
      ...Object.keys(GATEWAY_OPTIONS),
    ];
    const notTaken = optionsNotTaken(`accord alerts ${sub}`, Object.keys(line.values), taken);
    if (notTaken !== undefined) throw usage(notTaken);
  }
  let operation: { query: string; variables: Record<string, unknown> };
  switch (sub) {
    case 'watch':
      takes(0, 'no argument, only flags');
      operation = {
        query: `mutation ($input: WatchInput!) { registerWatch(input: $input) ${REGISTRATION} }`,
        variables: { input: watchInput(line, usage) },
      };
      break;
    case 'renew': {
      takes(1, 'WATCH_ID (and --justification TEXT --days N)');
      const missing = ['justification', 'days'].filter((flag) => line.values[flag] === undefined);
      if (missing.length > 0)
        throw usage(`accord alerts renew needs ${missing.map((flag) => `--${flag}`).join(', ')}.`);
      operation = {
        query: `mutation ($id: ID!, $justification: String!, $days: Int!) { renewWatch(id: $id, justification: $justification, days: $days) ${REGISTRATION} }`,
        variables: {
          id: args[0],
          justification: line.values['justification'],
          days: wholeNumber(line.values['days'], '--days', usage),
        },
      };
      break;
    }
    case 'cancel':
      takes(1, 'WATCH_ID');
      operation = {
        query: `mutation ($id: ID!) { cancelWatch(id: $id) ${REGISTRATION} }`,
        variables: { id: args[0] },
      };
      break;
    case 'list':
      takes(0, 'no argument');
      operation = {
        query: '{ watches { id caseReference purpose expiresAt running recipients } }',
        variables: {},
      };
      break;
    case 'since': {
      takes(0, 'no argument (the cursor goes in --after=CURSOR)');
      const limit =
        line.values['limit'] === undefined ? 50 : wholeNumber(line.values['limit'], '--limit', usage);
      const after = stringValue(line.values['after']);
      if (after === '')
        throw usage(
          '--after=CURSOR needs a cursor (as `next:` printed it); without --after, from the start.',
        );
      operation = {
        query:
          'query ($after: String, $limit: Int) { alertsSince(after: $after, limit: $limit) { cursor alerts { cursor owner noticeId watchId event at subject eventReference acknowledged } } }',
        variables: { after: after ?? null, limit },
      };
      break;
    }
    case 'ack':
      takes(3, 'OWNER NOTICE_ID ACTION');
      operation = {
        query:
          'mutation ($owner: String!, $noticeId: ID!, $action: AlertAction!) { acknowledgeAlert(owner: $owner, noticeId: $noticeId, action: $action) { owner noticeId action at } }',
        variables: {
          owner: memberOf(args[0]!, usage),
          noticeId: args[1],
          action: oneOf(args[2]!, ALERT_ACTIONS, 'an action', 'actions', usage),
        },
      };
      break;
    default:
      throw usage(
        `${JSON.stringify(sub)} is not a subcommand of accord alerts; subcommands: ${SUBCOMMANDS.join(', ')}.`,
      );
  }
  const url = new URL(
    '/alerts',
    gatewayUrl(stringValue(line.values['gateway']), io.env, 'alerts'),
  ).toString();
  const session = loadSession(io.env, io.now());
  const answer = await postOperation(
    url,
    operation,
    { authorization: `Bearer ${session.token}` },
    { gatewayOnlyPath: true },
  );
  const code = answerExitCode(answer.body);
  if (line.values['json']) {
    io.out(JSON.stringify(answer.body));
    return code;
  }
  const lines = answer.body.data ? shown(sub, answer.body.data, operation.variables) : [];
  const errors = errorLines(answer.body);
  io.out([...lines, ...(lines.length > 0 && errors.length > 0 ? [''] : []), ...errors].join('\n'));
  return code;
}

function shown(sub: string, data: Json, asked: Record<string, unknown>): string[] {
  switch (sub) {
    case 'watch':
    case 'renew':
    case 'cancel': {
      const field = { watch: 'registerWatch', renew: 'renewWatch', cancel: 'cancelWatch' }[sub];
      const registered = data[field] as Json | null;
      if (!registered) return [];
      const watch = registered['watch'] as Json;
      const recipients = watch['recipients'] as string[];
      const unreached = registered['unreached'] as string[];
      const id = String(watch['id']);
      return [
        sub === 'cancel'
          ? `watch ${id} cancelled at ${String(watch['cancelledAt'])}`
          : `watch ${id} ${sub === 'watch' ? 'registered' : 'renewed'}, running until ${String(watch['expiresAt'])}`,
        `  sent to: ${recipients.length > 0 ? recipients.join(', ') : '(no member)'}`,
        ...(unreached.length > 0
          ? [
              `  not reached: ${unreached.join(', ')} (renewing the watch, accord alerts renew ${id}, sends it again)`,
            ]
          : []),
        ...(typeof registered['warning'] === 'string' ? [`  warning: ${registered['warning']}`] : []),
      ];
    }
    case 'list': {
      const watches = (data['watches'] as Json[] | null) ?? [];
      if (watches.length === 0) return ['No watches.'];
      return table(
        ['WATCH', 'CASE', 'PURPOSE', 'UNTIL', 'RUNNING', 'SENT TO'],
        watches.map((watch) => [
          String(watch['id']),
          String(watch['caseReference']),
          String(watch['purpose']),
          String(watch['expiresAt']),
          watch['running'] ? 'yes' : 'no',
          (watch['recipients'] as string[]).join(' ') || '(no member)',
        ]),
      ).split('\n');
    }
    case 'since': {
      const page = data['alertsSince'] as Json | null;
      if (!page) return [];
      const list = page['alerts'] as Json[];
      const cursor = page['cursor'];
      return [
        ...(list.length === 0
          ? ['No new alerts.']
          : table(
              ['AT', 'OWNER', 'EVENT', 'SUBJECT', 'NOTICE', 'ACKNOWLEDGED'],
              list.map((alert) => [
                String(alert['at']),
                String(alert['owner']),
                String(alert['event']),
                String(alert['subject']),
                String(alert['noticeId']),
                alert['acknowledged'] ? 'yes' : 'no',
              ]),
            ).split('\n')),
        ...(typeof cursor === 'string' ? ['', `next: accord alerts since --after=${cursor}`] : []),
      ];
    }
    case 'ack': {
      const ack = data['acknowledgeAlert'] as Json | null;
      if (!ack) return [];
      const alert = `${String(ack['owner'])} ${String(ack['noticeId'])}`;
      // Acknowledging twice keeps the first: an action other than the one asked is that first one.
      if (ack['action'] !== asked['action'])
        return [
          `${alert} was already acknowledged as ${String(ack['action'])} at ${String(ack['at'])}; ${String(asked['action'])} was not recorded (the first acknowledgement is kept).`,
        ];
      return [`${alert}: ${String(ack['action'])} (recorded ${String(ack['at'])})`];
    }
    default:
      throw new Error(`invariant: accord alerts has no subcommand ${sub}`);
  }
}

/** The watch as the alert API takes it, from the flags; every missing flag said at once. */
function watchInput(line: ParsedLine, usage: (message: string) => UsageError): Record<string, unknown> {
  const missing = ['case', 'purpose', 'identifier', 'justification', 'days'].filter(
    (flag) => line.values[flag] === undefined,
  );
  if (missing.length > 0)
    throw usage(`accord alerts watch needs ${missing.map((flag) => `--${flag}`).join(', ')}.`);
  const identifiers = (line.values['identifier'] as string[]).map((text) => identifierOf(text, usage));
  checkPurpose(line.values['purpose'] as string, 'alerts');
  return {
    caseReference: line.values['case'],
    purpose: line.values['purpose'],
    identifiers,
    justification: line.values['justification'],
    days: wholeNumber(line.values['days'], '--days', usage),
  };
}

/** `passport:number=M1234567,issuingCountry=KR` → `{ kind: 'passport', number: 'M1234567', issuingCountry: 'KR' }`. */
function identifierOf(text: string, usage: (message: string) => UsageError): Record<string, string> {
  const match = /^([a-z]+):(.+)$/.exec(text);
  const fields = match?.[2]!.split(',').map((pair) => /^([A-Za-z]+)=(.+)$/.exec(pair));
  if (!match || !fields || fields.some((field) => field === null))
    throw usage(
      `--identifier ${JSON.stringify(text)} is not KIND:FIELD=VALUE,… (e.g. passport:number=M1234567,issuingCountry=KR).`,
    );
  const kind = oneOf(match[1]!, IDENTIFIER_KINDS, 'an identifier kind', 'kinds', usage);
  return { kind, ...Object.fromEntries(fields.map((field) => [field![1]!, field![2]!])) };
}

/** `value` if it is in `list`, else a UsageError naming the nearest and the whole list. */
function oneOf(
  value: string,
  list: readonly string[],
  what: string,
  whats: string,
  usage: (message: string) => UsageError,
): string {
  if (list.includes(value)) return value;
  const near = nearestNames(value, list);
  throw usage(
    `${JSON.stringify(value)} is not ${what}${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}; ${whats}: ${list.join(', ')}.`,
  );
}

/** A member's code, upper-cased, from the registry, or a UsageError listing the members. */
function memberOf(text: string, usage: (message: string) => UsageError): string {
  const code = text.toUpperCase();
  const members = MEMBERS.map((member) => member.code);
  if (members.includes(code)) return code;
  const near = nearestNames(code, members);
  throw usage(
    `${JSON.stringify(text)} is not a member${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}; members: ${members.join(', ')}.`,
  );
}

function wholeNumber(value: unknown, flag: string, usage: (message: string) => UsageError): number {
  if (typeof value !== 'string' || !/^[0-9]{1,6}$/.test(value))
    throw usage(`${flag} must be a whole number, not ${JSON.stringify(value)}.`);
  return Number(value);
}

function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
