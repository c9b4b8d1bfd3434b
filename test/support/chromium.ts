/**
 * Headless Chromium for the browser tests (Debian's package, driven by playwright-core): where it is,
 * whether the tests run (skipped with a warning on a developer's machine without it; in CI they fail
 * instead, for CI installs it), and one launch with a fresh, empty profile.
 */
import { existsSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);

/** `describe` when Chromium is there or this is CI; `describe.skip`, with a warning naming `what`, otherwise. */
export function describeWithChromium(what: string): jest.Describe {
  if (chromiumAvailable || process.env.CI === 'true') return describe;
  console.warn(
    `${what} skipped: no Chromium at ${CHROMIUM} (install Debian's package: apt-get install -y chromium). In CI it fails instead.`,
  );
  return describe.skip;
}

/** Chromium headless on a fresh profile folder (--user-data-dir), as playwright passes it for a persistent context. */
export function launchChromium(
  profile: string,
  viewport?: { width: number; height: number },
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    ...(viewport !== undefined && { viewport }),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
