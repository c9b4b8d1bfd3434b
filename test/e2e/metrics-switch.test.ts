// ACCORD_METRICS (docs/operations.md): on by default in every service; off, no /metrics and nothing counted.
import { generateKeyPairSync } from 'node:crypto';
import { HUB_NAME, MEMBERS } from '../../schema';
import { createGatewayTokenVerifier } from '../../trust';
import { startHub } from '../../subgraphs/alliance';
import { hubConfigFromEnv } from '../../subgraphs/alliance/config';
import { memberConfigFromEnv } from '../../subgraphs/reference/config';
import { gatewayOptionsFromEnv } from '../../gateway/config';
import { EnvError } from '../../lib/env';

describe('ACCORD_METRICS', () => {
  it('is on unless set off, in the hub and every member', () => {
    expect(hubConfigFromEnv({}).metrics).toBe(true);
    expect(hubConfigFromEnv({ ACCORD_METRICS: 'off' }).metrics).toBe(false);
    for (const member of MEMBERS) {
      expect(memberConfigFromEnv(member.defaultPort, {}, member.code).metrics).toBe(true);
      expect(memberConfigFromEnv(member.defaultPort, { ACCORD_METRICS: '0' }, member.code).metrics).toBe(
        false,
      );
    }
  });

  it('stops the gateway at start-up on a value that is not a switch, naming the variable', () => {
    expect(() => gatewayOptionsFromEnv({ ACCORD_METRICS: 'sometimes' })).toThrow(EnvError);
    expect(() => gatewayOptionsFromEnv({ ACCORD_METRICS: 'sometimes' })).toThrow(/ACCORD_METRICS/);
  });

  it('serves /metrics when on and answers 404 when off', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const gatewayTokens = createGatewayTokenVerifier({
      trusted: [{ kid: 'k1', publicKey }],
      audience: HUB_NAME,
    });
    const on = await startHub({ host: '127.0.0.1', port: 0, gatewayTokens });
    const off = await startHub({ host: '127.0.0.1', port: 0, gatewayTokens, metrics: false });
    try {
      const metricsOf = (url: string): Promise<Response> => fetch(`${new URL(url).origin}/metrics`);
      const served = await metricsOf(on.url);
      expect(served.status).toBe(200);
      expect(await served.text()).toContain('accord_requests_total');
      expect((await metricsOf(off.url)).status).toBe(404);
    } finally {
      await Promise.all([on.stop(), off.stop()]);
    }
  });
});
