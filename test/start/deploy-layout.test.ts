// The deployment's layout file and HAProxy configuration (scripts/deployLayout.ts, scripts/haproxy.ts):
// a bad layout is refused with the key it names, and the configuration puts every process of a service
// behind its frontend, with HAProxy's own answer in GraphQL's error shape. The layout running for real:
// test/e2e/multi-instance.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GATEWAY_DEFAULT_PORT, HUB_DEFAULT_PORT, MEMBERS } from '../../schema';
import { ERROR_CODES } from '../../vocabulary';
import { LayoutError, fixedPort, layoutFrom, readLayout } from '../../scripts/deployLayout';
import { GATEWAYS, gatewayUnavailableResponse, haproxyConfig } from '../../scripts/haproxy';

const PG = 'postgres://accord@127.0.0.1:5432/accord';

describe('a deployment layout', () => {
  it('takes the example in deploy/, with the databases from the environment', () => {
    const file = join(__dirname, '..', '..', 'deploy', 'layout.example.json');
    const layout = readLayout(file, { ACCORD_AUDIT_URL: PG, ACCORD_SHARED_STATE_URL: PG });
    expect(layout).toMatchObject({ gateways: 2, memberProcesses: 2, auditUrl: PG, sharedStateUrl: PG });
    expect(JSON.parse(readFileSync(file, 'utf8'))).not.toHaveProperty('auditUrl');
  });

  it.each([
    [{}, /"dataDir"/],
    [{ dataDir: 'd', auditUrl: PG }, /"sharedStateUrl" must be a postgres/],
    [{ dataDir: 'd', auditUrl: 'sqlite:/x.db', sharedStateUrl: PG }, /"auditUrl" must be a postgres/],
    [{ dataDir: 'd', auditUrl: PG, sharedStateUrl: PG, gateways: 0 }, /"gateways" must be a whole number/],
    [{ dataDir: 'd', auditUrl: PG, sharedStateUrl: PG, ports: 'any' }, /"ports" is "free"/],
    [{ dataDir: 'd', auditUrl: PG, sharedStateUrl: PG, members: { ZZ: {} } }, /"members.ZZ": not a member/],
    [{ dataDir: 'd', auditUrl: PG, sharedStateUrl: PG, gateway: 2 }, /Unknown key "gateway"/],
  ])('refuses %j, naming what is wrong', (raw, message) => {
    expect(() => layoutFrom(raw, '/tmp')).toThrow(LayoutError);
    expect(() => layoutFrom(raw, '/tmp')).toThrow(message);
  });

  it('places fixed ports where npm start would put each service, each process 1000 above the last', () => {
    expect(fixedPort(7000, GATEWAY_DEFAULT_PORT, 0)).toBe(7000);
    expect(fixedPort(7000, HUB_DEFAULT_PORT, 0)).toBe(7000 + HUB_DEFAULT_PORT - GATEWAY_DEFAULT_PORT);
    for (const member of MEMBERS)
      expect(fixedPort(7000, member.defaultPort, 2)).toBe(
        7000 + member.defaultPort - GATEWAY_DEFAULT_PORT + 2000,
      );
  });
});

describe("HAProxy's configuration", () => {
  const config = haproxyConfig({
    gatewayErrorFile: '/run/accord/gateway-unavailable.http',
    backends: [
      {
        service: GATEWAYS,
        frontend: { host: '127.0.0.1', port: 7000 },
        servers: [
          { name: 'gateway-1', address: '127.0.0.1:8000' },
          { name: 'gateway-2', address: '127.0.0.1:9000' },
        ],
      },
      {
        service: 'kr',
        frontend: { host: '::1', port: 7101 },
        servers: [
          { name: 'kr-1', address: '[::1]:8101' },
          { name: 'kr-2', address: '[::1]:9101' },
        ],
      },
    ],
  });

  it('puts every process of a service behind its frontend, checked on /health', () => {
    expect(config).toMatch(/^frontend gateway\n {2}bind 127\.0\.0\.1:7000\n/m);
    expect(config).toMatch(/^frontend kr\n {2}bind \[::1\]:7101\n/m);
    for (const server of [
      'gateway-1 127.0.0.1:8000',
      'gateway-2 127.0.0.1:9000',
      'kr-1 [::1]:8101',
      'kr-2 [::1]:9101',
    ])
      expect(config).toContain(`  server ${server}\n`);
    expect(config.match(/option httpchk GET \/health/g)).toHaveLength(2);
  });

  it("answers for the gateways alone, one request per analyst's connection, and retries only refused connections", () => {
    const gatewayPart = config.slice(config.indexOf('frontend gateway'), config.indexOf('frontend kr'));
    const memberPart = config.slice(config.indexOf('frontend kr'));
    expect(gatewayPart).toContain('option httpclose');
    expect(gatewayPart.match(/errorfile \d+ \/run\/accord\/gateway-unavailable\.http/g)).toHaveLength(3);
    expect(memberPart).not.toContain('errorfile');
    expect(config).toContain('option redispatch');
    expect(config).not.toContain('retry-on');
  });

  it("says so in GraphQL's error shape with a code of the closed set, and names no process", () => {
    const response = gatewayUnavailableResponse();
    const [head, body] = response.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 503 /);
    expect(head).toContain(`content-length: ${Buffer.byteLength(body!)}`);
    const parsed = JSON.parse(body!) as { errors: { message: string; extensions: { code: string } }[] };
    expect(Object.values(ERROR_CODES)).toContain(parsed.errors[0]!.extensions.code);
    expect(parsed.errors[0]!.message).not.toMatch(/\d+\.\d+|:\d{2,5}|gateway-\d/);
  });
});
