import { createHash } from 'node:crypto';
import type { ApolloGateway } from '@apollo/gateway';
import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { Policy } from '../policy';
import type { Logger } from '../lib/logger';
import { redactOperation, restoreRedactions, type RedactedOperation } from './redaction';
import type { GatewayContext } from './requestState';
import { addTypenames, stripTypenames } from './typenames';
import { noteConsultation } from './consultation';
import { addRecordIds, recordAliasFor } from './recordIds';
import { hitsForAnswer, recordIdsIn } from './hits';
import { coerceVariables } from './variables';
import {
  addPresenceChecks,
  answerAbsentRecords,
  presenceAliasFor,
  type AbsentRecords,
} from './recordPresence';
import { fieldEntryFromDecision } from '../audit';
import { META_REFERENCE, isRefusalCode } from '../vocabulary';

type GatewayInterface = ApolloServerOptionsWithGateway<BaseContext>['gateway'];
type LoadResult = Awaited<ReturnType<GatewayInterface['load']>>;
type Executor = NonNullable<LoadResult['executor']>;
type ExecutorRequest = Parameters<Executor>[0];

export interface ExecutorOptions {
  readonly policy: Policy;
  /** "KHSuspect.fullName" → category, read from the supergraph. */
  readonly categories: ReadonlyMap<string, string>;
  readonly logger: Logger;
  /** Cut withheld fields before planning (default). Off only to measure what it costs (bench/). */
  readonly redactBeforePlanning?: boolean;
}

const NOTHING_REDACTED = (document: DocumentNode): RedactedOperation => ({
  document,
  redactions: new Map(),
  signature: '',
  injected: new Set(),
  released: new Set(),
});

/**
 * Wraps @apollo/gateway's executor. Before the query planner sees the operation: redaction (fields that
 * will be withheld are cut, gateway/redaction.ts) and the `__typename`s the planner needs
 * (gateway/typenames.ts). After: the withheld fields' nulls and errors are put back and the answer takes
 * the shape the analyst asked for. The rewritten operation gets its own `queryHash`, derived from the
 * original and from what was cut, because the planner caches plans by it: a plan made for one redaction
 * must never serve another (docs/architecture.md records a leak when it did).
 */
export function wrapGateway(gateway: ApolloGateway, options: ExecutorOptions): GatewayInterface {
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
    async load(loadOptions) {
      const loaded = await gateway.load(loadOptions);
      const execute = loaded.executor;
      if (!execute) return loaded;
      return { executor: (request) => executeRewritten(execute, request, options) };
    },
  };
}

/**
 * @apollo/gateway reports, in `extensions.valueCompletion`, the nulls it propagated ("Cannot return null
 * for non-nullable field ..."): an internal note with a code outside Accord's set. The answer's nulls say
 * the same to the analyst; the note is dropped.
 */
async function executeRewritten(
  execute: Executor,
  request: ExecutorRequest,
  options: ExecutorOptions,
): ReturnType<Executor> {
  const result = await executeWithPolicy(execute, request, options);
  if (!result.extensions || !('valueCompletion' in result.extensions)) return result;
  const { valueCompletion: _internal, ...extensions } = result.extensions;
  return { ...result, extensions };
}

async function executeWithPolicy(
  execute: Executor,
  request: ExecutorRequest,
  options: ExecutorOptions,
): ReturnType<Executor> {
  const context = request.context as Partial<GatewayContext>;
  const { requester, at, consultation } = context;
  if (!requester || at === undefined) throw new Error('The gateway executor ran without a request context.');
  // The API schema: the one the analyst's operation was validated against.
  const schema = request.schema;
  // Once, before anything walks the operation: every walker below evaluates @skip/@include with these.
  const coercion = coerceVariables(schema, request.document, request.operation, request.request.variables);
  if (!coercion.ok) return { errors: coercion.errors };
  const variables = coercion.values;
  // Every record's owner confirms it, whatever is selected (gateway/recordPresence.ts); before redaction,
  // so that the check of a record no basis lets the requester know of is cut like any other field.
  const presenceAlias = presenceAliasFor(request.source);
  const checked = addPresenceChecks(schema, request.document, presenceAlias);
  const redacted =
    options.redactBeforePlanning === false
      ? NOTHING_REDACTED(checked.document)
      : redactOperation(
          { schema, categories: options.categories, policy: options.policy, requester, at },
          checked.document,
        );
  const typenames = addTypenames(schema, redacted.document);
  if (!consultation && !checked.added && redacted.redactions.size === 0 && typenames.injected.size === 0)
    return execute(request);
  // Every record's id is asked for under an alias: to name it in the consultation record (with the audit
  // on), and to know which records the answer holds, whose owners' hit tokens go to the analyst.
  const recordAlias = recordAliasFor(request.source);
  const document = addRecordIds(schema, typenames.document, recordAlias);

  const operationName = request.operationName ?? undefined;
  const rewritten = findOperation(document, operationName);
  const original = findOperation(request.document, operationName);
  const result = await execute({
    ...request,
    document,
    operation: rewritten ?? request.operation,
    queryHash: createHash('sha256')
      .update(
        `${request.queryHash}\0${redacted.signature}\0typenames-v1\0ids:${recordAlias}${checked.added ? `\0presence:${presenceAlias}` : ''}`,
      )
      .digest('hex'),
  });
  // First of all: records their owners did not confirm leave the answer, before anything is noted of them.
  const checkedOperation = checked.added ? findOperation(checked.document, operationName) : undefined;
  const absent =
    result.data && checkedOperation
      ? answerAbsentRecords(
          {
            schema,
            document: checked.document,
            operation: checkedOperation,
            variables,
            alias: presenceAlias,
            redacted,
            requester,
            consultation,
            recordAlias,
          },
          result.data,
        )
      : undefined;
  // The owners' errors name places in the answer as they gave it: moved to where they now are.
  const ownersErrors = absent
    ? relocateErrors(result.errors ?? [], absent.relocate)
    : [...(result.errors ?? [])];
  if (checked.added && result.data && !checkedOperation) stripKey(result.data, presenceAlias);
  // The records the answer holds once the absent ones are out: only theirs of the owners' hit tokens go on.
  const inAnswer = result.data ? recordIdsIn(result.data, recordAlias) : new Set<string>();
  // Before the redactions are restored: a record answered as absent is still there to be named.
  if (result.data && (!consultation || !original)) stripKey(result.data, recordAlias);
  if (consultation && result.data && original) {
    noteConsultation(consultation, {
      schema,
      categories: options.categories,
      redacted,
      operation: original,
      document: request.document,
      variables,
      data: result.data,
      recordAlias,
      policy: options.policy,
      requester,
      at,
      logger: options.logger,
    });
  }
  let errors = [
    ...ownersErrors,
    ...(absent?.errors ?? []).map(
      (e) => new GraphQLError(e.message, { path: e.path, extensions: e.extensions }),
    ),
  ];
  if (result.data && original) {
    const restored = restoreRedactions(
      schema,
      redacted,
      original,
      request.document,
      result.data,
      requester,
      variables,
    );
    errors = [
      ...errors,
      ...restored.map((e) => new GraphQLError(e.message, { path: e.path, extensions: e.extensions })),
    ];
  }
  // Along the document before the record ids were added: the `__typename`s injected are its selection sets.
  const withTypenames =
    document === typenames.document ? rewritten : findOperation(typenames.document, operationName);
  if (result.data && withTypenames) {
    const injected = new Set([...typenames.injected, ...redacted.injected]);
    stripTypenames(
      schema,
      { document: typenames.document, injected },
      withTypenames.selectionSet,
      result.data,
      variables,
    );
  }
  errors = onePerOwner(errors, (owner, path) => {
    // An owner that left out another member's records (subgraphs/kit/referenceVisibility.ts) says so at
    // the place; the consultation of that member records the refusal there, as the gateway decides it.
    consultation?.add(
      owner,
      fieldEntryFromDecision(
        path.join('.'),
        META_REFERENCE,
        options.policy.decide({ requester, owner, category: META_REFERENCE, at }),
      ),
    );
  });
  logDisagreements(errors, redacted.released, options.logger, requester.country);
  const hits = context.hits ? hitsForAnswer(context.hits, inAnswer) : undefined;
  const extensions = hits
    ? {
        ...result.extensions,
        accord: { ...(result.extensions?.['accord'] as Record<string, unknown> | undefined), hits },
      }
    : result.extensions;
  return { ...result, ...(errors.length ? { errors } : {}), ...(extensions ? { extensions } : {}) };
}

/**
 * Both layers decide with the same engine; when an owner withholds what the gateway released (whatever
 * the record), the owner's stricter answer stands and the disagreement is logged for the legal team.
 */
function logDisagreements(
  errors: readonly GraphQLError[],
  released: ReadonlySet<string>,
  logger: Logger,
  requester: string,
): void {
  for (const error of errors) {
    const { code, owner, category, revision } = error.extensions as Record<string, unknown>;
    if (isRefusalCode(code) && released.has(`${String(owner)}\0${String(category)}`)) {
      logger.warn(
        { requester, owner, category, code, revision, path: error.path },
        "the owner withheld what the gateway released; the owner's decision stands",
      );
    }
  }
}

/**
 * One no-basis error per owner in the whole answer (policy/refusal.ts describeNoBasis): several members
 * may each have left out records of the same owner, and the gateway may have cut some itself. The first
 * stands; `placed` is told of each such error that comes with a place in the answer.
 */
function onePerOwner(
  errors: readonly GraphQLError[],
  placed: (owner: string, path: readonly (string | number)[]) => void,
): GraphQLError[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    if (!isNoBasisForOwner(error)) return true;
    const owner = (error.extensions as { owner: string }).owner;
    if (error.path) placed(owner, error.path);
    if (seen.has(owner)) return false;
    seen.add(owner);
    return true;
  });
}

/**
 * Owners' errors at their places after records were taken out (gateway/recordPresence.ts). An error
 * inside a record taken out would tell of it: an owner's no-basis error loses its place and joins the
 * one per owner (onePerOwner); any other is dropped, for the record is not in the answer.
 */
function relocateErrors(
  errors: readonly GraphQLError[],
  relocate: AbsentRecords['relocate'],
): GraphQLError[] {
  return errors.flatMap((error) => {
    if (!error.path) return [error];
    const path = relocate(error.path);
    if (path && path.every((segment, i) => segment === error.path![i])) return [error];
    if (path) return [new GraphQLError(error.message, { path, extensions: error.extensions })];
    if (isNoBasisForOwner(error)) return [new GraphQLError(error.message, { extensions: error.extensions })];
    return [];
  });
}

/** An owner's refusal of every record of its own (meta.reference, no one field): there is one per owner. */
function isNoBasisForOwner(error: GraphQLError): boolean {
  const { code, owner, category, field } = error.extensions as Record<string, unknown>;
  return (
    isRefusalCode(code) && category === META_REFERENCE && field === undefined && typeof owner === 'string'
  );
}

/** Removes a key the gateway added from every object of an answer it could not walk along the operation. */
function stripKey(value: unknown, key: string): void {
  if (Array.isArray(value)) {
    for (const item of value) stripKey(item, key);
  } else if (value !== null && typeof value === 'object') {
    delete (value as Record<string, unknown>)[key];
    for (const child of Object.values(value)) stripKey(child, key);
  }
}

function findOperation(
  document: DocumentNode,
  name: string | undefined,
): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return name
    ? operations.find((o) => o.name?.value === name)
    : operations.length === 1
      ? operations[0]
      : undefined;
}
