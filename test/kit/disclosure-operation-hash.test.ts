// The owner's disclosure record names the operation it answered by the sha256 (hex) of its exact text
// (audit/ids.ts hashOperation). The kit takes it from Apollo Server, which hashes the same text once per
// request to find the parsed operation (subgraphs/kit/disclosure.ts): pinned here against a hash computed
// in the test, for two different operations, on a real audit log read back.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditLog, openAuditReader, type CrossingBody } from '../../audit';
import { loadDefaultPolicy } from '../../policy';
import { startSubgraph } from '../../subgraphs/kit';
import { openStore } from '../../subgraphs/reference';
import { createSystem } from '../../subgraphs/kr';
import { localTrust } from '../../trust';
import { analyst, TEST_NOW } from '../support/alliance';

const dir = mkdtempSync(join(tmpdir(), 'accord-disclosure-hash-'));
const trust = localTrust(join(dir, 'keys'), ['KR', 'TH']);
const signer = trust.signer();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OPERATIONS = [
  `query ($r: [_Any!]!) { _entities(representations: $r) { ... on KRSuspect { id fullName } } }`,
  `query Named($r: [_Any!]!) {\n  _entities(representations: $r) { ... on KRSuspect { id nationality } }\n}`,
];

it('names each answered operation by the sha256 of its exact text', async () => {
  const url = `sqlite:${join(dir, 'kr.db')}`;
  const audit = await openAuditLog({ url, writer: { instance: 'kr' } });
  const store = openStore({ country: 'KR', file: ':memory:' });
  const server = await startSubgraph(createSystem({ store }), {
    policy: loadDefaultPolicy(),
    now: () => TEST_NOW,
    gatewayTokens: trust.gatewayTokens('kr'),
    audit,
  });
  try {
    const headers = analyst('TH', 'somchai.p', { purpose: 'investigation' });
    const ctx = Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('accord-')));
    for (const query of OPERATIONS) {
      const body = JSON.stringify({
        query,
        variables: { r: [{ __typename: 'KRSuspect', id: 'KR-SUS-000001' }] },
      });
      const response = await fetch(server.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${signer.sign({ audience: 'kr', scope: 'query', ctx, body })}`,
        },
        body,
      });
      expect(response.status).toBe(200);
    }
  } finally {
    await server.stop();
    await audit.close();
    store.close();
  }
  const reader = await openAuditReader(url);
  try {
    const disclosures = (await reader.query({ kinds: ['disclosure'], limit: 100 })).map(
      (found) => found.entry!.body as CrossingBody,
    );
    expect(disclosures.map((record) => record.operationHash)).toEqual(
      OPERATIONS.map((query) => createHash('sha256').update(query, 'utf8').digest('hex')),
    );
  } finally {
    await reader.close();
  }
});
