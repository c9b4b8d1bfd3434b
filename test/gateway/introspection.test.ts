// gateway/introspection.ts on its own: an Apollo Server with introspection switched on, where the plugin
// alone decides. The gateway never gets here without a verified analyst (its context answers 401 first:
// test/e2e/explorer.test.ts); this checks the rule holds even for a context that lacks one.
import { ApolloServer } from '@apollo/server';
import { introspectionForAnalysts } from '../../gateway/introspection';
import type { GatewayContext } from '../../gateway/requestState';

const typeDefs = 'type Query { hello: String }';
const resolvers = { Query: { hello: () => 'world' } };
const ANALYST = {
  requester: { country: 'KR', analyst: 'kim.j', roles: ['analyst'] },
} as unknown as GatewayContext;
const NOBODY = {} as GatewayContext;

let server: ApolloServer<GatewayContext>;
beforeAll(async () => {
  server = new ApolloServer<GatewayContext>({
    typeDefs,
    resolvers,
    introspection: true,
    plugins: [introspectionForAnalysts()],
  });
  await server.start();
});
afterAll(() => server.stop());

async function ask(
  query: string,
  contextValue: GatewayContext,
): Promise<{
  data?: unknown;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}> {
  const response = await server.executeOperation({ query }, { contextValue });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult;
}

it.each([
  ['__schema', '{ __schema { queryType { name } } }'],
  ['__type', '{ __type(name: "Query") { name } }'],
  ['__schema inside a fragment', '{ ...F } fragment F on Query { __schema { types { name } } }'],
])('refuses %s without an analyst, and answers it with one', async (_what, query) => {
  const refused = await ask(query, NOBODY);
  expect(refused.data ?? undefined).toBeUndefined();
  expect(refused.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  expect(JSON.stringify(refused)).not.toMatch(/"Query"|types/);
  const answered = await ask(query, ANALYST);
  expect(answered.errors).toBeUndefined();
  expect(answered.data).toBeDefined();
});

it('lets any other operation through, analyst or not (the context decides those)', async () => {
  expect((await ask('{ hello }', NOBODY)).data).toEqual({ hello: 'world' });
  expect((await ask('{ __typename }', NOBODY)).data).toEqual({ __typename: 'Query' });
});
