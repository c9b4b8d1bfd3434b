/**
 * Two things a newcomer hits on the wire, against every server of a running alliance (gateway, hub and
 * each member, from the alliance itself):
 * - a body sent as `text/plain` (curl's and forms' habit) is refused for its content type, naming the one
 *   to send, not called invalid JSON (nor refused as a cross-site request when it happens to be JSON);
 * - `accord --gateway` given a subgraph's URL (a member's or the hub's) is told the URL is not the gateway
 *   (exit 5), not to log in again (exit 3), while the gateway's own refusal of a token still says log in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MEMBERS } from '../../schema';
import { startAlliance, type Alliance } from '../support/alliance';
import { INTERNAL, accord, buildAccord } from '../support/accordCli';

let alliance: Alliance;
let home: string;
let env: NodeJS.ProcessEnv;
/** Every server's GraphQL URL, by name: the gateway's and each subgraph's. */
let servers: [string, string][];

beforeAll(async () => {
  buildAccord();
  alliance = await startAlliance();
  home = mkdtempSync(join(tmpdir(), 'accord-newcomer-http-'));
  env = { ACCORD_DATA_DIR: alliance.dataDir, ACCORD_CLI_HOME: join(home, 'config') };
  servers = [['gateway', alliance.gatewayUrl], ...Object.entries(alliance.subgraphUrls)];
}, 180_000);

afterAll(async () => {
  await alliance?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('a body that is not sent as JSON', () => {
  it.each([
    ['text/plain', JSON.stringify({ query: '{ __typename }' })],
    ['text/plain;charset=UTF-8', '{ __typename }'],
    ['application/x-www-form-urlencoded', 'query=%7B__typename%7D'],
  ])(
    'sent as %s is refused for its content type, by every server, naming the right one',
    async (type, body) => {
      for (const [name, url] of servers) {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
        const answer = (await response.json()) as {
          errors: { message: string; extensions: { code: string } }[];
        };
        const media = type.split(';')[0]!;
        expect({ name, status: response.status, code: answer.errors[0]!.extensions.code }).toEqual({
          name,
          status: 415,
          code: 'BAD_REQUEST',
        });
        expect(answer.errors[0]!.message).toContain(`sent as ${media}`);
        expect(answer.errors[0]!.message).toContain('content-type: application/json');
        expect(answer.errors[0]!.message).not.toMatch(/not valid JSON|Cross-Site/i);
      }
    },
  );

  it('sent as application/json with a charset is read as before', async () => {
    const response = await fetch(alliance.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { message: string }[] }).errors[0]!.message).toBe(
      'The request body is not valid JSON.',
    );
  });
});

describe('accord --gateway given a URL that is not the gateway', () => {
  beforeAll(async () => {
    const login = await accord(['login', '--country', MEMBERS[0]!.code, '--analyst', 'kim.j'], env);
    expect(login.code).toBe(0);
  }, 60_000);

  it("says it is not the gateway (exit 5), for every subgraph's URL", async () => {
    for (const [name, url] of servers.filter(([server]) => server !== 'gateway')) {
      const run = await accord(
        ['query', '{ __typename }', '--purpose', 'investigation', '--gateway', url],
        env,
      );
      expect({ name, code: run.code }).toEqual({ name, code: 5 });
      expect(run.stderr).toContain(`${url} is not the gateway`);
      expect(run.stderr).not.toMatch(/log in again|accord login/i);
      expect(run.stderr).not.toMatch(INTERNAL);
    }
  }, 120_000);

  it('the gateway refusing a token still says log in again (exit 3)', async () => {
    const other = { ...env, ACCORD_CLI_HOME: join(home, 'other') };
    const login = await accord(['login', '--country', MEMBERS[0]!.code, '--analyst', 'kim.j'], other);
    expect(login.code).toBe(0);
    // The same login, against a gateway that trusts other keys: the token's issuer is unknown there.
    const foreign = await startAlliance();
    try {
      const run = await accord(
        ['query', '{ __typename }', '--purpose', 'investigation', '--gateway', foreign.gatewayUrl],
        other,
      );
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/Log in again/);
    } finally {
      await foreign.stop();
    }
  }, 180_000);
});

describe('a newcomer who has no token yet, or opens the wrong page', () => {
  it('a missing token is answered with how to get one', async () => {
    const response = await fetch(alliance.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    const answer = (await response.json()) as { errors: { message: string }[] };
    expect(response.status).toBe(401);
    expect(answer.errors[0]!.message).toMatch(/run accord login first\.$/);
  });

  it("an unknown path on the gateway names the explorer; a member's, which has none, does not", async () => {
    for (const [name, url] of servers) {
      const response = await fetch(new URL('/explore', url));
      const answer = (await response.json()) as { errors: { message: string }[] };
      expect({ name, status: response.status }).toEqual({ name, status: 404 });
      expect(answer.errors[0]!.message).toBe(
        name === 'gateway'
          ? 'Not found. GraphQL is served at /graphql; in a browser, open /explorer.'
          : 'Not found. GraphQL is served at /graphql.',
      );
    }
  });
});
