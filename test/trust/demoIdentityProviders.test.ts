import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tokenCommand } from '../../scripts/token';
import {
  TrustConfigError,
  createAnalystVerifier,
  demoIssuer,
  ensureDemoIdentityProviders,
  signDemoAnalystToken,
} from '../../trust';
import { MEMBERS } from '../../schema';
import { temporaryDir } from './forge';

const tmp = temporaryDir('idp');

describe('demo identity providers', () => {
  it('creates a key pair per member on first use and reuses it after', () => {
    const dir = join(tmp.path(), 'first');
    const issuers = ensureDemoIdentityProviders(dir, ['KR', 'KH']);
    expect(issuers).toEqual({
      KR: { issuer: 'https://idp.kr.accord.example', jwks: { file: join(dir, 'kr', 'jwks.json') } },
      KH: { issuer: 'https://idp.kh.accord.example', jwks: { file: join(dir, 'kh', 'jwks.json') } },
    });
    const privateKey = readFileSync(join(dir, 'kr', 'private.pem'), 'utf8');
    const jwks = readFileSync(join(dir, 'kr', 'jwks.json'), 'utf8');
    expect(statSync(join(dir, 'kr', 'private.pem')).mode & 0o077).toBe(0);
    expect(JSON.parse(jwks)).toEqual({
      keys: [
        {
          kty: 'EC',
          crv: 'P-256',
          x: expect.any(String),
          y: expect.any(String),
          kid: expect.stringMatching(/^kr-/),
          alg: 'ES256',
          use: 'sig',
        },
      ],
    });

    ensureDemoIdentityProviders(dir, ['KR', 'KH']);
    expect(readFileSync(join(dir, 'kr', 'private.pem'), 'utf8')).toBe(privateKey);
    // A lost jwks.json is rebuilt from the key it publishes.
    rmSync(join(dir, 'kr', 'jwks.json'));
    ensureDemoIdentityProviders(dir, ['KR']);
    expect(readFileSync(join(dir, 'kr', 'jwks.json'), 'utf8')).toBe(jwks);
  });

  it('refuses what is not a member code, and analysts, roles and lifetimes of the wrong shape', async () => {
    const dir = join(tmp.path(), 'shapes');
    expect(() => ensureDemoIdentityProviders(dir, ['kr'])).toThrow(TrustConfigError);
    expect(() => demoIssuer('Korea')).toThrow(TrustConfigError);
    ensureDemoIdentityProviders(dir, ['KR']);
    const base = { dir, country: 'KR', analyst: 'kim.j', audience: 'accord-gateway' };
    await expect(signDemoAnalystToken({ ...base, analyst: 'Kim J' })).rejects.toThrow(/analyst id/);
    await expect(signDemoAnalystToken({ ...base, roles: ['Admin'] })).rejects.toThrow(/role/);
    await expect(signDemoAnalystToken({ ...base, ttlSeconds: 0 })).rejects.toThrow(/lifetime/);
    await expect(signDemoAnalystToken({ ...base, country: 'TH' })).rejects.toThrow(
      /No demo identity provider for TH/,
    );
  });
});

describe('npm run token', () => {
  function run(
    argv: string[],
    dataDir = join(tmp.path(), 'data'),
  ): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    // The keys npm start makes before anything signs (npm run token refuses a folder without them).
    ensureDemoIdentityProviders(
      join(dataDir, 'idp'),
      MEMBERS.map((member) => member.code),
    );
    return tokenCommand(argv, {
      out: (text) => out.push(text),
      err: (text) => err.push(text),
      env: { ACCORD_DATA_DIR: dataDir },
      root: '/nonexistent',
    }).then((code) => ({
      code,
      out: out.join('\n'),
      err: err.join('\n'),
    }));
  }

  it('prints a token the gateway accepts, signed by the member’s demo identity provider', async () => {
    const { code, out, err } = await run([
      '--country',
      'kr',
      '--analyst',
      'kim.j',
      '--roles',
      'analyst,supervisor',
      '--jit',
      'JTF-KR-KH-2025',
      '--ttl',
      '600',
    ]);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const issuers = ensureDemoIdentityProviders(join(tmp.path(), 'data', 'idp'), [
      'KR',
      'KH',
      'TH',
      'PH',
      'VN',
    ]);
    const identity = await createAnalystVerifier({ issuers, audience: 'accord-gateway' }).verify(out);
    expect(identity).toMatchObject({
      country: 'KR',
      analyst: 'kim.j',
      roles: ['analyst', 'supervisor'],
      jit: 'JTF-KR-KH-2025',
    });
    expect(identity.expiresAt.getTime() - Date.now()).toBeGreaterThan(500_000);
  });

  it.each([
    [['--analyst', 'kim.j'], /--country is required/],
    [['--country', 'KR'], /--analyst is required/],
    [
      ['--country', 'KP', '--analyst', 'kim.j'],
      new RegExp(
        `"KP" is not a member \\(did you mean KH or KR\\?\\); members: ${MEMBERS.map((member) => member.code).join(', ')}\\.$`,
        'm',
      ),
    ],
    [['--country', 'KR', '--analyst', 'Kim J'], /analyst id must be 1 to 64 lower-case letters/],
    [['--country', 'KR', '--analyst', 'kim.j', '--ttl', '1h'], /--ttl must be a whole number of seconds/],
    [
      ['--country', 'KR', '--analyst', 'kim.j', '--ttl', '999999'],
      /lifetime must be a whole number of seconds from 1 to 43200/,
    ],
    [['--country', 'KR', '--analyst', 'kim.j', '--jit', 'x'], /joint-team id/],
    [['--country', 'KR', '--analyst', 'kim.j', '--bogus'], /unknown option --bogus/],
  ])('refuses %j with a clear error and exit code 2', async (argv, message) => {
    const { code, out, err } = await run(argv);
    expect({ code, out }).toEqual({ code: 2, out: '' });
    expect(err).toMatch(message);
  });
});
