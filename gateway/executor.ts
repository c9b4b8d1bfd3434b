import { createHash } from 'node:crypto';
import type { ApolloGateway } from '@apollo/gateway';
import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { addTypenames, stripTypenames } from './typenames';

type GatewayInterface = ApolloServerOptionsWithGateway<BaseContext>['gateway'];
type LoadResult = Awaited<ReturnType<GatewayInterface['load']>>;
type Executor = NonNullable<LoadResult['executor']>;
type ExecutorRequest = Parameters<Executor>[0];

/**
 * Wraps @apollo/gateway's executor: the operation is rewritten before the query planner sees it and the
 * answer is put back in the shape the analyst asked for. Today the rewrite adds the `__typename`s the
 * planner needs (gateway/typenames.ts); it is also where redaction before planning and error-path repair
 * happen. The rewritten operation gets its own `queryHash`, because the planner caches plans by it: a
 * plan made for one rewrite must never serve another.
 */
export function wrapGateway(gateway: ApolloGateway): GatewayInterface {
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
    async load(options) {
      const loaded = await gateway.load(options);
      const execute = loaded.executor;
      if (!execute) return loaded;
      return { executor: (request) => executeRewritten(execute, request) };
    },
  };
}

async function executeRewritten(execute: Executor, request: ExecutorRequest): ReturnType<Executor> {
  // The API schema: the one the analyst's operation was validated against.
  const schema = request.schema;
  const rewrite = addTypenames(schema, request.document);
  if (rewrite.injected.size === 0) return execute(request);

  const operation = findOperation(rewrite.document, request.operationName ?? undefined);
  const result = await execute({
    ...request,
    document: rewrite.document,
    operation: operation ?? request.operation,
    queryHash: createHash('sha256').update(`${request.queryHash}\0typenames-v1`).digest('hex'),
  });
  if (result.data && operation) stripTypenames(schema, rewrite, operation.selectionSet, result.data);
  return result;
}

function findOperation(document: ExecutorRequest['document'], name: string | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return name ? operations.find((o) => o.name?.value === name) : operations.length === 1 ? operations[0] : undefined;
}
