import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  TrustConfigError,
  TrustError,
  createAnalystVerifier,
  demoIssuer,
  ensureDemoIdentityProviders,
  signDemoAnalystToken,
  type AnalystIssuer,
  type AnalystVerifier,
  type TrustErrorReason,
} from '../../trust';
import { b64, compact, es256, hs256, temporaryDir, testClock, unsigned } from './forge';

const AUDIENCE = 'accord-gateway';
const tmp = temporaryDir('analyst');
const clock = testClock();
let issuers: Record<string, AnalystIssuer>;
let verifier: AnalystVerifier;

/** A member's demo key and kid, to forge with. */
function demoKey(country: string): { privateKey: KeyObject; kid: string; jwksFile: string } {
  const folder = join(tmp.path(), country.toLowerCase());
  const jwksFile = join(folder, 'jwks.json');
  const { keys } = JSON.parse(readFileSync(jwksFile, 'utf8')) as { keys: { kid: string }[] };
  return {
    privateKey: createPrivateKey(readFileSync(join(folder, 'private.pem'))),
    kid: keys[0]!.kid,
    jwksFile,
  };
}

/** Claims of a good KR token at the test clock. */
function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = Math.floor(clock.now() / 1000);
  return {
    iss: demoIssuer('KR'),
    sub: 'kim.j',
    aud: AUDIENCE,
    iat,
    nbf: iat,
    exp: iat + 3600,
    roles: ['analyst'],
    jti: 'abc-123',
    ...overrides,
  };
}

function signKr(payload: Record<string, unknown> = claims(), header: Record<string, unknown> = {}): string {
  const { privateKey, kid } = demoKey('KR');
  return compact({ alg: 'ES256', kid, typ: 'JWT', ...header }, payload, es256(privateKey));
}

async function expectRefused(
  token: string | undefined,
  reason: TrustErrorReason,
  using: AnalystVerifier = verifier,
): Promise<TrustError> {
  const error = await using.verify(token).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(TrustError);
  const refusal = error as TrustError;
  expect({ reason: refusal.reason, message: refusal.message }).toEqual({
    reason,
    message: expect.any(String),
  });
  // Says what is wrong, reveals nothing of how trust is configured.
  expect(refusal.message).not.toContain(tmp.path());
  expect(refusal.message).not.toMatch(/BEGIN|PRIVATE|jwks\.json|\.pem/);
  return refusal;
}

beforeAll(() => {
  issuers = ensureDemoIdentityProviders(tmp.path(), ['KR', 'KH', 'TH']);
  verifier = createAnalystVerifier({ issuers, audience: AUDIENCE, now: clock.now });
});

describe('analyst tokens: accepted', () => {
  it('takes the country from the issuer and returns who the analyst is', async () => {
    const token = await signDemoAnalystToken({
      dir: tmp.path(),
      country: 'KH',
      analyst: 'sok.c',
      roles: ['analyst', 'supervisor'],
      jit: 'JTF-KR-KH-2025',
      audience: AUDIENCE,
      now: clock.now(),
    });
    const identity = await verifier.verify(token);
    expect(identity).toEqual({
      country: 'KH',
      analyst: 'sok.c',
      roles: ['analyst', 'supervisor'],
      issuer: 'https://idp.kh.accord.example',
      jti: expect.any(String),
      jit: 'JTF-KR-KH-2025',
      expiresAt: new Date(Math.floor(clock.now() / 1000) * 1000 + 3_600_000),
    });
  });

  it('gives the analyst role when the token names none, and accepts a country claim that agrees', async () => {
    const { roles: _roles, ...withoutRoles } = claims({ country: 'KR' });
    expect(await verifier.verify(signKr(withoutRoles))).toMatchObject({ country: 'KR', roles: ['analyst'] });
  });

  it('allows the clock skew: expired 20 s ago or valid from 20 s ahead still passes (default 30 s)', async () => {
    const iat = Math.floor(clock.now() / 1000);
    await expect(verifier.verify(signKr(claims({ exp: iat - 20 })))).resolves.toMatchObject({
      analyst: 'kim.j',
    });
    await expect(verifier.verify(signKr(claims({ nbf: iat + 20 })))).resolves.toMatchObject({
      analyst: 'kim.j',
    });
  });

  it('accepts EdDSA (Ed25519) from an identity provider that uses it', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const file = join(tmp.path(), 'ph-ed25519.json');
    writeFileSync(
      file,
      JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'ph-1', alg: 'EdDSA' }] }),
    );
    const withPh = createAnalystVerifier({
      issuers: { ...issuers, PH: { issuer: 'https://idp.ph.example', jwks: { file } } },
      audience: AUDIENCE,
      now: clock.now,
    });
    const token = compact(
      { alg: 'EdDSA', kid: 'ph-1' },
      claims({ iss: 'https://idp.ph.example', sub: 'reyes.m' }),
      (input) => sign(null, input, privateKey),
    );
    await expect(withPh.verify(token)).resolves.toMatchObject({ country: 'PH', analyst: 'reyes.m' });
  });
});

describe('analyst tokens: every hostile case is refused with a stable reason', () => {
  it('no token', async () => {
    await expectRefused(undefined, 'MISSING');
    await expectRefused('', 'MISSING');
  });

  it.each([
    ['not a JWT', 'hello'],
    ['two parts', 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0'],
    ['five parts (an encrypted JWT)', 'a.b.c.d.e'],
    ['a header that is not JSON', `${b64('not json')}.${b64({})}.sig`],
    ['a payload that is not JSON', `${b64({ alg: 'ES256' })}.${b64('[[[')}.sig`],
    ['a token of 20 KB', `${b64({ alg: 'ES256' })}.${'a'.repeat(20_000)}.sig`],
  ])('malformed: %s', async (_what, token) => {
    await expectRefused(token, 'MALFORMED');
  });

  it('an issuer that is no member’s identity provider (even with a member’s valid signature)', async () => {
    await expectRefused(signKr(claims({ iss: 'https://idp.evil.example' })), 'UNKNOWN_ISSUER');
    const { iss: _iss, ...noIssuer } = claims();
    await expectRefused(signKr(noIssuer), 'INVALID_CLAIMS');
  });

  it('expired beyond the clock skew', async () => {
    const old = await signDemoAnalystToken({
      dir: tmp.path(),
      country: 'KR',
      analyst: 'kim.j',
      audience: AUDIENCE,
      ttlSeconds: 60,
      now: clock.now() - 120_000,
    });
    await expectRefused(old, 'EXPIRED');
  });

  it('not yet valid beyond the clock skew', async () => {
    const early = await signDemoAnalystToken({
      dir: tmp.path(),
      country: 'KR',
      analyst: 'kim.j',
      audience: AUDIENCE,
      now: clock.now() + 120_000,
    });
    await expectRefused(early, 'NOT_YET_VALID');
  });

  it('no expiry at all', async () => {
    const { exp: _exp, ...forever } = claims();
    await expectRefused(signKr(forever), 'INVALID_CLAIMS');
  });

  it('alg: none, with or without a signature part', async () => {
    await expectRefused(compact({ alg: 'none' }, claims(), unsigned), 'ALGORITHM_REFUSED');
    await expectRefused(
      compact({ alg: 'none', kid: demoKey('KR').kid }, claims(), hs256('x')),
      'ALGORITHM_REFUSED',
    );
    await expectRefused(compact({ alg: 'NONE' }, claims(), unsigned), 'ALGORITHM_REFUSED');
  });

  it('HS256 "signed" with the identity provider’s public key (algorithm confusion)', async () => {
    const { kid, jwksFile } = demoKey('KR');
    const jwk = (JSON.parse(readFileSync(jwksFile, 'utf8')) as { keys: object[] }).keys[0]!;
    const pem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({ format: 'pem', type: 'spki' });
    for (const secret of [pem, JSON.stringify(jwk), readFileSync(jwksFile)]) {
      await expectRefused(compact({ alg: 'HS256', kid }, claims(), hs256(secret)), 'ALGORITHM_REFUSED');
    }
    await expectRefused(compact({ alg: 'HS512', kid }, claims(), hs256(pem)), 'ALGORITHM_REFUSED');
  });

  it('an algorithm outside the allow-list, even if asymmetric', async () => {
    await expectRefused(signKr(claims(), { alg: 'RS256' }), 'ALGORITHM_REFUSED');
    const esOnly = createAnalystVerifier({
      issuers,
      audience: AUDIENCE,
      algorithms: ['ES256'],
      now: clock.now,
    });
    await expectRefused(compact({ alg: 'EdDSA' }, claims(), unsigned), 'ALGORITHM_REFUSED', esOnly);
  });

  it('a country claim that differs from the issuer’s member', async () => {
    await expectRefused(signKr(claims({ country: 'KH' })), 'COUNTRY_MISMATCH');
    await expectRefused(signKr(claims({ country: 'kr' })), 'COUNTRY_MISMATCH');
    await expectRefused(signKr(claims({ country: ['KR'] })), 'COUNTRY_MISMATCH');
  });

  it('one member’s identity-provider key used with another member’s issuer', async () => {
    const { privateKey: krKey, kid: krKid } = demoKey('KR');
    const { kid: thKid } = demoKey('TH');
    const asThai = claims({ iss: demoIssuer('TH'), sub: 'somchai.p' });
    // KR's kid: TH does not publish it.
    await expectRefused(compact({ alg: 'ES256', kid: krKid }, asThai, es256(krKey)), 'UNKNOWN_KEY');
    // TH's kid, or no kid: TH's key does not verify KR's signature.
    await expectRefused(compact({ alg: 'ES256', kid: thKid }, asThai, es256(krKey)), 'BAD_SIGNATURE');
    await expectRefused(compact({ alg: 'ES256' }, asThai, es256(krKey)), 'BAD_SIGNATURE');
  });

  it('a signature that does not verify (payload changed after signing)', async () => {
    const [header, , signature] = signKr().split('.');
    await expectRefused(`${header}.${b64(claims({ sub: 'someone.else' }))}.${signature}`, 'BAD_SIGNATURE');
  });

  it('the wrong audience', async () => {
    await expectRefused(signKr(claims({ aud: 'another-service' })), 'WRONG_AUDIENCE');
    const { aud: _aud, ...noAudience } = claims();
    await expectRefused(signKr(noAudience), 'WRONG_AUDIENCE');
  });

  it.each([
    ['an analyst id with capitals and spaces', { sub: 'Kim J' }],
    ['an analyst id of 65 characters', { sub: 'k'.repeat(65) }],
    ['no analyst id', { sub: undefined }],
    ['roles that are a string', { roles: 'analyst' }],
    ['a role that is not a short lower-case word', { roles: ['Admin!'] }],
    ['a joint-team id of the wrong shape', { jit: 'x' }],
  ])('invalid claims: %s', async (_what, override) => {
    await expectRefused(signKr(claims(override)), 'INVALID_CLAIMS');
  });
});

describe('analyst tokens: key rotation without a restart', () => {
  it('accepts a key added to the JWKS file, and stops accepting one removed from it', async () => {
    const rotating = temporaryRotation();
    const verifying = createAnalystVerifier({
      issuers: rotating.issuers,
      audience: AUDIENCE,
      now: clock.now,
    });
    const oldToken = rotating.sign('old');
    await expect(verifying.verify(oldToken)).resolves.toMatchObject({ country: 'VN' });

    rotating.publish(['old', 'new']);
    await expect(verifying.verify(rotating.sign('new'))).resolves.toMatchObject({ country: 'VN' });
    await expect(verifying.verify(oldToken)).resolves.toMatchObject({ country: 'VN' });

    rotating.publish(['new']);
    clock.advance(11_000); // past the refresh interval (10 s)
    await expectRefused(oldToken, 'UNKNOWN_KEY', verifying);
    await expect(verifying.verify(rotating.sign('new'))).resolves.toMatchObject({ country: 'VN' });
  });

  it('re-reads the file for unknown kids at most once per cooldown', async () => {
    const rotating = temporaryRotation();
    const verifying = createAnalystVerifier({
      issuers: rotating.issuers,
      audience: AUDIENCE,
      now: clock.now,
    });
    await expectRefused(rotating.sign('new'), 'UNKNOWN_KEY', verifying); // a re-read: not there yet
    rotating.publish(['old', 'new']);
    await expectRefused(rotating.sign('new'), 'UNKNOWN_KEY', verifying); // within the cooldown: no re-read
    clock.advance(1_000);
    await expect(verifying.verify(rotating.sign('new'))).resolves.toMatchObject({ country: 'VN' });
  });

  it('keeps the keys it has when the file turns bad, and says so', async () => {
    const rotating = temporaryRotation();
    const problems: Error[] = [];
    const verifying = createAnalystVerifier({
      issuers: rotating.issuers,
      audience: AUDIENCE,
      now: clock.now,
      onReloadError: (error) => problems.push(error),
    });
    writeFileSync(rotating.file, '{"keys": [ half a fi');
    clock.advance(11_000);
    await expect(verifying.verify(rotating.sign('old'))).resolves.toMatchObject({ country: 'VN' });
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining('is not JSON; keeping the previous keys'),
    ]);
  });
});

let rotations = 0;
/** VN's identity provider with two keys, "old" and "new", of which the file publishes the ones asked. */
function temporaryRotation(): {
  issuers: Record<string, AnalystIssuer>;
  file: string;
  sign: (which: 'old' | 'new') => string;
  publish: (which: ('old' | 'new')[]) => void;
} {
  const file = join(tmp.path(), `vn-rotation-${++rotations}.json`);
  const keys = {
    old: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
    new: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  };
  const kid = (which: 'old' | 'new'): string => `vn-${rotations}-${which}`;
  const publish = (which: ('old' | 'new')[]): void =>
    writeFileSync(
      file,
      JSON.stringify({
        keys: which.map((w) => ({
          ...keys[w].publicKey.export({ format: 'jwk' }),
          kid: kid(w),
          alg: 'ES256',
        })),
      }),
    );
  publish(['old']);
  return {
    issuers: { VN: { issuer: 'https://idp.vn.example', jwks: { file } } },
    file,
    publish,
    sign: (which) =>
      compact(
        { alg: 'ES256', kid: kid(which) },
        claims({ iss: 'https://idp.vn.example', sub: 'nguyen.t' }),
        es256(keys[which].privateKey),
      ),
  };
}

describe('analyst tokens: keys from a URL', () => {
  let server: Server;
  let status = 200;
  let url = '';
  beforeAll(async () => {
    server = createServer((_request, response) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(readFileSync(demoKey('KR').jwksFile));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fetches the JWKS and verifies against it', async () => {
    const remote = createAnalystVerifier({
      issuers: { KR: { issuer: demoIssuer('KR'), jwks: { url } } },
      audience: AUDIENCE,
      now: clock.now,
    });
    await expect(remote.verify(signKr())).resolves.toMatchObject({ country: 'KR', analyst: 'kim.j' });
  });

  it('says the keys are unavailable, not that the token is bad, when the identity provider is down', async () => {
    status = 503;
    try {
      const remote = createAnalystVerifier({
        issuers: { KR: { issuer: demoIssuer('KR'), jwks: { url } } },
        audience: AUDIENCE,
        now: clock.now,
      });
      const refusal = await expectRefused(signKr(), 'KEYS_UNAVAILABLE', remote);
      expect(refusal.message).not.toContain('127.0.0.1');
    } finally {
      status = 200;
    }
  });
});

describe('analyst verifier: configuration is checked at start', () => {
  const file = (): string => demoKey('KR').jwksFile;
  it.each([
    ['no member', () => ({ issuers: {} })],
    [
      'a country that is not a code',
      () => ({ issuers: { Korea: { issuer: 'https://a', jwks: { file: file() } } } }),
    ],
    [
      'two members with one issuer',
      () => ({
        issuers: {
          KR: { issuer: 'https://a', jwks: { file: file() } },
          KH: { issuer: 'https://a', jwks: { file: file() } },
        },
      }),
    ],
    [
      'a JWKS file that does not exist',
      () => ({ issuers: { KR: { issuer: 'https://a', jwks: { file: '/nonexistent/jwks.json' } } } }),
    ],
    [
      'a JWKS URL over plain http to another machine',
      () => ({ issuers: { KR: { issuer: 'https://a', jwks: { url: 'http://idp.example/jwks.json' } } } }),
    ],
    [
      'HS256 in the allow-list',
      () => ({
        issuers: { KR: { issuer: 'https://a', jwks: { file: file() } } },
        algorithms: ['ES256', 'HS256'],
      }),
    ],
    [
      'none in the allow-list',
      () => ({ issuers: { KR: { issuer: 'https://a', jwks: { file: file() } } }, algorithms: ['none'] }),
    ],
  ])('refuses %s', (_what, options) => {
    expect(() => createAnalystVerifier({ audience: AUDIENCE, ...options() })).toThrow(TrustConfigError);
  });

  it('refuses a JWKS that publishes a private or a symmetric key', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const leaked = join(tmp.path(), 'leaked.json');
    writeFileSync(leaked, JSON.stringify({ keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'x' }] }));
    expect(() =>
      createAnalystVerifier({
        issuers: { KR: { issuer: 'https://a', jwks: { file: leaked } } },
        audience: AUDIENCE,
      }),
    ).toThrow(/private key material/);
    writeFileSync(leaked, JSON.stringify({ keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'x' }] }));
    expect(() =>
      createAnalystVerifier({
        issuers: { KR: { issuer: 'https://a', jwks: { file: leaked } } },
        audience: AUDIENCE,
      }),
    ).toThrow(/symmetric/);
  });
});
