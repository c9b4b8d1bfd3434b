// Production settings are the default; development mode turns on introspection and a local explorer.
import { startGateway } from '../../gateway';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localTrust } from '../../trust';
import { post } from '../support/alliance';

const KR = { 'accord-purpose': 'investigation' };

describe.each([
  [false, 400, 404],
  [true, 200, 200],
])('a gateway with dev = %s', (dev, introspectionStatus, explorerStatus) => {
  it(`answers introspection with ${introspectionStatus} and /explorer with ${explorerStatus}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-dev-'));
    const trust = localTrust(dir, ['KR']);
    const gateway = await startGateway({ analysts: trust.analysts(), signer: trust.signer(), host: '127.0.0.1', port: 0, dev, legalPage: false });
    try {
      const headers = { ...KR, authorization: `Bearer ${await trust.analystToken('KR', 'lee.h')}` };
      const introspection = await post(gateway.url, { query: '{ __schema { queryType { name } } }' }, headers);
      expect(introspection.status).toBe(introspectionStatus);
      const explorer = await fetch(`${new URL(gateway.url).origin}/explorer`);
      expect(explorer.status).toBe(explorerStatus);
      if (dev) expect(await explorer.text()).not.toMatch(/<script src=|https?:\/\/(?!localhost)/);
    } finally {
      await gateway.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
