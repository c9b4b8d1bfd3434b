import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The hub's registration key (Ed25519), made on first use in `<dataDir>/alliance/`: the private key only the
 * hub reads (0600), and its public key beside it for whoever checks a registration (the gateway, the audit
 * tools). A reader takes the public key from this file, never from the registry: a key stored with the rows
 * would sign whatever was written there.
 */
export function registrationKeyFiles(dataDir: string): {
  readonly privateKey: string;
  readonly publicKey: string;
} {
  const folder = join(dataDir, 'alliance');
  return { privateKey: join(folder, 'emergency-key.pem'), publicKey: join(folder, 'emergency-key.pub.pem') };
}

/** The hub's signing key, made (with its public file) when there is none yet. */
export function ensureRegistrationKey(dataDir: string): KeyObject {
  const files = registrationKeyFiles(dataDir);
  if (!existsSync(files.privateKey)) {
    mkdirSync(join(dataDir, 'alliance'), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    // `wx`: two hubs starting at once do not overwrite each other's key; the loser reads the winner's.
    try {
      writeFileSync(files.privateKey, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), {
        mode: 0o600,
        flag: 'wx',
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const key = createPrivateKey(readFileSync(files.privateKey, 'utf8'));
  const publicPem = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
  if (!existsSync(files.publicKey) || readFileSync(files.publicKey, 'utf8') !== publicPem)
    writeFileSync(files.publicKey, publicPem, { mode: 0o644 });
  return key;
}

/** The public key a reader checks registrations with; undefined while the hub has made none. */
export function readRegistrationPublicKey(dataDir: string): KeyObject | undefined {
  const file = registrationKeyFiles(dataDir).publicKey;
  return existsSync(file) ? createPublicKey(readFileSync(file, 'utf8')) : undefined;
}
