// Production settings are the default; development mode only lets error messages suggest field names.
// Introspection (for authenticated analysts) and the explorer are the same in both (test/e2e/explorer.test.ts).
import { startGateway } from '../../gateway';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localTrust } from '../../trust';
import { post } from '../support/alliance';

const KR = { 'accord-purpose': 'investigation' };

describe.each([
  [false, false],
  [true, true],
])('a gateway with dev = %s', (dev, suggests) => {
  it(`answers an authenticated analyst's introspection, and ${suggests ? 'suggests' : 'does not suggest'} field names`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-dev-'));
    const trust = localTrust(dir, ['KR']);
    const gateway = await startGateway({
      analysts: trust.analysts(),
      signer: trust.signer(),
      host: '127.0.0.1',
      port: 0,
      dev,
      legalPage: false,
    });
    try {
      const headers = { ...KR, authorization: `Bearer ${await trust.analystToken('KR', 'lee.h')}` };
      const introspection = await post(
        gateway.url,
        { query: '{ __schema { queryType { name } } }' },
        headers,
      );
      expect(introspection.status).toBe(200);
      expect(introspection.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
      expect((await post(gateway.url, { query: '{ __schema { queryType { name } } }' }, KR)).status).toBe(
        401,
      );
      const typo = await post(gateway.url, { query: '{ members { cod } }' }, headers);
      expect(typo.status).toBe(400);
      expect(typo.body.errors![0]!.message.includes('Did you mean')).toBe(suggests);
    } finally {
      await gateway.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
