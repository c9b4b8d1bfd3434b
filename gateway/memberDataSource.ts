import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GraphQLError } from 'graphql';
import { MEMBERS, HUB_NAME, type Member, ERROR_CODES, accordError } from '../schema';
import type { Logger } from '../lib/logger';
import { requestContextHeaders, type RequestContext } from '../policy';
import { AUDIT_CONTEXT_KEYS, type GatewaySigner } from '../trust';
import { parseOwnerReport } from '../audit';
import { noteReleases, type GatewayContext } from './requestState';
import { decisionIdFor } from './consultation';
import { ABSENCE, standIns, type Absence } from './recordPresence';
import { noteHits } from './hits';

type GatewayGraphQLResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;
export type Fetcher = NonNullable<
  NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher']
>;

/** Why a member's answer could not be used; shown to the analyst, in words, without any address. */
export type UnavailableReason = 'timeout' | 'unreachable' | 'http_error' | 'invalid_response';

const REASON_TEXT: Record<UnavailableReason, (timeoutMs: number) => string> = {
  timeout: (ms) => `it did not answer within ${ms} ms`,
  unreachable: () => 'it could not be reached',
  http_error: () => 'it refused the request',
  invalid_response: () => 'its answer was not a valid GraphQL response',
};

/** "KH (Kingdom of Cambodia)" for a member's subgraph; "the alliance hub" for the hub. */
export function describeSubgraph(name: string, members: readonly Member[] = MEMBERS): SubgraphIdentity {
  if (name === HUB_NAME) return { name, label: 'the alliance hub' };
  const member = members.find((m) => m.code.toLowerCase() === name);
  return member
    ? { name, label: `${member.code} (${member.name})`, country: member.code }
    : { name, label: name };
}

export interface MemberDataSourceOptions {
  /** Deadline of every call. */
  readonly timeoutMs: number;
  readonly logger: Logger;
  readonly fetcher: Fetcher;
  readonly signer: GatewaySigner;
  /** The revision of the agreement set the gateway decides with; every token carries it. */
  readonly revision: string;
  readonly onCall?: (call: SubgraphCall) => void;
}

/** One subgraph call as the gateway saw it. */
export interface SubgraphCall {
  readonly subgraph: string;
  readonly ms: number;
  readonly ok: boolean;
}

export interface SubgraphIdentity {
  /** The subgraph's name in the supergraph. */
  readonly name: string;
  /** How an analyst reads it: "KH (Kingdom of Cambodia)". */
  readonly label: string;
  readonly country?: string;
}

/**
 * The gateway's connection to one subgraph. Every call has a deadline; whatever goes wrong (no answer,
 * refused connection, an HTTP error, an answer that is not GraphQL) becomes one MEMBER_UNAVAILABLE error
 * naming the member, never its URL, host or port. The details go to the gateway's log. The rest of the
 * query plan goes on, so one country down never takes the others down.
 */
export class MemberDataSource extends RemoteGraphQLDataSource {
  private readonly timeoutMs: number;
  private readonly logger: Logger;
  private readonly onCall?: (call: SubgraphCall) => void;

  constructor(
    private readonly subgraph: SubgraphIdentity,
    url: string,
    options: MemberDataSourceOptions,
  ) {
    super({ url, fetcher: signedFetcher(options.fetcher, options.signer, subgraph.name, options.revision) });
    this.timeoutMs = options.timeoutMs;
    this.logger = options.logger;
    this.onCall = options.onCall;
  }

  /**
   * Hands the verified request context to this data source's fetcher, which signs the call once the
   * body's bytes are final (signedFetcher). The header never leaves the gateway.
   */
  override willSendRequest(options: GraphQLDataSourceProcessOptions<Partial<GatewayContext>>): void {
    if (!('incomingRequestContext' in options) || !options.request.http) return;
    const { requester, requestId, consultation } = options.context;
    if (!requester || !requestId) return;
    // The audit's ids ride in the signed context: the owner's disclosure record carries the same decision id.
    const ctx = analystCallContext(requester, requestId);
    const owner = this.subgraph.country;
    if (owner) {
      ctx[AUDIT_CONTEXT_KEYS.decisionId] = decisionIdFor(requestId, owner);
      if (consultation) {
        ctx[AUDIT_CONTEXT_KEYS.fieldReport] = '1';
        consultation.called.add(owner);
      }
    }
    options.request.http.headers.set(CONTEXT_HEADER, JSON.stringify(ctx));
  }

  override async process(
    options: GraphQLDataSourceProcessOptions<Partial<GatewayContext>>,
  ): Promise<GatewayGraphQLResponse> {
    let response: GatewayGraphQLResponse;
    const started = performance.now();
    try {
      response = await super.process(options);
    } catch (error) {
      this.onCall?.({ subgraph: this.subgraph.name, ms: performance.now() - started, ok: false });
      return this.unavailableAnswer(options, this.unavailable(classify(error), error));
    }
    this.onCall?.({ subgraph: this.subgraph.name, ms: performance.now() - started, ok: true });
    if (!isGraphQLResponse(response, options))
      return this.unavailableAnswer(
        options,
        this.unavailable('invalid_response', new Error('malformed GraphQL response')),
      );
    if ('incomingRequestContext' in options && options.context.releases) {
      const { consultation, requester } = options.context;
      // The one reading of the owner's `extensions.accord` (audit/ownerReport.ts); across the border, a
      // release it reports field by field must cite its clause.
      const report = parseOwnerReport(response.extensions?.['accord'], {
        owner: this.subgraph.country,
        crossBorder: this.subgraph.country !== requester?.country,
      });
      if (report.releases === 'malformed')
        this.logger.warn(
          { subgraph: this.subgraph.name },
          "a member's releases report is malformed or names another owner; the answer carries no obligations of it",
        );
      else noteReleases(options.context as GatewayContext, report.releases);
      // Whatever the report says, it speaks for this subgraph's member only.
      if (consultation && requester && this.subgraph.country && report.fields !== undefined) {
        consultation.noteReport(this.subgraph.country, report.fields, this.logger);
      }
      // The follow-up requests this owner kept from this call: the consultation names them as the owner did.
      if (consultation && this.subgraph.country)
        consultation.noteFiled(this.subgraph.country, report.filed, this.logger);
      if (this.subgraph.country && options.context.hits)
        noteHits(options.context.hits, this.subgraph.country, report.hits);
    }
    // No entities at all (`_entities: null`, or `data: null` as an owner that could not record its
    // disclosure answers): the owner withheld the whole fetch, and its error says why. Its records are
    // answered silently absent, never NOT_FOUND: the owner said nothing of whether they exist.
    const data = response.data as { _entities?: unknown } | null | undefined;
    const refused = data === null || data === undefined || data._entities === null;
    return absentRecordsStoodIn(
      entitiesRefusedAsNulls(response, options),
      options,
      refused ? ABSENCE.refused : ABSENCE.notFound,
    );
  }

  /**
   * An entity fetch that failed: its records stand in as unconfirmed (gateway/recordPresence.ts), so that
   * the gateway nulls nothing around them and takes them out of the answer; any other call fails whole.
   */
  private unavailableAnswer(
    options: GraphQLDataSourceProcessOptions,
    error: GraphQLError,
  ): GatewayGraphQLResponse {
    const representations: unknown = options.request.variables?.['representations'];
    if (!Array.isArray(representations)) throw error;
    const entities = standIns(options.request.query, representations, [], ABSENCE.unavailable);
    if (entities.every((entity) => entity === null)) throw error;
    return {
      data: { _entities: entities },
      errors: [{ message: error.message, extensions: error.extensions }],
    };
  }

  private unavailable(reason: UnavailableReason, cause: unknown) {
    const { label, country, name } = this.subgraph;
    this.logger.warn({ subgraph: name, url: this.url, reason, err: cause }, 'subgraph unavailable');
    return accordError(
      ERROR_CODES.MEMBER_UNAVAILABLE,
      `${label} is unavailable: ${REASON_TEXT[reason](this.timeoutMs)}. Other members' data is unaffected.`,
      {
        ...(country ? { country } : { subgraph: name }),
        reason,
      },
    );
  }
}

/**
 * The context a call made for an analyst carries in its signed token (`ctx`): the verified request context
 * in its header form and the gateway's request id. Subgraph calls add their decision id to it; the alert
 * API's calls (gateway/alerts/httpAlertBackend.ts) send it as it is.
 */
export function analystCallContext(requester: RequestContext, requestId: string): Record<string, string> {
  return { ...requestContextHeaders(requester), [AUDIT_CONTEXT_KEYS.requestId]: requestId };
}

/** Carries the request context from willSendRequest to the fetcher, inside the gateway only. */
const CONTEXT_HEADER = 'x-accord-internal-context';

/**
 * Signs each call for one subgraph where the body's bytes are final: the token binds the subgraph (its
 * audience), the verified request context, the policy revision and a hash of exactly these bytes. Calls
 * without an analyst (the gateway's schema and health calls) get a narrow `schema` token.
 */
function signedFetcher(fetcher: Fetcher, signer: GatewaySigner, audience: string, revision: string): Fetcher {
  return ((url: string, init: { headers?: Record<string, string>; body?: string } = {}) => {
    const { [CONTEXT_HEADER]: context, ...headers } = init.headers ?? {};
    const body = init.body ?? '';
    const token = context
      ? signer.sign({
          audience,
          scope: 'query',
          ctx: JSON.parse(context) as Record<string, string>,
          rev: revision,
          body,
        })
      : signer.sign({ audience, scope: 'schema', rev: revision, body });
    return fetcher(url, { ...init, headers: { ...headers, authorization: `Bearer ${token}` } });
  }) as unknown as Fetcher;
}

function classify(error: unknown): UnavailableReason {
  const { name, code, message } = (error ?? {}) as { name?: string; code?: string; message?: string };
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'UND_ERR_ABORTED') return 'timeout';
  if (
    /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED|UND_ERR_CONNECT_TIMEOUT)$/.test(
      code ?? '',
    )
  )
    return 'unreachable';
  if (/fetch failed|ECONNREFUSED|ECONNRESET|ENOTFOUND|socket|other side closed/i.test(message ?? ''))
    return 'unreachable';
  const extensions = (error as { extensions?: { response?: unknown } } | undefined)?.extensions;
  if (extensions?.response) return 'http_error';
  return 'invalid_response';
}

/**
 * An owner that shares nothing with the requester answers an entity fetch with `_entities: null` and
 * one error at `["_entities"]`. The gateway expects one entry per representation, and would turn that
 * path into a nonsensical one: give it a null per representation and an error about no single record.
 */
function entitiesRefusedAsNulls(
  response: GatewayGraphQLResponse,
  options: GraphQLDataSourceProcessOptions,
): GatewayGraphQLResponse {
  const representations: unknown = options.request.variables?.['representations'];
  const data = response.data as { _entities?: unknown } | null | undefined;
  if (!Array.isArray(representations) || (data && data._entities !== null)) return response;
  return {
    ...response,
    data: { _entities: representations.map(() => null) },
    errors: response.errors?.map((error) =>
      error.path?.length === 1 && error.path[0] === '_entities' ? { ...error, path: undefined } : error,
    ),
  };
}

/**
 * A record its owner answered with null (it does not exist, or record visibility hides it), or that the
 * owner refused with the whole fetch, stands in marked, for the gateway to take out of the answer
 * (gateway/recordPresence.ts); left null, @apollo/gateway would null the list around it.
 */
function absentRecordsStoodIn(
  response: GatewayGraphQLResponse,
  options: GraphQLDataSourceProcessOptions,
  absence: Absence,
): GatewayGraphQLResponse {
  const representations: unknown = options.request.variables?.['representations'];
  const entities = (response.data as { _entities?: unknown } | null | undefined)?._entities;
  if (
    !Array.isArray(representations) ||
    !Array.isArray(entities) ||
    !entities.some((entity) => entity === null)
  )
    return response;
  return {
    ...response,
    data: {
      ...response.data,
      _entities: standIns(options.request.query, representations, entities, absence),
    },
  };
}

/** The answer has GraphQL's shape, and an entity fetch got one entity per representation. */
function isGraphQLResponse(
  response: GatewayGraphQLResponse,
  options: GraphQLDataSourceProcessOptions,
): boolean {
  const { data, errors } = response as { data?: unknown; errors?: unknown };
  if (data === undefined && errors === undefined) return false;
  if (errors !== undefined && !Array.isArray(errors)) return false;
  if (data === null || data === undefined) return Array.isArray(errors);
  if (typeof data !== 'object' || Array.isArray(data)) return false;
  const representations: unknown = options.request.variables?.['representations'];
  if (Array.isArray(representations)) {
    const entities = (data as { _entities?: unknown })._entities;
    // null with errors: the owner refused the whole fetch (entitiesRefusedAsNulls).
    if (entities === null) return Array.isArray(errors) && errors.length > 0;
    if (!Array.isArray(entities) || entities.length !== representations.length) return false;
  }
  return true;
}
