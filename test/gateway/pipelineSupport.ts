// What the pipeline's unit tests share (test/gateway/pipeline-*.test.ts): the API schema the gateway
// serves, made by @apollo/gateway from the committed supergraph (schema/), the agreements' policy, and a
// PipelineRequest for an operation written in a test. No member is started: the tests give the pairs'
// restores answers written by hand.
import { ApolloGateway } from '@apollo/gateway';
import {
  getNamedType,
  isLeafType,
  isObjectType,
  parse,
  print,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { MEMBERS, readCommittedSupergraph, readFieldCategories } from '../../schema';
import { loadDefaultPolicy, type Policy, type RequestContext } from '../../policy';
import { CATEGORIES, META_REFERENCE, PURPOSES, type Category } from '../../vocabulary';
import { createLogger } from '../../lib/logger';
import { findOperation, type PipelineRequest } from '../../gateway/pipeline';
import { coerceVariables } from '../../gateway/variables';
import type { Consultation } from '../../gateway/consultation';

export const AT = Date.parse('2026-06-01T12:00:00Z');

let schema: Promise<GraphQLSchema> | undefined;

/** The API schema of the committed supergraph, as the gateway's executor is given it. */
export function apiSchema(): Promise<GraphQLSchema> {
  schema ??= (async () => {
    const gateway = new ApolloGateway({ supergraphSdl: readCommittedSupergraph() });
    const loaded = await gateway.load();
    await gateway.stop();
    return loaded.schema;
  })();
  return schema;
}

export const categories = readFieldCategories(readCommittedSupergraph());
export const policy: Policy = loadDefaultPolicy();

export function analyst(country: string, purpose?: RequestContext['purpose']): RequestContext {
  return {
    country,
    analyst: `analyst.${country.toLowerCase()}`,
    roles: ['analyst'],
    ...(purpose ? { purpose } : {}),
  };
}

export function request(
  api: GraphQLSchema,
  source: string,
  options: {
    readonly requester: RequestContext;
    readonly variables?: Record<string, unknown>;
    readonly consultation?: Consultation;
    readonly redactBeforePlanning?: boolean;
  },
): PipelineRequest {
  const document = parse(source);
  const operation = findOperation(document, undefined);
  if (!operation) throw new Error('the test operation has no single operation');
  const coercion = coerceVariables(api, document, operation, options.variables);
  if (!coercion.ok) throw new Error(coercion.errors.map((e) => e.message).join('; '));
  return {
    schema: api,
    document,
    operationName: undefined,
    source,
    variables: coercion.values,
    requester: options.requester,
    at: AT,
    consultation: options.consultation,
    policy,
    categories,
    logger: createLogger('test'),
    redactBeforePlanning: options.redactBeforePlanning ?? true,
  };
}

/** A document as the tests compare it: printed, so that the expected text reads as GraphQL. */
export function printed(document: DocumentNode): string {
  return print(document);
}

/**
 * A requester, an owner and a field of the owner's suspects such that the gateway cuts the field before
 * planning, whatever the record, while the owner gives the requester its records' references: found in
 * the agreements, not named here.
 */
export function fieldCutForRequester(
  api: GraphQLSchema,
): { requester: RequestContext; owner: string; field: string; category: Category } | undefined {
  const suspectFields = [...categories.entries()];
  for (const from of MEMBERS) {
    for (const purpose of PURPOSES) {
      const requester = analyst(from.code, purpose);
      for (const owner of MEMBERS) {
        if (owner.code === from.code) continue;
        const decide = (category: Category) =>
          policy.decide({ requester, owner: owner.code, category, at: AT });
        const reference = decide(META_REFERENCE);
        if (reference.effect === 'withhold' || reference.recordDependent) continue;
        for (const [key, category] of suspectFields) {
          const [type, field] = key.split('.') as [string, string];
          if (type !== `${owner.code}Suspect` || !CATEGORIES.includes(category as Category)) continue;
          const decision = decide(category as Category);
          if (decision.effect === 'withhold' && !decision.recordDependent && isScalar(api, type, field))
            return { requester, owner: owner.code, field, category: category as Category };
        }
      }
    }
  }
  return undefined;
}

/** A field without arguments whose value is a scalar or a list of them: selected without a sub-selection. */
function isScalar(api: GraphQLSchema, typeName: string, fieldName: string): boolean {
  const type = api.getType(typeName);
  const field = type && isObjectType(type) ? type.getFields()[fieldName] : undefined;
  return !!field && field.args.length === 0 && isLeafType(getNamedType(field.type));
}

/** A member other than `country`, from the registry. */
export function otherMember(country: string): string {
  return MEMBERS.find((m) => m.code !== country)!.code;
}
