import type { DocumentNode, GraphQLSchema } from 'graphql';

/**
 * The pipeline's rewrites of an operation, made once and kept with the operation (gateway/pipeline.ts).
 * Apollo Server hands the executor the same parsed document for every request with the same text (its
 * document store), and each rewrite is a function of the document it is given, the schema, and a few
 * words of the request (an alias the operation's text does not use). So the rewritten documents are kept
 * in a WeakMap by the document they were made from and live as long as it does; the next request with
 * the same operation skips the visits that made them, and, the documents being the same objects, so
 * does each following rewrite. Redaction keeps its own the same way (gateway/redaction.ts), by the
 * effects of the decisions it consults, and makes those decisions for every request.
 *
 * What is kept is the operation's text rewritten, as the plan cache keeps its plans (gateway/executor.ts
 * keys a plan by what redaction cut): never a decision, an answer or anything else of a request. A
 * document keeps at most MAX_PER_DOCUMENT rewrites, the oldest out first.
 */

export const MAX_PER_DOCUMENT = 64;

/**
 * One value per (schema, parsed document), made at its first use and kept as long as both live: the store
 * behind every memo of an operation (this file's rewrites, redaction's cuts, the walker's fields).
 */
export class KeptWithDocument<T> {
  private readonly bySchema = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, T>>();

  constructor(private readonly make: () => T) {}

  /** The value kept with `document` along `schema`, made now if there is none yet. */
  of(schema: GraphQLSchema, document: DocumentNode): T {
    let byDocument = this.bySchema.get(schema);
    if (!byDocument) {
      byDocument = new WeakMap();
      this.bySchema.set(schema, byDocument);
    }
    let value = byDocument.get(document);
    if (value === undefined) {
      value = this.make();
      byDocument.set(document, value);
    }
    return value;
  }

  /** The value kept with `document`, if one was made. */
  peek(schema: GraphQLSchema, document: DocumentNode): T | undefined {
    return this.bySchema.get(schema)?.get(document);
  }
}

const kept = new KeptWithDocument(() => new Map<string, unknown>());

/**
 * What `make` makes of `document` for `key` (the rewrite and the words of the request it depends on),
 * made at the first request and the same object after. `make` must depend on nothing but the schema,
 * the document and what `key` names.
 */
export function rewriteOf<T>(schema: GraphQLSchema, document: DocumentNode, key: string, make: () => T): T {
  const byKey = kept.of(schema, document);
  if (byKey.has(key)) return byKey.get(key) as T;
  const made = make();
  if (byKey.size >= MAX_PER_DOCUMENT) byKey.delete(byKey.keys().next().value!);
  byKey.set(key, made);
  return made;
}
