import { createHmac, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Hand-made compact JWS, for the tokens no honest signer produces. */

export function b64(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

export type RawSigner = (signingInput: Buffer) => Buffer;

/** ES256 with r‖s, as JWS wants it. */
export function es256(privateKey: KeyObject): RawSigner {
  return (input) => sign('sha256', input, { key: privateKey, dsaEncoding: 'ieee-p1363' });
}

/** ES256 with a DER signature: the encoding mistake a careless verifier might accept. */
export function es256Der(privateKey: KeyObject): RawSigner {
  return (input) => sign('sha256', input, privateKey);
}

/** HS256 with any bytes as the "secret" — the public key, in the algorithm-confusion attack. */
export function hs256(secret: string | Buffer): RawSigner {
  return (input) => createHmac('sha256', secret).update(input).digest();
}

export const unsigned: RawSigner = () => Buffer.alloc(0);

export function compact(header: unknown, payload: unknown, signer: RawSigner): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${signer(Buffer.from(input)).toString('base64url')}`;
}

/** A fresh temporary folder per test file, removed after it. */
export function temporaryDir(prefix: string): { readonly path: () => string } {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), `accord-${prefix}-`));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return { path: () => dir };
}

/** A clock the test moves (ms). */
export function testClock(start = Date.UTC(2026, 10, 26, 2, 0, 0)): {
  now: () => number;
  advance: (ms: number) => void;
  set: (ms: number) => void;
} {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
    set: (ms) => {
      time = ms;
    },
  };
}
