// The two patches Accord applies to graphql-shield 7.6.5 on install (patches/graphql-shield+7.6.5.patch):
// 1. Node 23+ removed util.isUndefined, which shield's chain() and race() call: they must still work.
// 2. A rule with `resolveSync` runs without a promise per field (the 1.5x goal on large lists).
import { buildSchema, execute, parse, type GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { allow, chain, deny, race, rule, shield } from 'graphql-shield';

const typeDefs = 'type Query { open: String, closed: String, chained: String, raced: String }';
const values: Record<string, string> = { open: 'o', closed: 'c', chained: 'ch', raced: 'r' };

function baseSchema(): GraphQLSchema {
  const schema = buildSchema(typeDefs);
  for (const field of Object.values(schema.getQueryType()!.getFields()))
    field.resolve = () => values[field.name];
  return schema;
}

function syncRule(result: boolean) {
  const decide = () => result;
  return Object.assign(rule({ cache: 'no_cache' })(decide), { resolveSync: decide });
}

describe('graphql-shield as patched by Accord', () => {
  it('evaluates chain() and race(), which call util.isUndefined on an unpatched shield (Node 23+)', async () => {
    const schema = applyMiddleware(
      baseSchema(),
      shield(
        { Query: { open: allow, closed: deny, chained: chain(allow, allow), raced: race(deny, allow) } },
        { fallbackRule: deny },
      ),
    );
    const result = await execute({ schema, document: parse('{ open chained raced closed }') });
    expect(result.data).toEqual({ open: 'o', chained: 'ch', raced: 'r', closed: null });
    expect(result.errors?.map((e) => e.path)).toEqual([['closed']]);
  });

  it('decides a rule with resolveSync synchronously: execute returns a result, not a promise', () => {
    const schema = applyMiddleware(
      baseSchema(),
      shield(
        {
          Query: {
            open: syncRule(true),
            closed: syncRule(false),
            chained: syncRule(true),
            raced: syncRule(true),
          },
        },
        {
          fallbackRule: syncRule(false),
        },
      ),
    );
    const result = execute({ schema, document: parse('{ open closed }') });
    expect(result).not.toBeInstanceOf(Promise);
    expect(result).toMatchObject({ data: { open: 'o', closed: null } });
  });
});
