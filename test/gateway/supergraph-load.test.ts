// How the gateway loads its supergraph (gateway/supergraphLoad.ts): no element of its schemas linked to
// the supergraph's AST (which @apollo/gateway alone parses with locations and keeps), then one collection,
// and the same client-facing schema as @apollo/gateway loading it unchanged.
import { ApolloGateway } from '@apollo/gateway';
import { printSchema, type GraphQLSchema } from 'graphql';
import { readCommittedSupergraph } from '../../schema';
import { loadSupergraphWithoutLocations } from '../../gateway/supergraphLoad';

/** A federation schema's element, as far as its link to the AST goes. */
interface Element {
  readonly name: string;
  readonly sourceAST?: { loc?: unknown };
  readonly appliedDirectives: readonly { sourceAST?: unknown }[];
  fields?(): Element[];
}
interface FederationSchema {
  type(name: string): Element;
  allTypes(): Iterable<Element>;
}

/** What @apollo/gateway 2.14 keeps once loaded that these checks read (private fields). */
interface Loaded {
  readonly schema: GraphQLSchema;
  readonly supergraphSchema: GraphQLSchema;
  readonly queryPlanner: { readonly supergraph: { readonly schema: FederationSchema } };
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

async function loaded(lean: boolean): Promise<{ gateway: ApolloGateway; held: Loaded }> {
  const gateway = new ApolloGateway({ supergraphSdl: readCommittedSupergraph(), logger: silent });
  if (lean) loadSupergraphWithoutLocations(gateway);
  await gateway.load();
  return { gateway, held: gateway as unknown as Loaded };
}

describe('the gateway loading its supergraph', () => {
  const exposed = (globalThis as { gc?: () => void }).gc;
  afterEach(() => {
    (globalThis as { gc?: () => void }).gc = exposed;
  });

  it('keeps no AST behind the supergraph, and serves the same schema', async () => {
    const collections = jest.fn();
    (globalThis as { gc?: () => void }).gc = collections;
    const plain = await loaded(false);
    expect(collections).not.toHaveBeenCalled();
    const lean = await loaded(true);
    try {
      // @apollo/gateway alone keeps both (what this guards against coming back).
      expect(plain.held.queryPlanner.supergraph.schema.type('Query').sourceAST?.loc).toBeDefined();
      expect(plain.held.supergraphSchema.getQueryType()?.astNode).toBeDefined();

      const leanSupergraph = lean.held.queryPlanner.supergraph.schema;
      expect(leanSupergraph.type('Query').sourceAST).toBeUndefined();
      const suspectFields = leanSupergraph.type('Suspect').fields!();
      expect(suspectFields.length).toBeGreaterThan(1);
      for (const field of suspectFields) {
        expect(field.sourceAST).toBeUndefined();
        for (const applied of field.appliedDirectives) expect(applied.sourceAST).toBeUndefined();
      }
      for (const type of leanSupergraph.allTypes())
        expect({ type: type.name, ast: type.sourceAST }).toEqual({ type: type.name, ast: undefined });
      for (const type of Object.values(lean.held.supergraphSchema.getTypeMap()))
        expect({ type: type.name, astNode: type.astNode }).toEqual({ type: type.name, astNode: undefined });
      const suspect = lean.held.supergraphSchema.getType('Suspect') as {
        getFields(): Record<string, unknown>;
      };
      for (const field of Object.values(suspect.getFields()))
        expect((field as { astNode?: unknown }).astNode).toBeUndefined();
      // Still the same supergraph to execute plans on, and the same client-facing schema.
      expect(printSchema(lean.held.supergraphSchema)).toBe(printSchema(plain.held.supergraphSchema));
      expect(printSchema(lean.held.schema)).toBe(printSchema(plain.held.schema));
      // Collected once the load is done (twice: the second gives back what the first emptied), when node
      // exposes it.
      expect(collections).toHaveBeenCalledTimes(2);
    } finally {
      await plain.gateway.stop();
      await lean.gateway.stop();
    }
  });

  it('refuses a gateway that does not load through the method it replaces', () => {
    const other = Object.create(null) as ApolloGateway;
    expect(() => loadSupergraphWithoutLocations(other)).toThrow(/gateway\/supergraphLoad\.ts needs updating/);
  });
});
