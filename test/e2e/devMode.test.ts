// Production settings are the default; development mode turns on introspection and a local explorer.
import { startGateway } from '../../gateway';
import { analyst, post } from '../support/alliance';

const KR = analyst('KR', 'lee.h', { purpose: 'investigation' });

describe.each([
  [false, 400, 404],
  [true, 200, 200],
])('a gateway with dev = %s', (dev, introspectionStatus, explorerStatus) => {
  it(`answers introspection with ${introspectionStatus} and /explorer with ${explorerStatus}`, async () => {
    const gateway = await startGateway({ host: '127.0.0.1', port: 0, dev, legalPage: false });
    try {
      const introspection = await post(gateway.url, { query: '{ __schema { queryType { name } } }' }, KR);
      expect(introspection.status).toBe(introspectionStatus);
      const explorer = await fetch(`${new URL(gateway.url).origin}/explorer`);
      expect(explorer.status).toBe(explorerStatus);
      if (dev) expect(await explorer.text()).not.toMatch(/<script src=|https?:\/\/(?!localhost)/);
    } finally {
      await gateway.stop();
    }
  });
});
