/**
 * The /legal page end to end in headless Chromium (Debian's `chromium`, driven by playwright-core; no
 * browser download). The page is served by a tiny node:http server over legalRoutes on 127.0.0.1, port
 * 0, guarded as the gateway guards it; the browser sends a legal-team token with every request. It filters the matrix to KR→KH (requester KR, owner KH),
 * explains a withheld field and sees the failing condition, compares two revisions, checks that the page
 * made no request but its own, and keeps a screenshot under artifacts/legal/.
 *
 * In CI (CI=true) a missing Chromium fails the test; elsewhere it is skipped with a message.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type Locator, type Page } from 'playwright-core';
import { CHROMIUM, chromiumAvailable, describeWithChromium, launchChromium } from '../support/chromium';
import { compilePolicy, loadAgreementSet, loadDefaultPolicy } from '../../policy';
import { readCommittedSupergraph } from '../../schema';
import { removeCopies, serveWorkbench, TODAY, widenedCopy, type ServedWorkbench } from './support';

const describeBrowser = describeWithChromium('browser test');
const ARTIFACTS = join(__dirname, '..', '..', 'artifacts', 'legal');

describeBrowser('the /legal page in headless Chromium', () => {
  let served: ServedWorkbench;
  let base: string;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const requests: string[] = [];

  beforeAll(async () => {
    if (!chromiumAvailable)
      throw new Error(`Chromium is missing at ${CHROMIUM}: CI must install it (apt-get install -y chromium)`);
    const policy = loadDefaultPolicy();
    const widened = compilePolicy(loadAgreementSet(widenedCopy()));
    served = await serveWorkbench({
      policy,
      supergraphSdl: readCommittedSupergraph(),
      history: 0,
      revisions: [{ label: 'proposed: KR–TH biometrics released', set: widened.set }],
      now: () => TODAY,
    });
    base = served.base;
    profile = mkdtempSync(join(tmpdir(), 'accord-chromium-'));
    // A fresh, empty profile (--user-data-dir) per run, as playwright passes it for a persistent context.
    context = await launchChromium(profile, { width: 1500, height: 1000 });
    page = await context.newPage();
    // The page is for legal teams: the browser sends the token, as a reviewer's would.
    await page.setExtraHTTPHeaders({ authorization: `Bearer ${await served.legalToken()}` });
    page.on('request', (request) => requests.push(request.url()));
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await served?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    removeCopies();
  });

  test('matrix filtered to KR→KH, explain of a withheld field, diff of two revisions, no outside request', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`${base}/legal`);
    await page.getByTestId('matrix').waitFor();
    const members = loadDefaultPolicy().set.members.length;
    expect(await page.getByTestId('matrix-pair').count()).toBe(members * (members - 1));

    await page.getByTestId('matrix-requester').selectOption('KR');
    await page.getByTestId('matrix-owner').selectOption('KH');
    const pairs = page.getByTestId('matrix-pair');
    expect(await pairs.count()).toBe(1);
    expect(await pairs.first().getAttribute('data-requester')).toBe('KR');
    expect(await pairs.first().getAttribute('data-owner')).toBe('KH');
    const identityRow = pairs
      .first()
      .locator('tr', { has: page.locator('th', { hasText: /^person\.identity$/ }) });
    await expectText(identityRow.locator('td').first(), 'release');
    await expectText(pairs.first().locator('ol.notes'), 'KR–KH MLAT 2021');
    await page.screenshot({ path: join(mkdirOnce(), 'matrix-kr-kh.png'), fullPage: false });

    await page.getByTestId('tab-explain').click();
    await page.getByTestId('explain-requester').selectOption('KR');
    await page.getByTestId('explain-purpose').selectOption('investigation');
    await page.getByTestId('explain-field').fill('KHSuspect.financialAccounts');
    await page.getByTestId('explain-at').fill('2026-06-01');
    await page.getByTestId('explain-case').fill('KR-CASE-2026-0042');
    await page.getByTestId('explain-submit').click();
    await expectText(page.getByTestId('explain-decision'), 'WITHHOLD');
    const failing = page.getByTestId('failed-condition');
    expect(await failing.count()).toBeGreaterThan(0);
    await expectText(failing.first(), 'needs a request reference');
    await expectText(
      page.locator('[data-clause="kr-kh-mlat-2021/proceeds"]'),
      'KR–KH MLAT 2021 art. 1(2)(g)',
    );
    await page.screenshot({ path: join(mkdirOnce(), 'explain-withheld.png'), fullPage: true });

    // A bad field name gets the nearest valid one, in the page too.
    await page.getByTestId('explain-field').fill('KHSuspect.pasportNumbers');
    await page.getByTestId('explain-submit').click();
    await expectText(page.getByTestId('error'), 'did you mean KHSuspect.passportNumbers');

    await page.getByTestId('tab-diff').click();
    await page.getByTestId('diff-before').selectOption({ index: 0 });
    await page.getByTestId('diff-after').selectOption({ index: 1 });
    await page.getByTestId('diff-submit').click();
    await expectText(page.getByTestId('diff-counts'), '8 wider');
    await expectText(page.getByTestId('diff-result'), 'person.biometrics');

    expect(errors).toEqual([]);
    // Everything came from the page itself: no CDN, no other host, no second request.
    expect(requests.filter((url) => !url.startsWith(`${base}/legal`))).toEqual([]);
  }, 60_000);
});

let made = false;
function mkdirOnce(): string {
  if (!made) mkdirSync(ARTIFACTS, { recursive: true });
  made = true;
  return ARTIFACTS;
}

/** Waits (up to 10 s) until the element's text contains `text`, then asserts it (a readable failure either way). */
async function expectText(locator: Locator, text: string): Promise<void> {
  await locator
    .filter({ hasText: text })
    .first()
    .waitFor({ timeout: 10_000 })
    .catch(() => undefined);
  expect(await locator.first().innerText()).toContain(text);
}
