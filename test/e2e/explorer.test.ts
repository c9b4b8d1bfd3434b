/**
 * The explorer over HTTP (the browser half is explorer-browser.test.ts): /explorer and its assets are
 * served in production with a strict Content-Security-Policy and no data; introspection, which its
 * documentation and autocompletion read, is answered to authenticated analysts only, with the
 * client-facing schema.
 */
import { buildSchema, getIntrospectionQuery, isObjectType, type IntrospectionQuery } from 'graphql';
import { ensureExplorerBuilt } from '../../gateway/explorer';
import { readCommittedSupergraph } from '../../schema';
import { analyst, post, startAlliance, type Alliance } from '../support/alliance';

const KR = analyst('KR', 'kim.j', { purpose: 'investigation', case: 'KR-CAS-000001' });

let alliance: Alliance;
let origin: string;
beforeAll(async () => {
  // What `npm ci` (prepare) and `npm start` do; a no-op when the assets of these sources are built.
  await ensureExplorerBuilt();
  alliance = await startAlliance();
  origin = new URL(alliance.gatewayUrl).origin;
}, 120_000);
afterAll(() => alliance?.stop());

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('the /explorer page', () => {
  it('is served in production with a strict Content-Security-Policy, and no inline script', async () => {
    const response = await fetch(`${origin}/explorer`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = directives(response.headers.get('content-security-policy') ?? '');
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('worker-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(response.headers.get('content-security-policy')).not.toMatch(/unsafe-eval|https?:|\*/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await response.text();
    // Every script is either this server's file or inert JSON: nothing for 'unsafe-inline' to allow.
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      if (/type="application\/json"/.test(attributes!)) continue;
      expect(attributes).toMatch(/src="\/explorer\/assets\/[^"]+"/);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('holds no data: the same page with a token and without', async () => {
    const anonymous = await (await fetch(`${origin}/explorer`)).text();
    const withToken = await (
      await fetch(`${origin}/explorer`, { headers: await alliance.clientHeaders(KR) })
    ).text();
    expect(withToken).toBe(anonymous);
    expect(anonymous).not.toMatch(/KR-SUS-|KH-SUS-|Tiger/);
  });

  it('serves every asset the page and its style sheet name, and nothing else', async () => {
    const html = await (await fetch(`${origin}/explorer`)).text();
    const named = [...html.matchAll(/(?:src|href)="(\/explorer\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThanOrEqual(2);
    for (const path of named) {
      const response = await fetch(`${origin}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(
        path.endsWith('.js') ? /^text\/javascript/ : /^text\/css/,
      );
      expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      const body = await response.text();
      expect(body.length).toBeGreaterThan(1000);
      if (path.endsWith('.css')) {
        // The style sheet's own files (the editor's icon font) come from the same folder.
        const files = [...body.matchAll(/url\("?\.\/([^")]+)"?\)/g)].map((m) => m[1]!);
        expect(files.length).toBeGreaterThan(0);
        for (const file of files) expect((await fetch(`${origin}/explorer/assets/${file}`)).status).toBe(200);
        expect(body).not.toMatch(/url\("?https?:/);
      }
    }
    // The workers the script asks for, by the names it uses.
    const script = await (await fetch(`${origin}${named.find((p) => p.endsWith('.js'))!}`)).text();
    for (const worker of ['editor.worker.js', 'json.worker.js', 'graphql.worker.js']) {
      expect(script).toContain(worker);
      expect((await fetch(`${origin}/explorer/assets/${worker}`)).status).toBe(200);
    }
    for (const path of [
      '/explorer/assets/manifest.json',
      '/explorer/assets/..%2f..%2fpackage.json',
      '/explorer/assets/',
      '/explorer/other',
      '/explorers',
    ]) {
      expect((await fetch(`${origin}${path}`)).status).toBe(404);
    }
    expect((await fetch(`${origin}/explorer`, { method: 'POST', body: '{}' })).status).toBe(405);
  });
});

describe('a person who opens /graphql in a browser', () => {
  const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

  it('is sent to the explorer, with a link for a browser that does not follow', async () => {
    const response = await fetch(`${alliance.gatewayUrl}`, {
      headers: { accept: BROWSER_ACCEPT },
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/explorer');
    expect(await response.text()).toContain('<a href="/explorer">explorer</a>');
  });

  it('is told nothing else: a GraphQL client without a token is refused as before, a query in the URL is GraphQL', async () => {
    const json = await fetch(`${alliance.gatewayUrl}`, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(401);
    expect(json.headers.get('location')).toBeNull();
    const withQuery = await fetch(`${alliance.gatewayUrl}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: BROWSER_ACCEPT },
      redirect: 'manual',
    });
    expect(withQuery.status).toBe(401);
  });
});

describe('introspection', () => {
  const introspection = {
    query: getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }),
    operationName: 'IntrospectionQuery',
  };

  it.each([
    ['POST', async () => post(alliance.gatewayUrl, introspection, { 'accord-purpose': 'investigation' })],
    [
      'POST with a token that is not one',
      async () => post(alliance.gatewayUrl, introspection, { authorization: 'Bearer not-a-token' }),
    ],
    [
      'GET',
      async () => {
        const response = await fetch(
          `${alliance.gatewayUrl}?query=${encodeURIComponent('{ __schema { types { name } } }')}`,
          { headers: { 'apollo-require-preflight': 'true' } },
        );
        return {
          status: response.status,
          body: (await response.json()) as {
            data?: unknown;
            errors?: { extensions?: Record<string, unknown> }[];
          },
        };
      },
    ],
  ])('is refused to an anonymous client (%s): 401, and nothing of the schema', async (_how, ask) => {
    const answer = await ask();
    expect(answer.status).toBe(401);
    expect(answer.body.data ?? null).toBeNull();
    expect(answer.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(answer.body)).not.toMatch(/__schema|Suspect|search/);
  });

  it("is answered to an authenticated analyst, with the client-facing schema: the supergraph's Query, nothing internal", async () => {
    const answer = await post(alliance.gatewayUrl, introspection, await alliance.clientHeaders(KR));
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    const schema = (answer.body.data as unknown as IntrospectionQuery).__schema;
    const typeNames = schema.types.map((type) => type.name);
    // Nothing of federation's machinery, and never the desk (test/desk/desk-api.test.ts).
    expect(typeNames.filter((name) => name.startsWith('_') && !name.startsWith('__'))).toEqual([]);
    expect(typeNames.filter((name) => /^(join|link)__/.test(name))).toEqual([]);
    expect(JSON.stringify(answer.body)).not.toMatch(/desk|_entities|_service|@inaccessible|join__/i);

    // The oracle: the committed supergraph's Query fields, as a client sees them (no field that starts
    // with `_`, nothing marked @inaccessible), read straight from the SDL.
    const supergraph = readCommittedSupergraph();
    const query = buildSchema(supergraph, { assumeValidSDL: true }).getQueryType()!;
    const expected = Object.values(query.getFields())
      .filter(
        (field) =>
          !field.name.startsWith('_') &&
          !(field.astNode?.directives ?? []).some((d) => d.name.value === 'inaccessible'),
      )
      .map((field) => field.name)
      .sort();
    const queryType = schema.types.find((type) => type.name === schema.queryType.name)!;
    expect(queryType.kind).toBe('OBJECT');
    expect(
      (queryType as unknown as { fields: { name: string }[] }).fields.map((field) => field.name).sort(),
    ).toEqual(expected);
    // Every object type a client can reach is one the supergraph declares.
    const declared = buildSchema(supergraph, { assumeValidSDL: true }).getTypeMap();
    for (const name of typeNames.filter((n) => !n.startsWith('__'))) expect(declared[name]).toBeDefined();
    expect(isObjectType(declared['Query'])).toBe(true);
  });

  it('answers __type to an authenticated analyst too', async () => {
    const answer = await alliance.query('{ __type(name: "Query") { fields { name } } }', { headers: KR });
    expect(answer.status).toBe(200);
    expect(answer.body.data?.['__type']).toEqual({ fields: expect.arrayContaining([{ name: 'search' }]) });
  });
});
