import type { DocumentNode, GraphQLSchema } from 'graphql';

/**
 * The pipeline's rewrites of an operation, made once and kept with the operation (gateway/pipeline.ts).
 * Apollo Server hands the executor the same parsed document for every request with the same text (its
 * document store), and each rewrite is a function of the document it is given, the schema, and a few
 * words of the request: an alias the operation's text does not use, or which fields redaction cut (its
 * signature). So the rewritten documents are kept in a WeakMap by the document they were made from and
 * live as long as it does; the next request with the same operation skips the visits that made them,
 * and, the documents being the same objects, so does each following rewrite.
 *
 * What is kept is the operation's text rewritten, never a decision, an answer or anything else of a
 * request: the redaction's own decisions are made for every request (gateway/redaction.ts), and only
 * the document it cut is looked up here by what it cut, as the query plan is (gateway/executor.ts keys
 * the plan by the same signature). A document with many redactions keeps at most MAX_PER_DOCUMENT of
 * them, the oldest out first.
 */

export const MAX_PER_DOCUMENT = 64;

const kept = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, unknown>>>();

/**
 * What `make` makes of `document` for `key` (the rewrite and the words of the request it depends on),
 * made at the first request and the same object after. `make` must depend on nothing but the schema,
 * the document and what `key` names.
 */
export function rewriteOf<T>(schema: GraphQLSchema, document: DocumentNode, key: string, make: () => T): T {
  let bySchema = kept.get(schema);
  if (!bySchema) {
    bySchema = new WeakMap();
    kept.set(schema, bySchema);
  }
  let byKey = bySchema.get(document);
  if (!byKey) {
    byKey = new Map();
    bySchema.set(document, byKey);
  }
  if (byKey.has(key)) return byKey.get(key) as T;
  const made = make();
  if (byKey.size >= MAX_PER_DOCUMENT) byKey.delete(byKey.keys().next().value!);
  byKey.set(key, made);
  return made;
}
