// The kit's guard as a national system sees it: failures are failures (not "Not Authorised!", and not
// leaked), a field without a rule is withheld, and no decision outlives its request.
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse } from 'graphql';
import { loadDefaultPolicy } from '../../policy';
import { memberSubgraphSdl } from '../../schema';
import { startSubgraph, type NationalSystem } from '../../subgraphs/kit';
import { AuthorizationState } from '../../subgraphs/kit/authorization/state';
import { shieldSchema } from '../../subgraphs/kit/authorization/shieldSchema';
import { openStore } from '../../subgraphs/reference';
import * as kh from '../../subgraphs/kh';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localTrust } from '../../trust';
import { analyst, post, TEST_NOW } from '../support/alliance';

const policy = loadDefaultPolicy();
const trustDir = mkdtempSync(join(tmpdir(), 'accord-guard-'));
const trust = localTrust(trustDir, ['KR', 'KH', 'TH']);
const signer = trust.signer();
afterAll(() => rmSync(trustDir, { recursive: true, force: true }));

/** POSTs to a member's subgraph as the gateway does: signed for it, with the analyst's context. */
function postAsGateway(url: string, audience: string, body: unknown, headers: Record<string, string>) {
  const text = JSON.stringify(body);
  const ctx = Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('accord-')));
  return post(url, text, {
    authorization: `Bearer ${signer.sign({ audience, scope: 'query', ctx, body: text })}`,
  });
}
const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on KRSuspect { id fullName aliases } } }`;

function failingSystem(): NationalSystem {
  return {
    country: 'KR',
    createRequestRecords: () => undefined,
    resolvers: {
      KRSuspect: {
        __resolveReference: (reference: { id: string }) => ({
          __typename: 'KRSuspect',
          id: reference.id,
          operations: [],
          aliases: ['x'],
        }),
        fullName: () => {
          throw new Error(
            'SQLITE_CORRUPT: database disk image is malformed (SELECT * FROM suspects WHERE id = ?) at /srv/kr/data.sqlite',
          );
        },
      },
    },
  };
}

describe('a resolver that fails', () => {
  it('is reported as a failure of the member, never as an authorization error, and leaks nothing', async () => {
    const server = await startSubgraph(failingSystem(), {
      policy,
      now: () => TEST_NOW,
      gatewayTokens: trust.gatewayTokens('kr'),
    });
    try {
      const { body } = await postAsGateway(
        server.url,
        'kr',
        { query: ENTITIES, variables: { r: [{ __typename: 'KRSuspect', id: 'KR-SUS-000001' }] } },
        analyst('KR', 'kim.j', { purpose: 'investigation' }),
      );
      expect(body.data).toEqual({ _entities: [{ id: 'KR-SUS-000001', fullName: null, aliases: ['x'] }] });
      expect(body.errors).toEqual([
        {
          message: 'KR failed to resolve this field.',
          locations: expect.any(Array),
          path: ['_entities', 0, 'fullName'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ]);
      expect(JSON.stringify(body)).not.toMatch(/SQLITE|SELECT|\/srv|Not Authorised/);
    } finally {
      await server.stop();
    }
  });
});

describe('deny by default', () => {
  it('withholds a field of an own type that has no category, even from the owner', () => {
    const sdl = memberSubgraphSdl('KR').replace(
      'type KRSuspect implements Suspect @key(fields: "id") {',
      'type KRSuspect implements Suspect @key(fields: "id") {\n  secretNote: String',
    );
    const schema = shieldSchema(
      buildSubgraphSchema([
        {
          typeDefs: parse(sdl),
          resolvers: {
            KRSuspect: {
              __resolveReference: (r: { id: string }) => ({ ...r, secretNote: 'x', fullName: 'y' }),
            },
          },
        },
      ]),
      'KR',
    );
    const accord = new AuthorizationState(
      policy,
      'KR',
      { country: 'KR', analyst: 'kim.j', roles: [], purpose: 'investigation' },
      TEST_NOW,
    );
    const result = execute({
      schema,
      document: parse(
        'query ($r: [_Any!]!) { _entities(representations: $r) { ... on KRSuspect { fullName secretNote } } }',
      ),
      variableValues: { r: [{ __typename: 'KRSuspect', id: 'KR-SUS-000001' }] },
      contextValue: { accord },
    });
    return Promise.resolve(result).then((answer) => {
      expect(answer.data).toEqual({ _entities: [{ fullName: 'y', secretNote: null }] });
      expect(
        answer.errors?.map((e) => [e.path?.join('.'), e.extensions['code'], e.extensions['reason']]),
      ).toEqual([['_entities.0.secretNote', 'WITHHELD', 'NO_RULE']]);
    });
  });
});

describe('decisions never outlive their request', () => {
  it('answers interleaved concurrent requests of different countries each by its own requester', async () => {
    const store = openStore({ country: 'KH', file: ':memory:' });
    const server = await startSubgraph(kh.createSystem({ store }), {
      policy,
      now: () => TEST_NOW,
      gatewayTokens: trust.gatewayTokens('kh'),
    });
    try {
      const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on KHSuspect { id fullName } } }`;
      const variables = { r: [{ __typename: 'KHSuspect', id: 'KH-SUS-000001' }] };
      const owner = analyst('KH', 'sok.r', { purpose: 'investigation' });
      const foreign = analyst('TH', 'somchai.p', { purpose: 'investigation', case: 'TH-CAS-000001' });
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          postAsGateway(server.url, 'kh', { query, variables }, i % 2 === 0 ? owner : foreign),
        ),
      );
      for (const [i, { body }] of answers.entries()) {
        const fullName = (body.data!['_entities'] as { fullName: string | null }[])[0]!.fullName;
        if (i % 2 === 0) expect(fullName).toBe('DO GANG MIN');
        else expect(fullName).toBeNull();
      }
    } finally {
      await server.stop();
    }
  });
});
