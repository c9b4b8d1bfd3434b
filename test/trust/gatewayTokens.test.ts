import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import {
  TrustConfigError,
  TrustError,
  addGatewayKey,
  bodyHash,
  createGatewaySigner,
  createGatewayTokenVerifier,
  ensureGatewayKeys,
  readGatewayKeys,
  retireGatewayKey,
  type GatewaySigner,
  type GatewayTokenVerifier,
  type TrustErrorReason,
} from '../../trust';
import { b64, compact, es256, es256Der, hs256, temporaryDir, testClock, unsigned } from './forge';

const ISSUER = 'accord-gateway';
const BODY = JSON.stringify({
  query: 'query($representations:[_Any!]!){_entities(representations:$representations){__typename}}',
  variables: { representations: [{ __typename: 'KRSuspect', id: 'KR-SUS-000123' }] },
});
const CTX = {
  country: 'KH',
  analyst: 'sok.c',
  roles: ['analyst'],
  purpose: 'investigation',
  caseReference: 'KH-2026-0042',
};

const tmp = temporaryDir('gateway');
const clock = testClock();
let dir: string;
let jwksFile: string;
let signer: GatewaySigner;
let kr: GatewayTokenVerifier;

async function expectRefused(verify: () => Promise<unknown>, reason: TrustErrorReason): Promise<TrustError> {
  let thrown: unknown;
  try {
    await verify();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(TrustError);
  const refusal = thrown as TrustError;
  expect(refusal.reason).toBe(reason);
  expect(refusal.message).not.toContain(dir);
  expect(refusal.message).not.toMatch(/BEGIN|PRIVATE|jwks\.json|\.pem/);
  return refusal;
}

/** The gateway's current private key, to sign what the real signer never would. */
function gatewayKey(): { kid: string; privateKey: KeyObject } {
  return readGatewayKeys(dir).at(-1)!;
}

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = Math.floor(clock.now() / 1000);
  return {
    iss: ISSUER,
    aud: 'kr',
    iat,
    exp: iat + 30,
    jti: `forged-${Math.random().toString(36).slice(2)}-0000`,
    scope: 'query',
    ctx: CTX,
    bh: bodyHash(BODY),
    ...overrides,
  };
}

function signedByGateway(payload: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const { kid, privateKey } = gatewayKey();
  return compact({ alg: 'ES256', kid, typ: 'accord-gateway+jwt', ...header }, payload, es256(privateKey));
}

const query = (audience = 'kr'): string =>
  signer.sign({ audience, scope: 'query', ctx: CTX, rev: 'sha256:abc', body: BODY });

beforeAll(() => {
  dir = join(tmp.path(), 'gateway');
  ({ jwksFile } = ensureGatewayKeys(dir));
  signer = createGatewaySigner({ keys: dir, issuer: ISSUER, now: clock.now });
  kr = createGatewayTokenVerifier({ trusted: jwksFile, audience: 'kr', issuer: ISSUER, now: clock.now });
});

describe('gateway tokens: accepted', () => {
  it('binds the subgraph, the context, the policy revision and the body', async () => {
    const token = query();
    const [header] = token.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({
      alg: 'ES256',
      kid: signer.currentKid,
      typ: 'accord-gateway+jwt',
    });
    const iat = Math.floor(clock.now() / 1000);
    expect(await kr.verify(token, BODY)).toEqual({
      iss: ISSUER,
      aud: 'kr',
      iat,
      exp: iat + 30,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      scope: 'query',
      ctx: CTX,
      rev: 'sha256:abc',
      bh: bodyHash(BODY),
      kid: signer.currentKid,
    });
  });

  it('is a standard JWS: a general JWT library verifies it with the published JWKS', async () => {
    const jwks = createLocalJWKSet(JSON.parse(readFileSync(jwksFile, 'utf8')) as never);
    const { payload, protectedHeader } = await jwtVerify(query(), jwks, {
      audience: 'kr',
      issuer: ISSUER,
      typ: 'accord-gateway+jwt',
      algorithms: ['ES256'],
      currentDate: new Date(clock.now()),
    });
    expect(protectedHeader.kid).toBe(signer.currentKid);
    expect(payload).toMatchObject({ scope: 'query', ctx: CTX, bh: bodyHash(BODY) });
  });

  it('hashes the body bytes: the same body as a Buffer verifies', async () => {
    expect((await kr.verify(query(), Buffer.from(BODY))).aud).toBe('kr');
  });

  it('signs the narrow schema token with no analyst context', async () => {
    const token = signer.sign({ audience: 'kr', scope: 'schema', body: '{"query":"{_service{sdl}}"}' });
    const verified = await kr.verify(token, '{"query":"{_service{sdl}}"}');
    expect(verified.scope).toBe('schema');
    expect(verified).not.toHaveProperty('ctx');
    expect(() => signer.sign({ audience: 'kr', scope: 'schema', ctx: CTX, body: '' })).toThrow(
      TrustConfigError,
    );
  });

  it('gives every token its own jti', async () => {
    const jtis = new Set<string>();
    for (let i = 0; i < 200; i++) jtis.add((await kr.verify(query(), BODY)).jti);
    expect(jtis.size).toBe(200);
  });

  it('allows 5 s of clock skew on both ends', async () => {
    const token = query();
    clock.advance(34_000); // exp + 4 s
    expect((await kr.verify(token, BODY)).aud).toBe('kr');
    const iat = Math.floor(clock.now() / 1000);
    expect((await kr.verify(signedByGateway(claims({ iat: iat + 4, exp: iat + 34 })), BODY)).aud).toBe('kr');
  });
});

describe('gateway tokens: every forged call is refused with a stable reason', () => {
  it('no token', async () => {
    await expectRefused(() => kr.verify(undefined, BODY), 'MISSING');
    await expectRefused(() => kr.verify('', BODY), 'MISSING');
  });

  it.each([
    ['one part', () => 'abc'],
    ['two parts', () => query().split('.').slice(0, 2).join('.')],
    ['four parts', () => `${query()}.x`],
    ['an empty payload', () => query().replace(/\.[^.]+\./, '..')],
    ['characters outside base64url', () => query().replace(/^./, '+')],
    ['a 20 KB token', () => `${query()}${'A'.repeat(20_000)}`],
    ['a header that is not JSON', () => `${b64('nope')}.${query().split('.').slice(1).join('.')}`],
    [
      'a header with an extra member (jku)',
      () => signedByGateway(claims(), { jku: 'https://evil.example/jwks.json' }),
    ],
    ['another typ', () => signedByGateway(claims(), { typ: 'JWT' })],
    ['a kid that is not a kid', () => signedByGateway(claims(), { kid: '../../etc/passwd' })],
    [
      'a payload that is not JSON',
      () =>
        (({ kid, privateKey }) =>
          compact({ alg: 'ES256', kid, typ: 'accord-gateway+jwt' }, 'not json', es256(privateKey)))(
          gatewayKey(),
        ),
    ],
    ['a jti that is not one', () => signedByGateway(claims({ jti: 'x' }))],
    ['iat that is not whole seconds', () => signedByGateway(claims({ iat: 'now' }))],
    ['an audience list', () => signedByGateway(claims({ aud: ['kr', 'kh'] }))],
    ['a body hash that is not a hash', () => signedByGateway(claims({ bh: 'abc' }))],
    ['a ctx that is not an object', () => signedByGateway(claims({ ctx: ['KR'] }))],
  ])('malformed: %s', async (_what, token) => {
    await expectRefused(() => kr.verify(token(), BODY), 'MALFORMED');
  });

  it('forged: signed with a key the subgraph does not trust, under the gateway’s kid or another', async () => {
    const { privateKey: attacker } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const header = { alg: 'ES256', kid: signer.currentKid, typ: 'accord-gateway+jwt' };
    await expectRefused(() => kr.verify(compact(header, claims(), es256(attacker)), BODY), 'BAD_SIGNATURE');
    await expectRefused(
      () => kr.verify(compact({ ...header, kid: 'attacker-1' }, claims(), es256(attacker)), BODY),
      'UNKNOWN_KEY',
    );
  });

  it('forged: a real token whose payload was changed, or whose signature was re-encoded', async () => {
    const [header, , signature] = query().split('.');
    await expectRefused(
      () => kr.verify(`${header}.${b64(claims({ ctx: { ...CTX, country: 'KR' } }))}.${signature}`, BODY),
      'BAD_SIGNATURE',
    );
    const { privateKey } = gatewayKey();
    await expectRefused(
      () =>
        kr.verify(
          signedByGateway(claims()).replace(/\.[^.]+$/, '') +
            '.' +
            es256Der(privateKey)(Buffer.from('x')).toString('base64url'),
          BODY,
        ),
      'BAD_SIGNATURE',
    );
    await expectRefused(
      () => kr.verify(`${header}.${b64(claims())}.${'A'.repeat(85)}`, BODY),
      'BAD_SIGNATURE',
    );
    await expectRefused(() => kr.verify(`${header}.${b64(claims())}.`, BODY), 'BAD_SIGNATURE');
  });

  it('alg switched: none, HS256 over the public key, another asymmetric algorithm', async () => {
    const { kid } = gatewayKey();
    const publicPem = createPublicKey(gatewayKey().privateKey).export({ format: 'pem', type: 'spki' });
    const jwks = readFileSync(jwksFile);
    await expectRefused(
      () => kr.verify(compact({ alg: 'none', kid, typ: 'accord-gateway+jwt' }, claims(), unsigned), BODY),
      'ALGORITHM_REFUSED',
    );
    await expectRefused(
      () => kr.verify(compact({ alg: 'none' }, claims(), unsigned), BODY),
      'ALGORITHM_REFUSED',
    );
    await expectRefused(
      () => kr.verify(compact({ alg: 'none', kid, typ: 'accord-gateway+jwt' }, claims(), hs256('x')), BODY),
      'ALGORITHM_REFUSED',
    );
    await expectRefused(
      () =>
        kr.verify(
          compact({ alg: 'HS256', kid, typ: 'accord-gateway+jwt' }, claims(), hs256(publicPem)),
          BODY,
        ),
      'ALGORITHM_REFUSED',
    );
    await expectRefused(
      () => kr.verify(compact({ alg: 'HS256', kid, typ: 'accord-gateway+jwt' }, claims(), hs256(jwks)), BODY),
      'ALGORITHM_REFUSED',
    );
    await expectRefused(
      () =>
        kr.verify(
          compact({ alg: 'ES384', kid, typ: 'accord-gateway+jwt' }, claims(), es256(gatewayKey().privateKey)),
          BODY,
        ),
      'ALGORITHM_REFUSED',
    );
    await expectRefused(
      () =>
        kr.verify(
          compact({ alg: 'es256', kid, typ: 'accord-gateway+jwt' }, claims(), es256(gatewayKey().privateKey)),
          BODY,
        ),
      'ALGORITHM_REFUSED',
    );
  });

  it('expired (beyond the 5 s skew)', async () => {
    const token = query();
    clock.advance(35_000);
    await expectRefused(() => kr.verify(token, BODY), 'EXPIRED');
  });

  it('issued in the future (beyond the skew)', async () => {
    const iat = Math.floor(clock.now() / 1000) + 10;
    await expectRefused(
      () => kr.verify(signedByGateway(claims({ iat, exp: iat + 30 })), BODY),
      'NOT_YET_VALID',
    );
  });

  it('replayed', async () => {
    const token = query();
    expect((await kr.verify(token, BODY)).aud).toBe('kr');
    await expectRefused(() => kr.verify(token, BODY), 'REPLAYED');
    // Still refused at the very end of its life.
    clock.advance(34_000);
    await expectRefused(() => kr.verify(token, BODY), 'REPLAYED');
  });

  it('sent to another subgraph', async () => {
    await expectRefused(() => kr.verify(query('kh'), BODY), 'WRONG_AUDIENCE');
    const kh = createGatewayTokenVerifier({ trusted: jwksFile, audience: 'kh', now: clock.now });
    await expectRefused(() => kh.verify(query('kr'), BODY), 'WRONG_AUDIENCE');
  });

  it('with the body swapped (or changed by one byte)', async () => {
    const token = query();
    await expectRefused(
      () => kr.verify(token, BODY.replace('KR-SUS-000123', 'KR-SUS-000124')),
      'BODY_MISMATCH',
    );
    await expectRefused(() => kr.verify(query(), `${BODY} `), 'BODY_MISMATCH');
  });

  it('a body mismatch does not use up the token', async () => {
    const token = query();
    await expectRefused(() => kr.verify(token, '{}'), 'BODY_MISMATCH');
    expect((await kr.verify(token, BODY)).aud).toBe('kr');
  });

  it('a lifetime longer than allowed', async () => {
    const iat = Math.floor(clock.now() / 1000);
    await expectRefused(
      () => kr.verify(signedByGateway(claims({ iat, exp: iat + 61 })), BODY),
      'LIFETIME_TOO_LONG',
    );
    const strict = createGatewayTokenVerifier({
      trusted: jwksFile,
      audience: 'kr',
      maxLifetimeSeconds: 10,
      now: clock.now,
    });
    await expectRefused(() => strict.verify(query(), BODY), 'LIFETIME_TOO_LONG');
    await expectRefused(() => kr.verify(signedByGateway(claims({ iat, exp: iat })), BODY), 'INVALID_CLAIMS');
    expect(() => createGatewaySigner({ keys: dir, issuer: ISSUER, lifetimeSeconds: 61 })).toThrow(
      TrustConfigError,
    );
    expect(() =>
      createGatewayTokenVerifier({ trusted: jwksFile, audience: 'kr', maxLifetimeSeconds: 3600 }),
    ).toThrow(TrustConfigError);
  });

  it('another issuer, when the subgraph checks it', async () => {
    await expectRefused(
      () => kr.verify(signedByGateway(claims({ iss: 'someone-else' })), BODY),
      'UNKNOWN_ISSUER',
    );
  });

  it('an unknown scope, or a schema token that carries an analyst context', async () => {
    await expectRefused(() => kr.verify(signedByGateway(claims({ scope: 'admin' })), BODY), 'INVALID_CLAIMS');
    await expectRefused(
      () => kr.verify(signedByGateway(claims({ scope: 'schema' })), BODY),
      'INVALID_CLAIMS',
    );
  });
});

describe('gateway tokens: the replay cache is bounded and refuses rather than forgets', () => {
  it('refuses new tokens at the bound until entries expire, and never forgets a live one', async () => {
    const small = createGatewayTokenVerifier({
      trusted: jwksFile,
      audience: 'kr',
      replayCacheSize: 2,
      now: clock.now,
    });
    const first = query();
    await small.verify(first, BODY);
    await small.verify(query(), BODY);
    await expectRefused(() => small.verify(query(), BODY), 'REPLAY_CACHE_FULL');
    await expectRefused(() => small.verify(first, BODY), 'REPLAYED');
    clock.advance(35_000); // both entries can no longer be accepted anyway: they go
    expect((await small.verify(query(), BODY)).aud).toBe('kr');
  });
});

describe('gateway tokens: key rotation with no downtime', () => {
  it('two keys valid during the rotation; the old key’s tokens fail once it is retired', async () => {
    const rotationDir = join(tmp.path(), 'rotation');
    const { currentKid: oldKid, jwksFile: file } = ensureGatewayKeys(rotationDir);
    const gateway = createGatewaySigner({ keys: rotationDir, issuer: ISSUER, now: clock.now });
    const subgraph = createGatewayTokenVerifier({ trusted: file, audience: 'kr', now: clock.now });
    const sign = (): string => gateway.sign({ audience: 'kr', scope: 'query', ctx: CTX, body: BODY });
    const inFlight = sign();

    // 1. A new key is published beside the old one; 2. the gateway switches to it.
    const newKid = addGatewayKey(rotationDir);
    expect(gateway.currentKid).toBe(oldKid);
    gateway.reload();
    expect(gateway.currentKid).toBe(newKid);
    expect(gateway.kids).toEqual([oldKid, newKid]);

    // The subgraph has not restarted: it re-reads the key file on the unknown kid, and still takes the old key's token.
    expect((await subgraph.verify(sign(), BODY)).kid).toBe(newKid);
    expect((await subgraph.verify(inFlight, BODY)).kid).toBe(oldKid);
    expect(subgraph.trustedKids).toEqual([oldKid, newKid]);

    // 3. Once old tokens have expired, the old key is retired; the subgraph drops it at its next refresh.
    const straggler = (() => {
      gateway.use(oldKid);
      try {
        return sign();
      } finally {
        gateway.use(newKid);
      }
    })();
    retireGatewayKey(rotationDir, oldKid);
    clock.advance(10_000);
    await expectRefused(() => subgraph.verify(straggler, BODY), 'UNKNOWN_KEY');
    expect((await subgraph.verify(sign(), BODY)).kid).toBe(newKid);
    expect(() => retireGatewayKey(rotationDir, newKid)).toThrow(/only key/);
  });

  it('re-reads the key file for an unknown kid at most once per cooldown', async () => {
    const rotationDir = join(tmp.path(), 'cooldown');
    const { jwksFile: file } = ensureGatewayKeys(rotationDir);
    const subgraph = createGatewayTokenVerifier({ trusted: file, audience: 'kr', now: clock.now });
    const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    await expectRefused(
      () =>
        subgraph.verify(
          compact({ alg: 'ES256', kid: 'made-up', typ: 'accord-gateway+jwt' }, claims(), es256(attacker)),
          BODY,
        ),
      'UNKNOWN_KEY',
    );

    addGatewayKey(rotationDir);
    const gateway = createGatewaySigner({ keys: rotationDir, issuer: ISSUER, now: clock.now });
    const token = gateway.sign({ audience: 'kr', scope: 'query', ctx: CTX, body: BODY });
    await expectRefused(() => subgraph.verify(token, BODY), 'UNKNOWN_KEY'); // the made-up kid spent this second's re-read
    clock.advance(1_000);
    expect((await subgraph.verify(token, BODY)).kid).toBe(gateway.currentKid);
  });

  it('keys given in code: trusted as a list, switched with use()', async () => {
    const one = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const two = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const gateway = createGatewaySigner({
      keys: [
        { kid: 'k1', privateKey: one.privateKey },
        { kid: 'k2', privateKey: two.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() },
      ],
      issuer: ISSUER,
      now: clock.now,
    });
    const both = createGatewayTokenVerifier({
      trusted: [
        { kid: 'k1', publicKey: one.publicKey },
        { kid: 'k2', publicKey: two.publicKey.export({ format: 'jwk' }) },
      ],
      audience: 'kr',
      now: clock.now,
    });
    const onlyTwo = createGatewayTokenVerifier({
      trusted: { keys: [{ ...two.publicKey.export({ format: 'jwk' }), kid: 'k2' }] },
      audience: 'kr',
      now: clock.now,
    });
    expect(gateway.currentKid).toBe('k2');
    const fromTwo = gateway.sign({ audience: 'kr', scope: 'query', body: BODY });
    gateway.use('k1');
    const fromOne = gateway.sign({ audience: 'kr', scope: 'query', body: BODY });
    expect((await both.verify(fromOne, BODY)).kid).toBe('k1');
    expect((await both.verify(fromTwo, BODY)).kid).toBe('k2');
    await expectRefused(() => onlyTwo.verify(fromOne, BODY), 'UNKNOWN_KEY');
    expect(() => gateway.use('k3')).toThrow(TrustConfigError);
  });

  it('keeps the trusted keys when the file turns bad, and says so', async () => {
    const badDir = join(tmp.path(), 'bad');
    const { jwksFile: file } = ensureGatewayKeys(badDir);
    const problems: Error[] = [];
    const subgraph = createGatewayTokenVerifier({
      trusted: file,
      audience: 'kr',
      now: clock.now,
      onReloadError: (error) => problems.push(error),
    });
    const gateway = createGatewaySigner({ keys: badDir, issuer: ISSUER, now: clock.now });
    writeFileSync(file, '{"keys":');
    subgraph.reload();
    expect(
      (await subgraph.verify(gateway.sign({ audience: 'kr', scope: 'query', body: BODY }), BODY)).aud,
    ).toBe('kr');
    expect(problems).toHaveLength(1);
  });
});

describe('gateway keys and configuration', () => {
  it('creates the key once and reuses it; publishes only public keys', () => {
    const keysDir = join(tmp.path(), 'once');
    const first = ensureGatewayKeys(keysDir);
    const second = ensureGatewayKeys(keysDir);
    expect(second).toEqual(first);
    const jwks = JSON.parse(readFileSync(first.jwksFile, 'utf8')) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toEqual([
      {
        kty: 'EC',
        crv: 'P-256',
        x: expect.any(String),
        y: expect.any(String),
        kid: first.currentKid,
        alg: 'ES256',
        use: 'sig',
      },
    ]);
  });

  it.each([
    [
      'a private key among the trusted keys',
      () => ({
        trusted: [
          {
            kid: 'k',
            publicKey: generateKeyPairSync('ec', { namedCurve: 'P-256' })
              .privateKey.export({ format: 'pem', type: 'pkcs8' })
              .toString(),
          },
        ],
      }),
    ],
    [
      'a trusted key that is not P-256',
      () => ({ trusted: [{ kid: 'k', publicKey: generateKeyPairSync('ed25519').publicKey }] }),
    ],
    ['a trusted file that does not exist', () => ({ trusted: '/nonexistent/jwks.json' })],
    ['no audience', () => ({ trusted: jwksFile, audience: '' })],
    ['a replay cache of no size', () => ({ trusted: jwksFile, replayCacheSize: 0 })],
  ])('the verifier refuses %s', (_what, options) => {
    expect(() => createGatewayTokenVerifier({ audience: 'kr', ...options() })).toThrow(TrustConfigError);
  });

  it.each([
    ['no keys', () => ({ keys: [] })],
    [
      'a key that is not P-256',
      () => ({ keys: [{ kid: 'k', privateKey: generateKeyPairSync('ed25519').privateKey }] }),
    ],
    [
      'a public key',
      () => ({
        keys: [{ kid: 'k', privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey }],
      }),
    ],
    [
      'a kid that is not one',
      () => ({
        keys: [{ kid: 'a b', privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey }],
      }),
    ],
    ['an empty key folder', () => ({ keys: join(tmp.path(), 'empty') })],
    ['no issuer', () => ({ keys: dir, issuer: '' })],
  ])('the signer refuses %s', (_what, options) => {
    expect(() => createGatewaySigner({ issuer: ISSUER, ...options() })).toThrow(TrustConfigError);
  });
});
