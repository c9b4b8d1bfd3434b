import { ALERT_ACTIONS, PURPOSES } from '../../vocabulary';
import { UsageError } from '../CliError';
import type { CommandSpec, ParsedLine } from '../commandLine';
import { GATEWAY_OPTIONS, GATEWAY_USAGE } from '../commonOptions';
import { gatewayUrl, postOperation } from '../gateway';
import type { Io } from '../io';
import { answerExitCode } from '../outcome';
import { errorLines, table } from '../render';
import { loadSession } from '../session';

/**
 * `accord alerts`: the gateway's alert API (`/alerts`, docs/decisions/0019-alert-delivery.md) for the
 * logged-in analyst: register a watch, list one's watches, read one's alerts page by page, acknowledge
 * one. The live stream is for clients that hold a connection open (docs/analysts.md, "Alerts").
 */
export const ALERTS: CommandSpec = {
  name: 'alerts',
  summary: 'your watches and alerts: watch, list, since, ack',
  usage: `usage: accord alerts watch --case REF --purpose PURPOSE --identifier KIND:FIELD=VALUE,… --justification TEXT --days N
       accord alerts list
       accord alerts since [--after=CURSOR] [--limit N]
       accord alerts ack OWNER NOTICE_ID ACTION

  watch          register a watch; --identifier once per identifier (1 to 20), e.g.
                 --identifier passport:number=M1234567,issuingCountry=KR  --identifier record:id=KH-SUS-000001
  list           your watches, newest first, running or not, and where each went
  since          your alerts after a cursor (none: from the start); prints the command for the next page
  ack            record what you did about an alert (ACTION: one of ${ALERT_ACTIONS.join(', ')})

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
  positionals: { min: 0, max: 4, what: 'a subcommand (watch, list, since or ack) and its arguments' },
};

const SUBCOMMANDS = ['watch', 'list', 'since', 'ack'] as const;

type Json = Readonly<Record<string, unknown>>;

export async function alerts(line: ParsedLine, io: Io): Promise<number> {
  const [sub, ...args] = line.positionals;
  const usage = (message: string) => new UsageError(message, 'alerts');
  const takes = (count: number, what: string) => {
    if (args.length !== count) throw usage(`accord alerts ${sub} takes ${what}.`);
  };
  // Checked here, not by the command line's count, so that `accord alerts --help` needs none.
  if (sub === undefined) throw usage(`accord alerts needs a subcommand: ${SUBCOMMANDS.join(', ')}.`);
  let operation: { query: string; variables: Record<string, unknown> };
  switch (sub) {
    case 'watch':
      takes(0, 'no argument, only flags');
      operation = {
        query:
          'mutation ($input: WatchInput!) { registerWatch(input: $input) { watch { id expiresAt recipients } unreached warning } }',
        variables: { input: watchInput(line, usage) },
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
      operation = {
        query:
          'query ($after: String, $limit: Int) { alertsSince(after: $after, limit: $limit) { cursor alerts { cursor owner noticeId watchId event at subject eventReference acknowledged } } }',
        variables: { after: stringValue(line.values['after']) ?? null, limit },
      };
      break;
    }
    case 'ack':
      takes(3, 'OWNER NOTICE_ID ACTION');
      operation = {
        query:
          'mutation ($owner: String!, $noticeId: ID!, $action: AlertAction!) { acknowledgeAlert(owner: $owner, noticeId: $noticeId, action: $action) { owner noticeId action at } }',
        variables: { owner: args[0], noticeId: args[1], action: args[2] },
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
  const answer = await postOperation(url, operation, { authorization: `Bearer ${session.token}` });
  const code = answerExitCode(answer.body);
  if (line.values['json']) {
    io.out(JSON.stringify(answer.body));
    return code;
  }
  const lines = answer.body.data ? shown(sub, answer.body.data) : [];
  const errors = errorLines(answer.body);
  io.out([...lines, ...(lines.length > 0 && errors.length > 0 ? [''] : []), ...errors].join('\n'));
  return code;
}

function shown(sub: string, data: Json): string[] {
  switch (sub) {
    case 'watch': {
      const registered = data['registerWatch'] as Json | null;
      if (!registered) return [];
      const watch = registered['watch'] as Json;
      const recipients = watch['recipients'] as string[];
      const unreached = registered['unreached'] as string[];
      return [
        `watch ${String(watch['id'])} registered, running until ${String(watch['expiresAt'])}`,
        `  sent to: ${recipients.length > 0 ? recipients.join(', ') : '(no member)'}`,
        ...(unreached.length > 0
          ? [`  not reached: ${unreached.join(', ')} (renewing the watch, renewWatch, sends it again)`]
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
      return ack
        ? [
            `${String(ack['owner'])} ${String(ack['noticeId'])}: ${String(ack['action'])} (recorded ${String(ack['at'])})`,
          ]
        : [];
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
  return { kind: match[1]!, ...Object.fromEntries(fields.map((field) => [field![1]!, field![2]!])) };
}

function wholeNumber(value: unknown, flag: string, usage: (message: string) => UsageError): number {
  if (typeof value !== 'string' || !/^[0-9]{1,6}$/.test(value))
    throw usage(`${flag} must be a whole number, not ${JSON.stringify(value)}.`);
  return Number(value);
}

function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
