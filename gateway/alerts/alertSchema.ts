import {
  GraphQLError,
  buildSchema,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { IDENTIFIER_KINDS, MAX_WATCH_DAYS, WatchError, createWatch } from '../../alerts';
import { accordError, ERROR_CODES } from '../../schema';
import { ALERT_ACTIONS, ALERT_ACTION_MEANINGS, PURPOSES, isAlertAction } from '../../vocabulary';
import type { AlertApi, AlertContext } from './alertApi';
import type { WatchOutcome, WatchRequestInput } from './alertBackend';
import { AlertBackendError, backendGraphQLError, badCursorError } from './AlertBackendError';
import { recordAcknowledgement, recordDelivery } from './alertAudit';
import { acknowledgementView, alertView, watchView } from './alertView';
import { alertStream, type StreamEvent } from './alertStream';
import { acknowledgeable, deliveryVerdict } from './deliveryCheck';

/** The most entries `alertsSince` returns in one page, and its default. */
export const MAX_ALERT_PAGE = 100;
export const DEFAULT_ALERT_PAGE = 50;

const actionValues = ALERT_ACTIONS.map(
  (action) => `  """${ALERT_ACTION_MEANINGS[action]}"""\n  ${action}`,
).join('\n');

/**
 * The alert API's schema (docs/decisions/0019-alert-delivery.md), a graphql-js schema of its own: the
 * supergraph is executed by @apollo/gateway, which runs no subscriptions. Its enums are derived from the
 * vocabulary (purposes, acknowledgement actions) and from alerts/ (identifier kinds), never listed here.
 */
export const ALERT_SDL = `"""The gateway's alert API: watches, the alerts they give, and what the analyst did about them."""
schema {
  query: Query
  mutation: Mutation
  subscription: Subscription
}

type Query {
  """The analyst's own watches, newest first, running or not."""
  watches: [Watch!]!
  """
  The analyst's alerts after a cursor (none: from the start of the log), at most \`limit\` (1 to ${MAX_ALERT_PAGE}, default ${DEFAULT_ALERT_PAGE}).
  Each is checked as the stream checks it; the page's cursor is where to read on from.
  """
  alertsSince(after: String, limit: Int = ${DEFAULT_ALERT_PAGE}): AlertPage!
}

type Mutation {
  """Registers a watch: the analyst's member keeps it and sends each member what its rules allow."""
  registerWatch(input: WatchInput!): WatchRegistration!
  """Renews a running watch for \`days\` (1 to ${MAX_WATCH_DAYS}) from now, with a new justification."""
  renewWatch(id: ID!, justification: String!, days: Int!): WatchRegistration!
  """Cancels a watch: its recipients drop it, and its notices are no longer delivered."""
  cancelWatch(id: ID!): WatchRegistration!
  """Records what the analyst did about an alert of theirs; acknowledging twice keeps the first."""
  acknowledgeAlert(owner: String!, noticeId: ID!, action: AlertAction!): Acknowledgement!
}

type Subscription {
  """
  The analyst's alerts: replayed after \`after\` (or the Last-Event-ID header; \`after\` wins), then as they come.
  Over Server-Sent Events (graphql-sse, distinct connections); each event's id is the alert's cursor.
  """
  alerts(after: String): Alert!
}

"""What a watch asks for: its case, purpose, identifiers (1 to 20), why, and for how many days (1 to ${MAX_WATCH_DAYS})."""
input WatchInput {
  caseReference: String!
  purpose: Purpose!
  identifiers: [IdentifierInput!]!
  justification: String!
  days: Int!
}

"""
One identifier: passport and document take number and issuingCountry; phone takes number (and country for a
national number); account takes number; messenger takes app and handle; record takes id.
"""
input IdentifierInput {
  kind: IdentifierKind!
  number: String
  issuingCountry: String
  country: String
  app: String
  handle: String
  id: ID
}

enum IdentifierKind {
${IDENTIFIER_KINDS.map((kind) => `  ${kind}`).join('\n')}
}

enum Purpose {
${PURPOSES.map((purpose) => `  ${purpose}`).join('\n')}
}

"""What the analyst did about an alert."""
enum AlertAction {
${actionValues}
}

"""A watch as the alliance's register holds it: references only (its identifiers stay with the members)."""
type Watch {
  id: ID!
  caseReference: String!
  purpose: Purpose!
  createdAt: String!
  justifiedAt: String
  expiresAt: String!
  cancelledAt: String
  running: Boolean!
  """The members the watch went to, by the watcher's own rules: says nothing of anyone's records."""
  recipients: [String!]!
}

type WatchRegistration {
  watch: Watch!
  """Members the watch should have reached and did not: renew it (renewWatch) to send it to them again."""
  unreached: [String!]!
  """
  Set when a running watch went to no member at all, and why, by the watcher's own rules: no alert can come
  of it. Null otherwise.
  """
  warning: String
}

type AlertPage {
  alerts: [Alert!]!
  """
  Where to read on from: the last alert delivered, or the cursor given when none was (null from the start).
  A notice that is not delivered moves it not.
  """
  cursor: String
}

"""An owner's notice that a record matching a watch changed: references only, signed by the owner."""
type Alert {
  """The alert's place in the log: pass it as \`after\` (or Last-Event-ID) to read on from it."""
  cursor: String!
  owner: String!
  noticeId: ID!
  watchId: ID!
  event: String!
  """When the owner emitted the notice (ISO 8601 UTC)."""
  at: String!
  """The global id of the record the identifier was found on: ask it through /graphql, as any record."""
  subject: ID!
  eventReference: String!
  basis: [AlertBasis!]!
  revision: String!
  acknowledged: Boolean!
  signature: NoticeSignature!
}

"""A clause that let the owner tell the watcher of the hit or of the event."""
type AlertBasis {
  category: String!
  agreement: String!
  clause: String!
}

"""The owner's Ed25519 signature (base64) over \`signedBytes\`, the notice's canonical JSON as it signed it."""
type NoticeSignature {
  algorithm: String!
  value: String!
  signedBytes: String!
}

type Acknowledgement {
  owner: String!
  noticeId: ID!
  action: AlertAction!
  at: String!
}
`;

type Resolver = GraphQLFieldResolver<unknown, AlertContext, Record<string, unknown>>;

/** The schema with its resolvers, over one gateway's alert API. */
export function alertSchema(api: AlertApi): GraphQLSchema {
  const schema = buildSchema(ALERT_SDL);
  const query = schema.getQueryType()!;
  const mutation = schema.getMutationType()!;
  const subscription = schema.getSubscriptionType()!;
  resolve(query, 'watches', async (_, __, { caller }) => {
    const at = api.now();
    const watches = await backend(() => api.backend.watches(caller));
    return [...watches].sort((a, b) => b.createdAt - a.createdAt).map((watch) => watchView(watch, at));
  });
  resolve(query, 'alertsSince', async (_, args, context) => {
    const limit = args['limit'] as number;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_ALERT_PAGE)
      throw accordError(
        ERROR_CODES.BAD_USER_INPUT,
        `limit must be a whole number from 1 to ${MAX_ALERT_PAGE}, not ${limit}.`,
        { argument: 'limit' },
      );
    const after = cursorArgument(args['after']);
    const at = api.now();
    const alerts = [];
    // The page's cursor is the last alert delivered (or the one sent): a notice not delivered moves it
    // not, so the analyst cannot tell that one came. Undelivered notices do not shorten the page either:
    // the log is read on until `limit` are delivered or it has no more.
    let cursor = after;
    let read = after;
    while (alerts.length < limit) {
      const from = read;
      const page = await backend(() =>
        api.backend.readLog(context.caller, { after: from, limit: limit - alerts.length, waitMs: 0 }),
      );
      if (page.entries.length === 0) break;
      for (const entry of page.entries) {
        if (deliveryVerdict(entry, context.caller.requester, api.policy, at) !== 'deliver') continue;
        await recordDelivery(api.audit, context.caller, entry, api.logger);
        alerts.push(alertView(entry));
        cursor = entry.cursor;
      }
      read = page.cursor ?? page.entries.at(-1)!.cursor;
    }
    return { alerts, cursor };
  });
  resolve(mutation, 'registerWatch', async (_, args, { caller }) => {
    const input = watchRequest(args['input']);
    // Every problem at once, and nothing sent anywhere, before the watcher's member is asked.
    try {
      createWatch(input, caller.requester, api.now());
    } catch (error) {
      if (error instanceof WatchError) throw badInput('The watch was not registered', error.problems);
      throw error;
    }
    return registration(api, await backend(() => api.backend.registerWatch(caller, input)));
  });
  resolve(mutation, 'renewWatch', async (_, args, { caller }) => {
    const days = args['days'] as number;
    if (days < 1 || days > MAX_WATCH_DAYS)
      throw badInput('The watch was not renewed', [
        `days: must be a whole number of days from 1 to ${MAX_WATCH_DAYS}`,
      ]);
    const id = args['id'] as string;
    const justification = args['justification'] as string;
    return registration(api, await backend(() => api.backend.renewWatch(caller, id, justification, days)));
  });
  resolve(mutation, 'cancelWatch', async (_, args, { caller }) =>
    registration(api, await backend(() => api.backend.cancelWatch(caller, args['id'] as string))),
  );
  resolve(mutation, 'acknowledgeAlert', async (_, args, { caller }) => {
    const action = args['action'];
    if (!isAlertAction(action)) throw new Error('invariant: the AlertAction enum is the vocabulary list');
    // Only a notice the analyst was entitled to is acknowledged (gateway/alerts/deliveryCheck.ts
    // acknowledgeable): emitted while its watch ran, its basis still holding. Any other is answered as one
    // that does not exist, and nothing is recorded: an acknowledgement never confirms what delivery would
    // withhold (a notice id is computable from the watch and the owner's numbered events).
    const entry = await backend(() =>
      api.backend.notice(caller, args['owner'] as string, args['noticeId'] as string),
    );
    if (!entry || !acknowledgeable(entry, caller.requester, api.policy, api.now()))
      throw accordError(ERROR_CODES.NOT_FOUND, 'No such alert of yours.');
    const acknowledgement = await backend(() =>
      api.backend.acknowledge(caller, {
        owner: args['owner'] as string,
        noticeId: args['noticeId'] as string,
        action,
      }),
    );
    await recordAcknowledgement(api.audit, caller, acknowledgement, api.logger);
    return acknowledgementView(acknowledgement);
  });
  const alerts = subscription.getFields()['alerts']!;
  alerts.subscribe = (_, args: Record<string, unknown>, context: AlertContext) =>
    alertStream(api, context, cursorArgument(args['after']) ?? cursorArgument(context.lastEventId));
  alerts.resolve = (event: StreamEvent) => {
    if ('end' in event) throw event.end;
    return event.alert;
  };
  return schema;
}

function resolve(type: GraphQLObjectType, field: string, resolver: Resolver): void {
  const definition = type.getFields()[field];
  if (!definition) throw new Error(`invariant: the alert schema has no ${type.name}.${field}`);
  definition.resolve = resolver;
}

function registration(api: AlertApi, outcome: WatchOutcome) {
  const watch = watchView(outcome.watch, api.now());
  return {
    watch,
    unreached: [...outcome.unreached].sort(),
    warning:
      watch.running && watch.recipients.length === 0 && outcome.unreached.length === 0
        ? wentNowhere(watch.purpose, watch.expiresAt)
        : null,
  };
}

/**
 * Why a watch went to no member, in terms of the watcher's own rules only: the watcher's member decided
 * where it goes (docs/decisions/0019-alert-delivery.md, step 2), and nothing here may hint at anyone's
 * records.
 */
export function wentNowhere(purpose: string, expiresAt: string): string {
  return (
    `This watch went to no member: the rules your country applies to sending a watch's identifiers ` +
    `(the agreements in force, for the purpose ${purpose}) let none of them go to another member's ` +
    `matching service, so no alert can come of it. It is registered and runs until ${expiresAt}: cancel ` +
    `it (cancelWatch; from the command line, accord alerts cancel with its id), or register one for ` +
    `another purpose or with other identifiers.`
  );
}

/**
 * A cursor as the client sent it (`after:` or Last-Event-ID): opaque, but short and printable, or refused
 * as the hub refuses a cursor it cannot take (BAD_CURSOR_MESSAGE).
 */
function cursorArgument(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' && CURSOR.test(value)) return value;
  throw backendGraphQLError(badCursorError());
}

/** What the hub's cursors look like, with room to change: up to 64 letters, digits, '.', '_', ':' or '-'. */
export const CURSOR = /^[A-Za-z0-9._:-]{1,64}$/;

/** The GraphQL input as the plain watch request alerts/watch.ts reads: absent fields left out. */
function watchRequest(input: unknown): WatchRequestInput {
  const { identifiers, ...rest } = input as Record<string, unknown> & { identifiers: unknown[] };
  return {
    ...(rest as Omit<WatchRequestInput, 'identifiers'>),
    identifiers: identifiers.map((identifier) =>
      Object.fromEntries(
        Object.entries(identifier as Record<string, unknown>).filter(
          ([, value]) => value !== null && value !== undefined,
        ),
      ),
    ) as WatchRequestInput['identifiers'],
  };
}

function badInput(what: string, problems: readonly string[]): GraphQLError {
  return accordError(ERROR_CODES.BAD_USER_INPUT, `${what}: ${problems.join('; ')}.`, { problems });
}

/** A backend call whose refusals the analyst is told of, coded; anything else is masked at the boundary. */
async function backend<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AlertBackendError) throw backendGraphQLError(error);
    throw error;
  }
}
