/**
 * The desk page (`GET /desk` on a member's own server) in headless Chromium (Debian's `chromium`, driven by
 * playwright-core): the browser sends a desk officer's token; the overdue request stands out (its badge
 * and its highlighted row), the page's own style applies under its Content-Security-Policy, what a
 * requester wrote stays text (no script runs, no dialog opens), and the page makes no request but its own.
 *
 * In CI (CI=true) a missing Chromium fails the test; elsewhere it is skipped with a message.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, chromiumAvailable, describeWithChromium, launchChromium } from '../support/chromium';
import { loadDefaultPolicy } from '../../policy';
import { MEMBERS } from '../../schema';
import { startSubgraph, type RunningServer } from '../../subgraphs/kit';
import { openStore } from '../../subgraphs/reference';
import {
  OVERDUE_MARK,
  mountDesk,
  openGrantStore,
  openRequestStore,
  type GrantStore,
  type RequestStore,
} from '../../subgraphs/desk';
import { DESK_AUDIENCE, DESK_ROLE, localTrust, signDemoAnalystToken } from '../../trust';
import { createLogger } from '../../lib/logger';
import { MEMBER_MODULES } from '../support/members';

const describeBrowser = describeWithChromium('desk browser test');

const policy = loadDefaultPolicy();
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 10, 9);

/** The first clause bound to a formal request, from the agreement set, with an owner that runs a subgraph. */
const ROUTE = (() => {
  for (const agreement of policy.set.agreements) {
    for (const clause of agreement.clauses.filter((c) => c.conditions.requestReference === true)) {
      const { from, to } =
        clause.direction === 'both' ? { from: agreement.parties, to: agreement.parties } : clause.direction;
      const owner = from.find((country) => MEMBER_MODULES.some((m) => m.COUNTRY === country));
      const requester = to.find((country) => country !== owner);
      if (owner !== undefined && requester !== undefined) return { agreement, clause, owner, requester };
    }
  }
  throw new Error('no clause bound to a formal request');
})();

describeBrowser('the desk page in headless Chromium', () => {
  let dir: string;
  let idpDir: string;
  let server: RunningServer;
  let requests: RequestStore;
  let grants: GrantStore;
  let context: BrowserContext;
  let page: Page;
  const seen: string[] = [];
  const dialogs: string[] = [];
  const violations: string[] = [];

  beforeAll(async () => {
    if (!chromiumAvailable)
      throw new Error(`Chromium is missing at ${CHROMIUM}: CI must install it (apt-get install -y chromium)`);
    dir = mkdtempSync(join(tmpdir(), 'accord-desk-browser-'));
    const trust = localTrust(
      join(dir, 'data'),
      MEMBERS.map((m) => m.code),
    );
    idpDir = trust.idpDir;
    requests = openRequestStore({ owner: ROUTE.owner, file: ':memory:' });
    grants = openGrantStore({
      owner: ROUTE.owner,
      file: ':memory:',
      key: generateKeyPairSync('ed25519').privateKey,
    });
    const base = {
      owner: ROUTE.owner,
      requesterCountry: ROUTE.requester,
      analyst: 'lee.h',
      authority: 'National Police',
      caseReference: `${ROUTE.requester}-CAS-000001`,
      offences: ['fraud'],
      subjects: [`${ROUTE.owner}-SUS-000001`],
      categories: Object.keys(ROUTE.clause.categories).slice(0, 1),
      purpose: ROUTE.clause.purposes[0]!,
      agreement: ROUTE.agreement.id,
      clauses: [ROUTE.clause.id],
      urgency: 'normal' as const,
      intendedUse: 'intelligence' as const,
      confidentiality: 'none',
    };
    requests.file(
      { ...base, facts: 'Overdue <img src=x onerror="alert(1)"><script>alert(2)</script>' },
      NOW - 9 * DAY,
      NOW - 2 * DAY,
    );
    requests.file({ ...base, facts: 'Not yet due.' }, NOW - DAY, NOW + 6 * DAY);
    const member = MEMBER_MODULES.find((m) => m.COUNTRY === ROUTE.owner)!;
    server = await startSubgraph(
      member.createSystem({ store: openStore({ country: ROUTE.owner, file: ':memory:' }) }),
      {
        host: '127.0.0.1',
        port: 0,
        policy,
        now: () => NOW,
        gatewayTokens: trust.gatewayTokens(ROUTE.owner.toLowerCase()),
        prefixRoutes: mountDesk({
          owner: ROUTE.owner,
          policy,
          requests,
          grants,
          issuer: trust.issuers[ROUTE.owner],
          logger: createLogger('desk-browser-test'),
          now: () => NOW,
        }),
      },
    );
    context = await launchChromium(join(dir, 'profile'));
    page = await context.newPage();
    await page.setExtraHTTPHeaders({
      authorization: `Bearer ${await signDemoAnalystToken({ dir: trust.idpDir, country: ROUTE.owner, analyst: 'desk.one', roles: [DESK_ROLE], audience: DESK_AUDIENCE })}`,
    });
    page.on('request', (request) => seen.push(request.url()));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await server?.stop();
    requests?.close();
    grants?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('shows the overdue request highlighted, runs nothing a requester wrote, fetches nothing else', async () => {
    const origin = new URL(server.url).origin;
    const response = await page.goto(`${origin}/desk`);
    expect(response?.status()).toBe(200);
    const overdueRow = page.locator('tr[data-overdue="true"]');
    await expect(overdueRow.count()).resolves.toBe(1);
    await expect(overdueRow.locator('.badge.overdue').innerText()).resolves.toBe(OVERDUE_MARK);
    // The page's own style applies (allowed by hash): the overdue row is tinted, the header is dark.
    const tint = await overdueRow
      .locator('td')
      .first()
      .evaluate((cell) => getComputedStyle(cell).backgroundColor);
    const plain = await page
      .locator('tr[data-overdue="false"] td')
      .first()
      .evaluate((cell) => getComputedStyle(cell).backgroundColor);
    expect(tint).not.toBe(plain);
    await expect(
      page.locator('header').evaluate((header) => getComputedStyle(header).backgroundColor),
    ).resolves.toBe('rgb(11, 58, 91)');
    // What the requester wrote is text on the page, not markup.
    await overdueRow.locator('summary').click();
    await expect(overdueRow.locator('details').innerText()).resolves.toContain('<script>alert(2)</script>');
    await expect(page.locator('img').count()).resolves.toBe(0);
    expect(dialogs).toEqual([]);
    expect(violations).toEqual([]);
    expect(seen).toEqual([`${origin}/desk`]);
  });

  test('signs an officer in with a pasted token, shows the page, and signs out', async () => {
    const origin = new URL(server.url).origin;
    // A page of its own: no Authorization header, as when an officer types the address.
    const browser = await context.newPage();
    try {
      const first = await browser.goto(`${origin}/desk`);
      expect(first?.status()).toBe(401);
      const token = await signDemoAnalystToken({
        dir: idpDir,
        country: ROUTE.owner,
        analyst: 'desk.two',
        roles: [DESK_ROLE],
        audience: DESK_AUDIENCE,
      });
      await browser.locator('textarea[name="token"]').fill(token);
      await Promise.all([
        browser.waitForURL(`${origin}/desk`),
        browser.locator('button[type="submit"]').click(),
      ]);
      await expect(browser.locator('header .who').innerText()).resolves.toContain(`${ROUTE.owner}/desk.two`);
      await expect(browser.locator('tr[data-overdue="true"]').count()).resolves.toBe(1);
      const cookies = await context.cookies(`${origin}/desk`);
      expect(
        cookies.map(({ name, httpOnly, sameSite, path }) => ({ name, httpOnly, sameSite, path })),
      ).toEqual([
        {
          name: `accord_desk_${ROUTE.owner.toLowerCase()}`,
          httpOnly: true,
          sameSite: 'Strict',
          path: '/desk',
        },
      ]);
      await Promise.all([
        browser.waitForURL(`${origin}/desk`),
        browser.locator('form.sign-out button').click(),
      ]);
      await expect(browser.locator('textarea[name="token"]').count()).resolves.toBe(1);
      expect(await context.cookies(`${origin}/desk`)).toEqual([]);
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
