import { isAbstractType, isObjectType, type DocumentNode, type GraphQLSchema } from 'graphql';
import { addAliasedField, unusedAlias } from './aliasedFields';

/**
 * The consultation record names each field's record by its global id, as the owner's disclosure record
 * does (gateway/consultation.ts); the analyst need not have asked for `id`. With the audit on, the gateway
 * asks for it in every selection set of a type that has one, under an alias of its own, and takes it out
 * of the answer again. The id is the key every entity fetch already carries: asking for it costs the
 * subgraphs nothing.
 */

const BASE_ALIAS = '_accordRecordId';

/** An alias the analyst's operation does not use (it could, in principle, use ours). */
export function recordAliasFor(source: string | undefined): string {
  return unusedAlias(BASE_ALIAS, source);
}

/** Adds `<alias>: id` to every selection set of a type that has an `id`. */
export function addRecordIds(schema: GraphQLSchema, document: DocumentNode, alias: string): DocumentNode {
  return addAliasedField(
    schema,
    document,
    alias,
    'id',
    (named) =>
      !!named &&
      (isObjectType(named) || isAbstractType(named)) &&
      'getFields' in named &&
      !!named.getFields()['id'],
  ).document;
}
