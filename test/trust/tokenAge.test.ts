// The age of an analyst's token (issue 10): it must say when it was issued (`iat`), not in the future,
// not longer ago than the maximum token age, and it must not live longer than that age.
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  TrustConfigError,
  TrustError,
  createAnalystVerifier,
  demoIssuer,
  ensureDemoIdentityProviders,
  type AnalystIssuer,
  type TrustErrorReason,
} from '../../trust';
import { gatewayOptionsFromEnv } from '../../gateway';
import { compact, es256, temporaryDir, testClock } from './forge';

const AUDIENCE = 'accord-gateway';
const HOUR = 3600;
const tmp = temporaryDir('token-age');
const clock = testClock();
let issuers: Record<string, AnalystIssuer>;

beforeAll(() => {
  issuers = ensureDemoIdentityProviders(tmp.path(), ['KR']);
});

/** A KR token with these claims, signed with KR's demo key; `iat` and `exp` relative to the test clock. */
function token(claims: { iat?: number | undefined; exp: number; [claim: string]: unknown }): string {
  const folder = join(tmp.path(), 'kr');
  const { keys } = JSON.parse(readFileSync(join(folder, 'jwks.json'), 'utf8')) as { keys: { kid: string }[] };
  const now = Math.floor(clock.now() / 1000);
  const { iat, exp, ...rest } = claims;
  const payload = {
    iss: demoIssuer('KR'),
    sub: 'kim.j',
    aud: AUDIENCE,
    exp: now + exp,
    ...(iat === undefined ? {} : { iat: now + iat }),
    ...rest,
  };
  return compact(
    { alg: 'ES256', kid: keys[0]!.kid, typ: 'JWT' },
    payload,
    es256(createPrivateKey(readFileSync(join(folder, 'private.pem')))),
  );
}

async function reasonOf(promise: Promise<unknown>): Promise<TrustErrorReason | 'accepted'> {
  return promise.then(
    () => 'accepted' as const,
    (error: unknown) => {
      if (!(error instanceof TrustError)) throw error;
      return error.reason;
    },
  );
}

describe('analyst tokens: age', () => {
  const verifier = () => createAnalystVerifier({ issuers, audience: AUDIENCE, now: clock.now });

  it.each<[string, { iat?: number; exp: number }, TrustErrorReason | 'accepted']>([
    ['issued now, for an hour', { iat: 0, exp: HOUR }, 'accepted'],
    ['issued 11 h ago, for 12 h', { iat: -11 * HOUR, exp: HOUR }, 'accepted'],
    ['issued 20 s ahead (within the 30 s skew)', { iat: 20, exp: HOUR }, 'accepted'],
    ['issued an hour in the future', { iat: HOUR, exp: 2 * HOUR }, 'NOT_YET_VALID'],
    ['issued a year in the future', { iat: 365 * 24 * HOUR, exp: 365 * 24 * HOUR + HOUR }, 'NOT_YET_VALID'],
    ['without iat', { exp: HOUR }, 'INVALID_CLAIMS'],
    ['issued 13 h ago, still "valid" for an hour', { iat: -13 * HOUR, exp: HOUR }, 'TOO_OLD'],
    ['a 100-year lifetime, issued now', { iat: 0, exp: 100 * 365 * 24 * HOUR }, 'LIFETIME_TOO_LONG'],
    ['a lifetime of 12 h and a minute', { iat: 0, exp: 12 * HOUR + 60 }, 'LIFETIME_TOO_LONG'],
  ])('%s: %s', async (_what, claims, expected) => {
    expect(await reasonOf(verifier().verify(token(claims)))).toBe(expected);
  });

  it('takes a maximum age of its own', async () => {
    const strict = createAnalystVerifier({
      issuers,
      audience: AUDIENCE,
      now: clock.now,
      maxTokenAgeSeconds: HOUR,
    });
    expect(await reasonOf(strict.verify(token({ iat: -30 * 60, exp: 10 * 60 })))).toBe('accepted');
    expect(await reasonOf(strict.verify(token({ iat: -2 * HOUR, exp: 10 * 60 })))).toBe('TOO_OLD');
    expect(await reasonOf(strict.verify(token({ iat: 0, exp: 2 * HOUR })))).toBe('LIFETIME_TOO_LONG');
    const lenient = createAnalystVerifier({
      issuers,
      audience: AUDIENCE,
      now: clock.now,
      maxTokenAgeSeconds: 24 * HOUR,
    });
    expect(await reasonOf(lenient.verify(token({ iat: -13 * HOUR, exp: HOUR })))).toBe('accepted');
  });

  it('says how old a token may be', async () => {
    await expect(verifier().verify(token({ iat: -13 * HOUR, exp: HOUR }))).rejects.toThrow(
      'The identity token was issued more than 12 h ago; get a new one.',
    );
  });

  it.each([0, -1, 1.5, Number.NaN])(
    'refuses a maximum age of %p when the verifier is made',
    (maxTokenAgeSeconds) => {
      expect(() => createAnalystVerifier({ issuers, audience: AUDIENCE, maxTokenAgeSeconds })).toThrow(
        TrustConfigError,
      );
      expect(() => createAnalystVerifier({ issuers, audience: AUDIENCE, maxTokenAgeSeconds })).toThrow(
        '`maxTokenAgeSeconds` must be a whole number of seconds',
      );
    },
  );
});

describe('the gateway setting ACCORD_ANALYST_TOKEN_MAX_AGE', () => {
  const saved = process.env['ACCORD_DATA_DIR'];
  beforeAll(() => {
    process.env['ACCORD_DATA_DIR'] = tmp.path();
  });
  afterAll(() => {
    if (saved === undefined) delete process.env['ACCORD_DATA_DIR'];
    else process.env['ACCORD_DATA_DIR'] = saved;
  });

  it.each(['twelve hours', '12h', '-5', '0', '59', '604801', '3600.5'])(
    'refuses %j at start-up with a message that shows it',
    (raw) => {
      expect(() =>
        gatewayOptionsFromEnv({ ACCORD_DEMO_IDENTITY: '1', ACCORD_ANALYST_TOKEN_MAX_AGE: raw }),
      ).toThrow(
        `ACCORD_ANALYST_TOKEN_MAX_AGE must be a whole number of seconds from 60 to 604800 (default 43200, 12 h), not ${JSON.stringify(raw)}.`,
      );
    },
  );

  it('is what the gateway verifies tokens with', async () => {
    const options = gatewayOptionsFromEnv({
      ACCORD_DEMO_IDENTITY: '1',
      ACCORD_ANALYST_TOKEN_MAX_AGE: '3600',
    });
    // The gateway's verifier reads the real clock: a token issued two hours ago, valid another hour.
    const key = createPrivateKey(readFileSync(join(tmp.path(), 'idp', 'kr', 'private.pem')));
    const { keys } = JSON.parse(readFileSync(join(tmp.path(), 'idp', 'kr', 'jwks.json'), 'utf8')) as {
      keys: { kid: string }[];
    };
    const now = Math.floor(Date.now() / 1000);
    const old = compact(
      { alg: 'ES256', kid: keys[0]!.kid },
      { iss: demoIssuer('KR'), sub: 'kim.j', aud: AUDIENCE, iat: now - 2 * HOUR, exp: now + HOUR },
      es256(key),
    );
    expect(await reasonOf(options.analysts.verify(old))).toBe('TOO_OLD');
    const fresh = compact(
      { alg: 'ES256', kid: keys[0]!.kid },
      { iss: demoIssuer('KR'), sub: 'kim.j', aud: AUDIENCE, iat: now - 60, exp: now + 600 },
      es256(key),
    );
    expect(await reasonOf(options.analysts.verify(fresh))).toBe('accepted');
  });
});
