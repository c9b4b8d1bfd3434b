// A member's subgraph resolves its fields without per-field plugin hooks: Apollo Server's default
// cache-control plugin hooked into every field of every answer to compute a cache policy that always came
// out `no-store` (no field of Accord's schemas has a cache hint). The subgraph now turns that plugin off
// and answers `cache-control: no-store` itself, once per answer (subgraphs/kit/noStorePlugin.ts).
import type { GraphQLResolveInfo } from 'graphql';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDefaultPolicy } from '../../policy';
import { startSubgraph, type NationalSystem } from '../../subgraphs/kit';
import { localTrust } from '../../trust';
import { analyst, TEST_NOW } from '../support/alliance';

const policy = loadDefaultPolicy();
const trustDir = mkdtempSync(join(tmpdir(), 'accord-no-field-hooks-'));
const trust = localTrust(trustDir, ['KR']);
const signer = trust.signer();
afterAll(() => rmSync(trustDir, { recursive: true, force: true }));

const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on KRSuspect { id fullName } } }`;

/** A KR system whose `fullName` resolver notes what each field resolution was given. */
function observedSystem(seen: { hooked: boolean[] }): NationalSystem {
  return {
    country: 'KR',
    createRequestRecords: () => undefined,
    resolvers: {
      KRSuspect: {
        __resolveReference: (reference: { id: string }) => ({
          __typename: 'KRSuspect',
          id: reference.id,
          operations: [],
          fullName: 'Kim Min-jun',
        }),
        fullName: (
          record: { fullName: string },
          _args: unknown,
          _context: unknown,
          info: GraphQLResolveInfo,
        ) => {
          // The cache-control plugin's willResolveField puts `cacheControl` on every field's info.
          seen.hooked.push('cacheControl' in info);
          return record.fullName;
        },
      },
    },
  };
}

it("resolves a member's fields without a per-field cache-control hook, and still answers no-store", async () => {
  const seen = { hooked: [] as boolean[] };
  const server = await startSubgraph(observedSystem(seen), {
    policy,
    now: () => TEST_NOW,
    gatewayTokens: trust.gatewayTokens('kr'),
  });
  try {
    const body = JSON.stringify({
      query: ENTITIES,
      variables: { r: [{ __typename: 'KRSuspect', id: 'KR-SUS-000001' }] },
    });
    const headers = analyst('KR', 'kim.j', { purpose: 'investigation' });
    const ctx = Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('accord-')));
    const response = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${signer.sign({ audience: 'kr', scope: 'query', ctx, body })}`,
      },
      body,
    });
    const answer = (await response.json()) as { data?: unknown; errors?: unknown };
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ _entities: [{ id: 'KR-SUS-000001', fullName: 'Kim Min-jun' }] });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(seen.hooked).toEqual([false]);
  } finally {
    await server.stop();
  }
});
