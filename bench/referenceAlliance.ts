/**
 * Every member's reference system for benchmarks (in-memory stores, default size), and the stand-in token
 * check of the "off" variant of trust-overhead. The stand-ins live here, in bench/: nothing in Accord can
 * be configured to skip a check.
 */
import { MEMBERS } from '../schema';
import { openStore } from '../subgraphs/reference';
import type { NationalSystem } from '../subgraphs/kit';
import type { GatewayTokenClaims, GatewayTokenVerifier } from '../trust';
import { SYSTEMS } from './memberSystems';

export function referenceSystems(): NationalSystem<unknown>[] {
  return MEMBERS.map(
    (member) =>
      SYSTEMS[member.code]!({
        store: openStore({ country: member.code, file: ':memory:' }),
      }) as unknown as NationalSystem<unknown>,
  );
}

/** Off: the "token" is the request context in base64url, unsigned, read back unchecked. */
export function uncheckedTokens(audience: string): GatewayTokenVerifier {
  return {
    verify(token) {
      const ctx = JSON.parse(Buffer.from(token ?? '', 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >;
      const now = Math.floor(Date.now() / 1000);
      return Promise.resolve({
        iss: 'bench',
        aud: audience,
        iat: now,
        exp: now + 30,
        jti: 'bench',
        scope: 'query',
        ctx,
        bh: '',
        kid: 'none',
      } satisfies GatewayTokenClaims);
    },
    reload: () => undefined,
    trustedKids: ['none'],
    replayStore: 'none (unchecked)',
    close: () => Promise.resolve(),
  };
}
