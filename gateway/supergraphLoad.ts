import { createRequire } from 'node:module';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  parse,
  type GraphQLSchema,
} from 'graphql';
import type { ApolloGateway } from '@apollo/gateway';
import type { Supergraph } from '@apollo/federation-internals';

/**
 * @apollo/gateway builds its supergraph with `Supergraph.build(sdl)`, which parses the SDL with locations:
 * every element of the schema it keeps refers to its AST node, each node's location to its first and last
 * token, and the tokens are one linked list, so the whole token stream of the supergraph stays in the heap
 * for the gateway's life. Measured over 100 synthetic members (1.7 MB of SDL): 58 MB of heap, a quarter
 * of what the gateway holds once listening (docs/decisions/0022-gateway-memory.md). Nothing reads those
 * locations once the supergraph is valid (they only place composition's and validation's errors), so
 * the gateway here parses it without them; the schema, its API schema and every plan are the same.
 *
 * The Supergraph class is the one @apollo/gateway itself loads (resolved from its own place), so both sides
 * agree on the version even if another copy were installed beside it.
 */
const { Supergraph: GatewaySupergraph } = createRequire(require.resolve('@apollo/gateway'))(
  '@apollo/federation-internals',
) as typeof import('@apollo/federation-internals');

/**
 * The supergraph as @apollo/gateway builds it, from an AST parsed without locations, and then unlinked from
 * that AST (forgetSourceAst): what it builds from the supergraph later (the API schema, the subgraphs)
 * copies no link to it.
 */
export function buildSupergraphWithoutLocations(sdl: string, validateSupergraph: boolean): Supergraph {
  const supergraph = GatewaySupergraph.build(parse(sdl, { noLocation: true }), { validateSupergraph });
  forgetSourceAst(supergraph.schema);
  return supergraph;
}

/** An element of a federation schema, as far as its links to the AST go (@apollo/federation-internals 2.14). */
interface SchemaElement {
  sourceAST?: unknown;
  readonly appliedDirectives?: readonly { sourceAST?: unknown }[];
  extensions?(): Iterable<{ sourceAST?: unknown }>;
  fields?(): Iterable<SchemaElement>;
  arguments?(): Iterable<SchemaElement>;
  members?(): Iterable<SchemaElement>;
  interfaceImplementations?(): Iterable<SchemaElement>;
  readonly values?: readonly SchemaElement[];
}

/**
 * Unlinks every element of a federation schema (types, fields, arguments, enum values, union members,
 * implementations, directive definitions and applications, extensions) from the AST it was built from. The
 * link only places errors (`sourceAST` is read for error nodes alone in @apollo/federation-internals,
 * @apollo/query-graphs and @apollo/query-planner 2.14), and the supergraph's AST is 26 MB of heap over 100
 * members, held as long as one element refers to it, and every copy of an element copies the link.
 */
export function forgetSourceAst(schema: Supergraph['schema']): void {
  const forget = (element: SchemaElement): void => {
    if ('sourceAST' in element) element.sourceAST = undefined;
    for (const applied of element.appliedDirectives ?? []) applied.sourceAST = undefined;
    if (typeof element.extensions === 'function')
      for (const extension of element.extensions()) extension.sourceAST = undefined;
  };
  const withChildren = (element: SchemaElement): void => {
    forget(element);
    for (const method of ['fields', 'members', 'interfaceImplementations'] as const) {
      if (typeof element[method] !== 'function') continue;
      for (const child of element[method]()) {
        forget(child);
        if (typeof child.arguments === 'function') for (const arg of child.arguments()) forget(arg);
      }
    }
    for (const value of element.values ?? []) forget(value);
  };
  withChildren(schema.schemaDefinition);
  for (const type of schema.allTypes()) withChildren(type);
  for (const definition of schema.allDirectives()) {
    const element = definition as unknown as SchemaElement;
    forget(element);
    for (const arg of element.arguments?.() ?? []) forget(arg);
  }
}

/** The private part of @apollo/gateway 2.14's ApolloGateway that loading a supergraph goes through. */
interface GatewayLoading {
  readonly config: { readonly validateSupergraph?: boolean };
  /** The supergraph as graphql-js types, which executing a plan reads the types of (never the AST). */
  readonly supergraphSchema?: GraphQLSchema;
  createServices(subgraphs: ReturnType<Supergraph['subgraphsMetadata']>): void;
  createSchemaFromSupergraphSdl(sdl: string): { supergraph: Supergraph; supergraphSdl: string };
}

/**
 * Makes `gateway` build each supergraph it loads without locations: @apollo/gateway 2.14's own private
 * `createSchemaFromSupergraphSdl`, with the parse done here; then, once each load is done, drops the AST
 * of its graphql-js copy of the supergraph and collects. Throws when the gateway no longer has that method
 * (another version): the gateway would otherwise start holding the locations again, silently.
 */
export function loadSupergraphWithoutLocations(gateway: ApolloGateway): void {
  const loading = gateway as unknown as GatewayLoading;
  if (
    typeof loading.createSchemaFromSupergraphSdl !== 'function' ||
    typeof loading.createServices !== 'function' ||
    typeof loading.config !== 'object'
  )
    throw new Error(
      'This @apollo/gateway does not load its supergraph through createSchemaFromSupergraphSdl: gateway/supergraphLoad.ts needs updating.',
    );
  gateway.onSchemaLoadOrUpdate(() => {
    if (loading.supergraphSchema) dropAstNodes(loading.supergraphSchema);
    collectBuildGarbage();
  });
  loading.createSchemaFromSupergraphSdl = function (this: GatewayLoading, sdl: string) {
    // @apollo/gateway's default: validated outside production.
    const validate = this.config.validateSupergraph ?? process.env['NODE_ENV'] !== 'production';
    const supergraph = buildSupergraphWithoutLocations(sdl, validate);
    this.createServices(supergraph.subgraphsMetadata());
    return { supergraph, supergraphSdl: sdl };
  };
}

/** A graphql-js schema element's links to the AST it was built from, which it does not need once built. */
interface WithAst {
  astNode?: unknown;
  extensionASTNodes?: readonly unknown[];
}

/**
 * Unlinks every type, field, argument, enum value and directive of `schema` from the AST it was built from
 * (graphql-js keeps it for printing and errors only). The gateway's graphql-js copy of the supergraph is
 * only read for types when a plan runs (@apollo/gateway 2.14, `executeQueryPlan`); its AST is 25 MB
 * of heap over 100 members. Not for the client-facing schema, which serves introspection.
 */
export function dropAstNodes(schema: GraphQLSchema): void {
  const drop = (element: WithAst): void => {
    element.astNode = undefined;
    if (element.extensionASTNodes) element.extensionASTNodes = [];
  };
  drop(schema);
  for (const type of Object.values(schema.getTypeMap())) {
    drop(type);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        drop(field);
        for (const arg of field.args) drop(arg);
      }
    } else if (isInputObjectType(type)) for (const field of Object.values(type.getFields())) drop(field);
    else if (isEnumType(type)) for (const value of type.getValues()) drop(value);
  }
  for (const directive of schema.getDirectives()) {
    drop(directive);
    for (const arg of directive.args) drop(arg);
  }
}

/**
 * Loading a supergraph allocates several times what the gateway then keeps (over 100 members, about 320 MB
 * of heap in use at the end of the load for 160 MB live), and V8 keeps the heap it grew to until a full
 * collection happens to run, which an idle gateway may not reach for a long time. Collecting once the load
 * is done lets V8 return that memory (docs/decisions/0022-gateway-memory.md). It needs node's `--expose-gc`,
 * which the start scripts give every service (scripts/supervisedProcess.ts); without it (an embedding
 * process, the tests) nothing happens.
 */
function collectBuildGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  gc();
  // V8 finishes sweeping what the first left before the second starts, which then gives back the pages the
  // first emptied: measured over 100 members, 238 MB of heap reserved after one, 202 MB after two.
  gc();
}
