import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, jwtVerify } from 'jose';
import {
  bodyHash,
  createAnalystVerifier,
  createGatewaySigner,
  createGatewayTokenVerifier,
  ensureDemoIdentityProviders,
  signDemoAnalystToken,
} from '../trust';

/**
 * Micro-benchmarks of trust/'s tokens (not tests: they measure this machine, not correctness). Figures are per
 * operation on one core, after a warm-up; on a shared machine, compare runs side by side, not across days.
 */

export interface TokenCost {
  readonly iterations: number;
  /** Mean microseconds per operation. */
  readonly signMicros: number;
  readonly verifyMicros: number;
  readonly signPerSecond: number;
  readonly verifyPerSecond: number;
  /** One sign plus one verify (a gateway → subgraph hop), per second. */
  readonly pairsPerSecond: number;
}

/**
 * A context of the size the gateway puts in `ctx` (who, why, under which case): KR analyst lee.h's follow-up
 * in case KR-CAS-000001, whose reference names the grant KH's desk approved for it (MLA-2026-0042, the
 * scenario's grant). Only the token's cost is measured here; no owner reads the grant.
 */
const SAMPLE_CONTEXT = {
  country: 'KR',
  analyst: 'lee.h',
  roles: ['analyst'],
  purpose: 'investigation',
  caseReference: 'KR-CAS-000001',
  requestReference: 'MLA-2026-0042',
  at: '2026-06-15T09:00:00.000Z',
};

/** Gateway tokens: sign and verify (node:crypto ES256, the hash of a `bodyBytes` body, replay check included). */
export async function measureGatewayTokenCost(
  options: { iterations?: number; bodyBytes?: number } = {},
): Promise<TokenCost> {
  const iterations = options.iterations ?? 5_000;
  const warmUp = Math.min(500, iterations);
  const body = Buffer.alloc(options.bodyBytes ?? 600, 'q');
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signer = createGatewaySigner({ keys: [{ kid: 'bench', privateKey }], issuer: 'accord-gateway' });
  const verifier = createGatewayTokenVerifier({
    trusted: [{ kid: 'bench', publicKey }],
    audience: 'kr',
    replayCacheSize: iterations + warmUp,
  });
  const request = { audience: 'kr', scope: 'query', ctx: SAMPLE_CONTEXT, rev: 'sha256:bench', body } as const;

  for (let i = 0; i < warmUp; i++) await verifier.verify(signer.sign(request), body);
  const tokens: string[] = new Array<string>(iterations);
  const signStart = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) tokens[i] = signer.sign(request);
  const signNs = Number(process.hrtime.bigint() - signStart);
  const verifyStart = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await verifier.verify(tokens[i], body);
  const verifyNs = Number(process.hrtime.bigint() - verifyStart);
  return cost(iterations, signNs, verifyNs);
}

/**
 * The same token with jose (WebCrypto underneath, a promise per call): the alternative that
 * docs/decisions/0009-gateway-tokens-with-node-crypto.md turned down, measured side by side. Verify
 * checks signature, audience and expiry only (no replay cache), so it flatters jose slightly.
 */
export async function measureJoseGatewayTokenCost(
  options: { iterations?: number; bodyBytes?: number } = {},
): Promise<TokenCost> {
  const iterations = options.iterations ?? 2_000;
  const warmUp = Math.min(200, iterations);
  const body = Buffer.alloc(options.bodyBytes ?? 600, 'q');
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const sign = (): Promise<string> =>
    new SignJWT({ scope: 'query', ctx: SAMPLE_CONTEXT, rev: 'sha256:bench', bh: bodyHash(body) })
      .setProtectedHeader({ alg: 'ES256', kid: 'bench', typ: 'accord-gateway+jwt' })
      .setIssuer('accord-gateway')
      .setAudience('kr')
      .setIssuedAt()
      .setExpirationTime('30s')
      .setJti(randomUUID())
      .sign(privateKey);
  const verify = (token: string): Promise<unknown> =>
    jwtVerify(token, publicKey, { audience: 'kr', algorithms: ['ES256'], maxTokenAge: 60 });
  for (let i = 0; i < warmUp; i++) await verify(await sign());
  const tokens: string[] = new Array<string>(iterations);
  const signStart = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) tokens[i] = await sign();
  const signNs = Number(process.hrtime.bigint() - signStart);
  const verifyStart = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await verify(tokens[i]!);
  const verifyNs = Number(process.hrtime.bigint() - verifyStart);
  return cost(iterations, signNs, verifyNs);
}

/** Analyst tokens: sign (demo identity provider, jose) and verify (createAnalystVerifier, jose, JWKS file). */
export async function measureAnalystTokenCost(options: { iterations?: number } = {}): Promise<TokenCost> {
  const iterations = options.iterations ?? 1_000;
  const warmUp = Math.min(100, iterations);
  const dir = mkdtempSync(join(tmpdir(), 'accord-trust-bench-'));
  try {
    const issuers = ensureDemoIdentityProviders(dir, ['KR']);
    const verifier = createAnalystVerifier({ issuers, audience: 'accord-gateway' });
    const sign = (): Promise<string> =>
      signDemoAnalystToken({ dir, country: 'KR', analyst: 'kim.j', audience: 'accord-gateway' });
    for (let i = 0; i < warmUp; i++) await verifier.verify(await sign());
    const tokens: string[] = new Array<string>(iterations);
    const signStart = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) tokens[i] = await sign();
    const signNs = Number(process.hrtime.bigint() - signStart);
    const verifyStart = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) await verifier.verify(tokens[i]);
    const verifyNs = Number(process.hrtime.bigint() - verifyStart);
    return cost(iterations, signNs, verifyNs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function cost(iterations: number, signNs: number, verifyNs: number): TokenCost {
  const signMicros = signNs / iterations / 1_000;
  const verifyMicros = verifyNs / iterations / 1_000;
  const round = (value: number): number => Math.round(value * 10) / 10;
  return {
    iterations,
    signMicros: round(signMicros),
    verifyMicros: round(verifyMicros),
    signPerSecond: Math.round(1e6 / signMicros),
    verifyPerSecond: Math.round(1e6 / verifyMicros),
    pairsPerSecond: Math.round(1e6 / (signMicros + verifyMicros)),
  };
}
