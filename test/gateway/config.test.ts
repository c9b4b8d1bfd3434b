// The gateway's settings from the environment: checked at start-up, with messages that show the bad value.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayOptionsFromEnv } from '../../gateway';
import { identityProvidersFromEnv } from '../../gateway/identityProviders';
import { MEMBERS } from '../../schema';

describe('identity providers from the environment', () => {
  let dir: string;
  const saved = process.env['ACCORD_DATA_DIR'];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'accord-config-'));
    process.env['ACCORD_DATA_DIR'] = dir;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env['ACCORD_DATA_DIR'];
    else process.env['ACCORD_DATA_DIR'] = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to invent identity providers unless asked for demo ones', () => {
    expect(() => identityProvidersFromEnv({})).toThrow(
      `No identity provider for ${MEMBERS.map((member) => member.code).join(', ')}`,
    );
  });

  it('makes demo providers for members without one when ACCORD_DEMO_IDENTITY=1', () => {
    const issuers = identityProvidersFromEnv({
      ACCORD_DEMO_IDENTITY: '1',
      ACCORD_KR_ISSUER: 'https://idp.police.go.kr',
      ACCORD_KR_JWKS: 'https://idp.police.go.kr/jwks.json',
    });
    expect(issuers['KR']).toEqual({
      issuer: 'https://idp.police.go.kr',
      jwks: { url: 'https://idp.police.go.kr/jwks.json' },
    });
    expect(issuers['KH']).toMatchObject({
      issuer: 'https://idp.kh.accord.example',
      jwks: { file: join(dir, 'idp', 'kh', 'jwks.json') },
    });
  });

  it('refuses half a configuration', () => {
    expect(() =>
      identityProvidersFromEnv({ ACCORD_DEMO_IDENTITY: '1', ACCORD_TH_ISSUER: 'https://idp.police.go.th' }),
    ).toThrow('Set both ACCORD_TH_ISSUER and ACCORD_TH_JWKS');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a port number from 0 to 65535, not "eighty".'],
    [{ ACCORD_SUBGRAPH_URLS: '{kr:' }, 'ACCORD_SUBGRAPH_URLS must be a JSON object of subgraph name → URL'],
    [{ ACCORD_KR_URL: 'ftp://x' }, 'ACCORD_KR_URL must be an http(s) URL, not "ftp://x".'],
    [
      { ACCORD_SUBGRAPH_TIMEOUT_MS: '-5' },
      'ACCORD_SUBGRAPH_TIMEOUT_MS must be a whole number of milliseconds, not "-5".',
    ],
  ])('refuses %j with a clear message', (env, message) => {
    expect(() => gatewayOptionsFromEnv({ ACCORD_DEMO_IDENTITY: '1', ...env })).toThrow(message);
  });
});
