/**
 * Red team, issue 14: the `accord` CLI and where its cached token (and the analyst's declaration) goes.
 * No alliance: a stand-in "gateway" on this machine records what reaches it, and the session file is
 * written as `accord login` writes it (cli/session.ts), so nothing here needs an identity provider.
 *
 * Each test states the behaviour the CLI should have and fails today.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accord, buildAccord } from '../support/accordCli';
import { UsageError } from '../../cli/CliError';
import { gatewayUrl } from '../../cli/gateway';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

interface Stand {
  readonly server: Server;
  readonly seen: Seen[];
  readonly origin: string;
}

/** An HTTP server that records every request and answers with `answer`. */
function stand(
  host: string,
  answer: (request: Seen) => { status: number; headers?: Record<string, string>; body?: string },
): Promise<Stand> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const entry = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body };
      seen.push(entry);
      const { status, headers = {}, body: out = '' } = answer(entry);
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(out);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, seen, origin: `http://${host.includes(':') ? `[${host}]` : host}:${port}` });
    });
  });
}

const close = (s: Stand | undefined): Promise<void> =>
  new Promise((resolve) => (s ? s.server.close(() => resolve()) : resolve()));

const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJraW0uaiJ9.c2VjcmV0LXNpZ25hdHVyZQ';
let home: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  buildAccord();
  home = mkdtempSync(join(tmpdir(), 'accord-redteam14-'));
  const dir = join(home, 'config');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const session = {
    country: 'KR',
    analyst: 'kim.j',
    roles: ['analyst'],
    token: TOKEN,
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  };
  writeFileSync(join(dir, 'session.json'), JSON.stringify(session), { mode: 0o600 });
  env = { ACCORD_CLI_HOME: dir, ACCORD_DATA_DIR: join(home, 'data') };
}, 120_000);

afterAll(() => {
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('accord sends what it knows only to the gateway it was given', () => {
  let target: Stand | undefined;
  let redirector: Stand | undefined;
  afterEach(async () => {
    await close(target);
    await close(redirector);
    target = redirector = undefined;
  });

  // cli/gateway.ts postOperation: fetch() follows redirects (its default). On a cross-origin redirect
  // undici drops Authorization, but re-sends the POST body (the query and its variables: names,
  // passport numbers) and every Accord-* header (case, warrant, request references) to wherever the
  // Location points, and accord then shows that server's answer as the gateway's, exit 0.
  it('does not follow a redirect: the query and the declaration never reach another origin', async () => {
    target = await stand('127.0.0.1', () => ({
      status: 200,
      body: JSON.stringify({ data: { search: [] } }),
    }));
    const elsewhere = target.origin.replace('127.0.0.1', 'localhost');
    redirector = await stand('127.0.0.1', () => ({
      status: 307,
      headers: { location: `${elsewhere}/graphql` },
    }));
    const run = await accord(
      [
        'query',
        'query($n: String!) { search(term: $n) { country } }',
        '--var',
        'n=Somchai Rattanakorn',
        '--purpose',
        'investigation',
        '--case',
        'KR-CAS-000001',
        '--warrant',
        'KR-WARRANT-2026-0001',
        '--gateway',
        `${redirector.origin}/graphql`,
      ],
      env,
    );
    expect(redirector.seen).toHaveLength(1);
    // Today: the other origin receives the search term and the case and warrant references.
    expect(
      target.seen.map((s) => ({
        body: s.body,
        case: s.headers['accord-case'],
        warrant: s.headers['accord-warrant'],
      })),
    ).toEqual([]);
    expect(run.code).toBe(5);
  });

  // cli/gateway.ts gatewayUrl accepts any http: URL and cli/ask.ts attaches the cached bearer token to
  // it: a token of the gateway's audience (valid for up to 12 h at the real gateway) goes in clear text
  // to any host that --gateway or ACCORD_GATEWAY names.
  it('refuses to send the token in clear text (http:) to a host that is not this machine', () => {
    // Decided from the URL alone, before any connection: no traffic leaves loopback in this test.
    for (const remote of [
      'http://192.0.2.1/graphql',
      'http://gateway.example/graphql',
      'http://user:secret@127.0.0.1:4000/graphql',
    ]) {
      expect(() => gatewayUrl(remote, {}, 'query')).toThrow(UsageError);
    }
    expect(() => gatewayUrl('http://192.0.2.1/graphql', {}, 'query')).toThrow(/https/);
    for (const local of [
      'http://127.0.0.1:4000/graphql',
      'http://localhost:4000',
      'http://[::1]:4000/graphql',
      'https://gateway.example/graphql',
    ]) {
      expect(() => gatewayUrl(local, {}, 'query')).not.toThrow();
    }
  });
});

describe("accord prints other members' data safely to a terminal", () => {
  let gateway: Stand | undefined;
  afterAll(() => close(gateway));

  // cli/commands/record.ts show() and cli/render.ts table() print field values as they came: a value
  // another member's system holds (an intercepted message, an alias typed from a seized phone) can carry
  // terminal control sequences that retitle the window, rewrite the lines above (a "withheld" shown as
  // released, or the reverse), or, in some terminals, write the clipboard (OSC 52).
  it('accord record and accord search escape control characters in values', async () => {
    const hostile = 'Kim\u001b[2K\r\u001b[1A\u001b]0;pwned\u0007\u001b]52;c;Y3VybCBldmlsfHNo\u0007';
    gateway = await stand('127.0.0.1', (request) => {
      const query = (JSON.parse(request.body) as { query: string }).query;
      const data = query.includes('search')
        ? {
            search: [
              {
                country: 'KR',
                suspects: [{ id: 'KR-SUS-000001', country: 'KR', fullName: hostile, nationality: 'KR' }],
                compounds: [],
                cases: [],
                victims: [],
              },
            ],
          }
        : { suspect: { id: 'KR-SUS-000001', country: 'KR', fullName: hostile, aliases: [hostile] } };
      return { status: 200, body: JSON.stringify({ data }) };
    });
    const record = await accord(
      [
        'record',
        'KR-SUS-000001',
        '--purpose',
        'investigation',
        '--case',
        'KR-CAS-000001',
        '--gateway',
        `${gateway.origin}/graphql`,
      ],
      env,
    );
    expect(record.code).toBe(0);
    expect(record.stdout).toContain('Kim');
    expect(record.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u009b]/);
    const search = await accord(
      [
        'search',
        'Kim',
        '--purpose',
        'investigation',
        '--case',
        'KR-CAS-000001',
        '--gateway',
        `${gateway.origin}/graphql`,
      ],
      env,
    );
    expect(search.stdout).toContain('KR-SUS-000001');
    expect(search.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u009b]/);
  });
});
