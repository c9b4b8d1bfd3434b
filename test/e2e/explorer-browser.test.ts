/**
 * The explorer end to end in headless Chromium (Debian's `chromium`, driven by playwright-core; no browser
 * download), as test/legal/browser.test.ts drives /legal. An alliance on free ports serves /explorer; the
 * test pastes an analyst's token, fills the Accord headers from the panel, sees GraphiQL autocomplete a
 * field from the introspected schema, runs the README's search and sees each withheld field's reason and
 * routes beside the answer, and the obligations per owner. A screenshot is kept under artifacts/explorer/.
 *
 * In CI (CI=true) a missing Chromium fails the test; elsewhere it is skipped with a message.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type Locator, type Page, type Request } from 'playwright-core';
import { CHROMIUM, chromiumAvailable, describeWithChromium, launchChromium } from '../support/chromium';
import { ensureExplorerBuilt } from '../../gateway/explorer';
import { DEFAULT_ANALYST_AUDIENCE, signDemoAnalystToken } from '../../trust';
import { analyst, startAlliance, type Alliance } from '../support/alliance';

const describeBrowser = describeWithChromium('browser test');
const ARTIFACTS = join(__dirname, '..', '..', 'artifacts', 'explorer');

/** The README's first example: the search of all members for "Tiger", as kim.j of KR in case KR-CAS-000001. */
const README_SEARCH =
  '{ search(term: "Tiger") { country suspects { id fullName nationality } compounds { id name } } }';
const DECLARATION = { purpose: 'investigation', case: 'KR-CAS-000001' };

describeBrowser('the explorer in headless Chromium', () => {
  let alliance: Alliance;
  let base: string;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const requests: Request[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    if (!chromiumAvailable)
      throw new Error(`Chromium is missing at ${CHROMIUM}: CI must install it (apt-get install -y chromium)`);
    await ensureExplorerBuilt();
    alliance = await startAlliance();
    base = new URL(alliance.gatewayUrl).origin;
    profile = mkdtempSync(join(tmpdir(), 'accord-chromium-'));
    // A fresh, empty profile (--user-data-dir) per run, as playwright passes it for a persistent context.
    context = await launchChromium(profile, { width: 1600, height: 1000 });
    page = await context.newPage();
    page.on('request', (request) => requests.push(request));
    page.on('pageerror', (error) => problems.push(error.message));
    // A Content-Security-Policy violation is reported as a console error.
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await alliance?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  test('token, headers, autocompletion, the README search with withheld fields explained, obligations per owner', async () => {
    await page.goto(`${base}/explorer`);
    await page.getByTestId('token-form').waitFor();

    // The analyst's token, as `npm run token -- --country KR --analyst kim.j` prints it.
    const token = await signDemoAnalystToken({
      dir: alliance.idpDir,
      country: 'KR',
      analyst: 'kim.j',
      audience: DEFAULT_ANALYST_AUDIENCE,
    });
    await page.getByTestId('token-input').fill(token);
    await page.getByTestId('token-use').click();
    await expectText(page.getByTestId('token-status'), 'kim.j');
    // Kept for the tab only.
    expect(
      await page.evaluate(() => [
        sessionStorage.getItem('accord.explorer.token') !== null,
        localStorage.length,
      ]),
    ).toEqual([true, 0]);

    // The headers panel fills GraphiQL's headers editor.
    await page.getByRole('button', { name: 'Show Accord headers' }).click();
    await page.getByTestId('accord-header-accord-purpose').selectOption(DECLARATION.purpose);
    await expectText(page.getByTestId('purpose-meaning'), `${DECLARATION.purpose}:`);
    await page.getByTestId('accord-header-accord-case').fill(DECLARATION.case);

    // Autocompletion from the introspected schema: type the start of a field, see it offered.
    const queryEditor = page.locator('.graphiql-query-editor .monaco-editor').first();
    await queryEditor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type('{ search(term: "Tiger") { suspects { fullNa');
    const suggestions = page.locator('.suggest-widget');
    await suggestions.waitFor({ state: 'visible', timeout: 15_000 });
    await expectText(suggestions, 'fullName');
    await page.keyboard.press('Escape');

    // The README's search, run from the editor.
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(README_SEARCH);
    const sending = page.waitForRequest(
      (request) => request.url() === alliance.gatewayUrl && (request.postData() ?? '').includes('Tiger'),
    );
    await page.locator('.graphiql-execute-button').click();
    // What the page sent: the panel's headers and the token, to this gateway's /graphql.
    const sent = await sending;
    expect(sent.headers()).toMatchObject({
      authorization: `Bearer ${token}`,
      'accord-purpose': DECLARATION.purpose,
      'accord-case': DECLARATION.case,
    });

    // The same operation over HTTP is the oracle: every field it withholds is listed with its reason and routes.
    const answer = await alliance.query(README_SEARCH, { headers: analyst('KR', 'kim.j', DECLARATION) });
    const withheld = (answer.body.errors ?? []).filter(
      (error) => error.path && typeof error.extensions?.['reason'] === 'string',
    );
    expect(withheld.length).toBeGreaterThan(0);
    const notes = page.getByTestId('withheld-field');
    await notes.nth(withheld.length - 1).waitFor({ timeout: 15_000 });
    expect(await notes.count()).toBe(withheld.length);
    for (const error of withheld) {
      const note = page.locator(`[data-testid="withheld-field"][data-path="${pathOf(error.path!)}"]`);
      await expectText(note, String(error.extensions!['reason']));
      for (const route of error.extensions!['routes'] as { text: string }[])
        await expectText(note, route.text);
    }
    // Beside the null in the answer itself: a click on the note shows the field there.
    await page
      .locator(`[data-testid="withheld-field"][data-path="${pathOf(withheld[0]!.path!)}"] button`)
      .click();
    const response = page.locator('.graphiql-response .monaco-editor');
    await response.locator('.accord-withheld-inline').first().waitFor({ state: 'visible', timeout: 15_000 });
    await expectText(response, `withheld: ${String(withheld[0]!.extensions!['reason'])}`);
    // The answer's prose (agreement titles such as "KR–KH …") shows its en dashes as written: Monaco's
    // highlight of characters confusable with ASCII is off (gateway/explorer/client/plainCharacters.ts).
    const highlights = await page.evaluate(() =>
      (
        globalThis as unknown as {
          __MONACO: {
            editor: {
              getEditors(): { getRawOptions(): { unicodeHighlight?: { ambiguousCharacters?: boolean } } }[];
            };
          };
        }
      ).__MONACO.editor
        .getEditors()
        .map((editor) => editor.getRawOptions().unicodeHighlight?.ambiguousCharacters),
    );
    expect(highlights.length).toBeGreaterThanOrEqual(2);
    expect(highlights.every((ambiguous) => ambiguous === false)).toBe(true);
    expect(await response.locator('.unicode-highlight').count()).toBe(0);
    // On the field's own line: the note sits level with a line that shows that field as null.
    const field = String(withheld[0]!.path!.at(-1));
    const note = await response.locator('.accord-withheld-inline').first().boundingBox();
    const lines = await response
      .locator('.view-line', { hasText: `"${field}"` })
      .evaluateAll((elements) =>
        elements.map((element) => [
          element.getBoundingClientRect().top,
          element.getBoundingClientRect().bottom,
          element.textContent ?? '',
        ]),
      );
    const level = lines.filter(
      ([top, bottom]) =>
        note!.y + note!.height / 2 > (top as number) && note!.y + note!.height / 2 < (bottom as number),
    );
    expect(level).toHaveLength(1);
    expect(
      String(level[0]![2])
        .replace(/\u00a0/g, ' ')
        .trim(),
    ).toMatch(new RegExp(`^"${field}": null,?$`));
    // Obligations per owner, as the gateway attached them.
    const owners = Object.keys(answer.body.extensions?.['obligations'] ?? {}).sort();
    expect(owners.length).toBeGreaterThan(0);
    await page
      .getByTestId('owner-obligations')
      .nth(owners.length - 1)
      .waitFor();
    expect(await page.getByTestId('owner-obligations').count()).toBe(owners.length);
    expect(
      (
        await page
          .getByTestId('owner-obligations')
          .evaluateAll((items) => items.map((item) => item.getAttribute('data-owner')))
      ).sort(),
    ).toEqual(owners);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'search-withheld.png'), fullPage: false });

    expect(problems).toEqual([]);
    // Everything came from the gateway itself: no CDN, no other host.
    expect(
      requests
        .map((request) => request.url())
        .filter((url) => !url.startsWith(`${base}/`) && !url.startsWith('data:')),
    ).toEqual([]);
  }, 120_000);
});

/** Waits (up to 15 s) until the element's text contains `text`, then asserts it (Monaco draws spaces as no-break spaces). */
async function expectText(locator: Locator, text: string): Promise<void> {
  const read = async (): Promise<string> => (await locator.first().innerText()).replace(/\u00a0/g, ' ');
  for (let i = 0; i < 60 && !(await read().catch(() => '')).includes(text); i++)
    await new Promise((resolve) => setTimeout(resolve, 250));
  expect(await read()).toContain(text);
}

/** `["search", 1, "fullName"]` → `search[1].fullName`, as the page names a place in the answer. */
function pathOf(path: readonly (string | number)[]): string {
  return path
    .map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`))
    .join('');
}
