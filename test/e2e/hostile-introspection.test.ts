/**
 * Red team, issue 14: introspection, now answered to every holder of a gateway token, escapes the
 * operation limits every other query is held to (gateway/limits.ts). graphql-armor's depth limit skips
 * `__schema` (its `ignoreIntrospection` defaults to true) and listCostRule costs a meta field at 1 and
 * does not descend into it (`__schema` is not among the root type's getFields()). Only graphql-js's
 * MaxIntrospectionDepthRule bounds it, at three nested lists per path: with 15 aliases of one wide
 * `__schema` selection, a 2 KB request makes the gateway build about 5.5 MB, synchronously, for some
 * seconds on one core, during which /health and every analyst's query wait.
 */
import { getIntrospectionQuery } from 'graphql';
import { analyst, post, startAlliance, type Alliance } from '../support/alliance';

const KR = analyst('KR', 'kim.j', { purpose: 'investigation', case: 'KR-CAS-000001' });

let alliance: Alliance;
beforeAll(async () => {
  alliance = await startAlliance();
}, 120_000);
afterAll(() => alliance?.stop());

const FIELD =
  'fragment L on __Field { name description args { name description type { name } } type { name ofType { name ofType { name ofType { name } } } } }';
const WIDE =
  'types { name description fields { ...L type { ofType { ofType { fields { ...L } } fields { ...L } } fields { ...L } } } }';

describe('introspection is held to the operation limits', () => {
  it('still answers the one introspection query GraphiQL sends (the explorer needs it)', async () => {
    const answer = await post(
      alliance.gatewayUrl,
      { query: getIntrospectionQuery(), operationName: 'IntrospectionQuery' },
      await alliance.clientHeaders(KR),
    );
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
  });

  it('refuses many aliased copies of a wide __schema selection, as it refuses any operation over budget', async () => {
    const aliases = Array.from({ length: 15 }, (_, i) => `a${i}: __schema { ${WIDE} }`).join(' ');
    const started = Date.now();
    const answer = await post(
      alliance.gatewayUrl,
      { query: `{ ${aliases} } ${FIELD}` },
      await alliance.clientHeaders(KR),
    );
    const took = Date.now() - started;
    // Today: HTTP 200 with every copy, megabytes, after seconds of the gateway's only thread.
    expect({
      status: answer.status,
      code: answer.body.errors?.[0]?.extensions?.['code'],
      bytes: JSON.stringify(answer.body).length < 1_000_000,
      took: took < 1_000,
    }).toEqual({
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
      bytes: true,
      took: true,
    });
  });
});
