import { createPrivateKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { isCountryCode } from '../vocabulary';
import { DEFAULT_ANALYST_TOKEN_MAX_AGE_SECONDS, type AnalystIssuer } from './analystVerifier';
import { ANALYST_ID, REFERENCE, ROLE } from './claimShapes';
import { jwkThumbprint, publicJwk } from './jwk';
import { createFileExclusive, ensurePrivateDir, writeFileAtomic } from './keyFiles';
import { TrustConfigError } from './TrustError';

/**
 * Stand-ins for the members' national identity providers, for `npm start` and tests on one machine: per
 * member, an ES256 key pair in `<dir>/<cc>/` (`private.pem`, and `jwks.json` — what the gateway trusts)
 * and an issuer URL. A real deployment lists each member's real issuer and JWKS URL instead.
 */

/** The illustrative issuer of a member's demo identity provider (`https://idp.kr.accord.example`). */
export function demoIssuer(country: string): string {
  return `https://idp.${checkCountry(country).toLowerCase()}.accord.example`;
}

/**
 * Creates each member's demo key pair on first use and reuses it afterwards; returns the `issuers` option
 * of createAnalystVerifier. Safe when several processes start at once: the first key written wins.
 */
export function ensureDemoIdentityProviders(
  dir: string,
  countries: readonly string[],
): Record<string, AnalystIssuer> {
  const issuers: Record<string, AnalystIssuer> = {};
  for (const country of countries) {
    const folder = memberDir(dir, checkCountry(country));
    ensurePrivateDir(folder);
    const privateFile = join(folder, 'private.pem');
    if (!existsSync(privateFile)) {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      createFileExclusive(privateFile, privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    }
    const { key, kid } = readDemoKey(folder, country);
    const jwksFile = join(folder, 'jwks.json');
    // Derived from the private key, so rewriting it is idempotent; kept when it already lists the key (an operator may have added one).
    if (!jwksListsKid(jwksFile, kid))
      writeFileAtomic(jwksFile, `${JSON.stringify({ keys: [publicJwk(key, kid, 'ES256')] }, null, 2)}\n`);
    issuers[country] = { issuer: demoIssuer(country), jwks: { file: jwksFile } };
  }
  return issuers;
}

/** Whether the member's demo identity provider has its key in `dir` (made by ensureDemoIdentityProviders). */
export function hasDemoIdentityProvider(dir: string, country: string): boolean {
  return existsSync(join(memberDir(dir, checkCountry(country)), 'private.pem'));
}

export interface DemoAnalystToken {
  /** The folder given to ensureDemoIdentityProviders. */
  readonly dir: string;
  readonly country: string;
  readonly analyst: string;
  readonly roles?: readonly string[];
  /** A joint-team id the identity provider attests (`jit` claim). */
  readonly jit?: string;
  /** Default 3,600 s. */
  readonly ttlSeconds?: number;
  /** The gateway's audience. */
  readonly audience: string;
  /** Issued-at, in ms (default now): tests make expired and not-yet-valid tokens with it. */
  readonly now?: number;
}

/** Signs an analyst token with a member's demo identity-provider key (created by ensureDemoIdentityProviders). */
export async function signDemoAnalystToken(request: DemoAnalystToken): Promise<string> {
  const country = checkCountry(request.country);
  if (typeof request.analyst !== 'string' || !ANALYST_ID.test(request.analyst)) {
    throw new TrustConfigError(
      `The analyst id must be 1 to 64 lower-case letters, digits, '.', '_' or '-' (e.g. kim.j), not ${JSON.stringify(request.analyst)}.`,
    );
  }
  const roles = request.roles ?? ['analyst'];
  for (const role of roles) {
    if (!ROLE.test(role))
      throw new TrustConfigError(
        `A role must be a short lower-case word (e.g. analyst), not ${JSON.stringify(role)}.`,
      );
  }
  if (request.jit !== undefined && !REFERENCE.test(request.jit)) {
    throw new TrustConfigError(
      `A joint-team id must be 2 to 64 letters, digits or . _ : / - (e.g. JTF-KR-KH-2025), not ${JSON.stringify(request.jit)}.`,
    );
  }
  const ttl = request.ttlSeconds ?? 3_600;
  // No longer than the gateway accepts by default (its maximum token age): a longer token would be refused.
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > DEFAULT_ANALYST_TOKEN_MAX_AGE_SECONDS) {
    throw new TrustConfigError(
      `The lifetime must be a whole number of seconds from 1 to ${DEFAULT_ANALYST_TOKEN_MAX_AGE_SECONDS} (the gateway's maximum token age), not ${JSON.stringify(ttl)}.`,
    );
  }
  const folder = memberDir(request.dir, country);
  if (!existsSync(join(folder, 'private.pem'))) {
    throw new TrustConfigError(
      `No demo identity provider for ${country} yet: call ensureDemoIdentityProviders first (or run npm start).`,
    );
  }
  const { key, kid } = readDemoKey(folder, country);
  const iat = Math.floor((request.now ?? Date.now()) / 1000);
  return new SignJWT({ roles: [...roles], ...(request.jit !== undefined ? { jit: request.jit } : {}) })
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
    .setIssuer(demoIssuer(country))
    .setSubject(request.analyst)
    .setAudience(request.audience)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + ttl)
    .setJti(randomUUID())
    .sign(key);
}

function readDemoKey(folder: string, country: string): { key: KeyObject; kid: string } {
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(join(folder, 'private.pem')));
  } catch {
    throw new TrustConfigError(
      `The demo identity-provider key of ${country} in ${folder} cannot be read; delete the folder to make a new one.`,
    );
  }
  const kid = `${country.toLowerCase()}-${jwkThumbprint(publicJwk(key, '', 'ES256')).slice(0, 16)}`;
  return { key, kid };
}

function jwksListsKid(file: string, kid: string): boolean {
  try {
    const document = JSON.parse(readFileSync(file, 'utf8')) as { keys?: { kid?: unknown }[] };
    return Array.isArray(document.keys) && document.keys.some((jwk) => jwk?.kid === kid);
  } catch {
    return false;
  }
}

function memberDir(dir: string, country: string): string {
  return join(dir, country.toLowerCase());
}

function checkCountry(country: string): string {
  if (typeof country !== 'string' || !isCountryCode(country))
    throw new TrustConfigError(
      `A member is named by its ISO 3166-1 alpha-2 code (e.g. KR), not ${JSON.stringify(country)}.`,
    );
  return country;
}
