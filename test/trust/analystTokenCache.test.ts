import { withAnalystTokenCache, TrustError, type AnalystIdentity, type AnalystVerifier } from '../../trust';

function countingVerifier(expiresAt: number): AnalystVerifier & { calls: number } {
  const verifier = {
    calls: 0,
    verify(token: string | undefined): Promise<AnalystIdentity> {
      verifier.calls++;
      if (token !== 'good')
        return Promise.reject(new TrustError('BAD_SIGNATURE', "The token's signature does not verify."));
      return Promise.resolve({
        country: 'KR',
        analyst: 'kim.j',
        roles: ['analyst'],
        issuer: 'https://idp.kr.accord.example',
        expiresAt: new Date(expiresAt),
      });
    },
  };
  return verifier;
}

describe('the verified analyst token cache', () => {
  it('verifies a token once while it is fresh, and again after the cache age', async () => {
    let now = 1_000_000;
    const inner = countingVerifier(now + 3_600_000);
    const cached = withAnalystTokenCache(inner, { maxAgeMs: 60_000, now: () => now });
    await cached.verify('good');
    await cached.verify('good');
    expect(inner.calls).toBe(1);
    now += 61_000;
    await cached.verify('good');
    expect(inner.calls).toBe(2);
  });

  it('never outlives the token itself', async () => {
    let now = 1_000_000;
    const inner = countingVerifier(now + 5_000);
    const cached = withAnalystTokenCache(inner, { now: () => now });
    await cached.verify('good');
    now += 6_000;
    await cached.verify('good');
    expect(inner.calls).toBe(2);
  });

  it('never remembers a refusal, and forgets the least recently used beyond its size', async () => {
    const inner = countingVerifier(Date.now() + 3_600_000);
    const cached = withAnalystTokenCache(inner, { maxEntries: 1 });
    await expect(cached.verify('forged')).rejects.toThrow(TrustError);
    await expect(cached.verify('forged')).rejects.toThrow(TrustError);
    expect(inner.calls).toBe(2);
  });
});
