import { createHash } from 'node:crypto';
import type { ApolloGateway } from '@apollo/gateway';
import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import type { Policy } from '../policy';
import type { Logger } from '../lib/logger';
import type { GatewayContext } from './requestState';
import { hitsForAnswer } from './hits';
import { coerceVariables } from './variables';
import {
  findOperation,
  isNoBasisForOwner,
  restore,
  rewrite,
  rewriteSignature,
  type Answer,
  type PipelineRequest,
} from './pipeline';
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

/**
 * Wraps @apollo/gateway's executor. Before the query planner sees the operation, the gateway pipeline
 * rewrites it (gateway/pipeline.ts: presence checks, redaction, `__typename`s, record ids); after, the
 * pipeline's restores undo each rewrite in their documented order, and the answer takes the shape, nulls
 * and errors the analyst's own operation calls for. The rewritten operation gets its own `queryHash`,
 * derived from the original and from what was rewritten (rewriteSignature), because the planner caches
 * plans by it: a plan made for one redaction must never serve another (docs/architecture.md records a
 * leak when it did).
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
  // Once, before anything walks the operation: every walker of the pipeline evaluates @skip/@include
  // with these.
  const coercion = coerceVariables(
    request.schema,
    request.document,
    request.operation,
    request.request.variables,
  );
  if (!coercion.ok) return { errors: coercion.errors };
  const pipelineRequest: PipelineRequest = {
    // The API schema: the one the analyst's operation was validated against.
    schema: request.schema,
    document: request.document,
    operationName: request.operationName ?? undefined,
    source: request.source,
    variables: coercion.values,
    requester,
    at,
    consultation,
    policy: options.policy,
    categories: options.categories,
    logger: options.logger,
    redactBeforePlanning: options.redactBeforePlanning !== false,
  };
  // gateway/pipeline.ts: the rewrites and the restores that undo them, in their one order.
  const { rewritten, needed } = rewrite(pipelineRequest);
  if (!needed) return execute(request);
  const { document } = rewritten;
  const result = await execute({
    ...request,
    document,
    operation: findOperation(document, pipelineRequest.operationName) ?? request.operation,
    queryHash: createHash('sha256')
      .update(`${request.queryHash}\0${rewriteSignature(rewritten)}`)
      .digest('hex'),
  });
  const answer: Answer = { data: result.data, errors: [...(result.errors ?? [])], inAnswer: new Set() };
  restore(pipelineRequest, rewritten, answer);
  const errors = onePerOwner(answer.errors, (owner, path) => {
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
  logDisagreements(errors, rewritten.redaction.released, options.logger, requester.country);
  const hits = context.hits ? hitsForAnswer(context.hits, answer.inAnswer) : undefined;
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
