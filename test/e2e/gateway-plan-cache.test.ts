// The gateway keeps its query plans within a bound (gateway/planCache.ts), not @apollo/gateway's 30 MiB
// of JSON: one plan per operation and redaction, so the same few operations asked from many member
// countries would otherwise grow the gateway's heap by hundreds of MB (issue 12). Seen from outside through
// `onQueryPlan`: a plan served from the store is the same object as before; one planned again is a new one.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { HUB_NAME, MEMBERS, subgraphName } from '../../schema';
import { localTrust } from '../../trust';
import { requestContextHeaders, type RequestContext } from '../../policy';
import { startGateway, type RunningGateway } from '../../gateway';

const REQUESTER: RequestContext = {
  country: MEMBERS[0]!.code,
  analyst: 'plan.cache',
  roles: ['analyst'],
  purpose: 'investigation',
  caseReference: 'PLAN-CACHE-1',
};

describe("the gateway's query plans", () => {
  let dir: string;
  let upstream: Server;
  let gateway: RunningGateway;
  const plans: unknown[] = [];
  let headers: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'accord-plan-cache-'));
    // Plans are made before any member is called: every subgraph is one server that answers nothing.
    upstream = createServer((_, response) => response.writeHead(503).end());
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/graphql`;
    const names = [HUB_NAME, ...MEMBERS.map((member) => subgraphName(member.code))];
    const trust = localTrust(
      dir,
      MEMBERS.map((member) => member.code),
    );
    gateway = await startGateway({
      analysts: trust.analysts(),
      signer: trust.signer(),
      host: '127.0.0.1',
      port: 0,
      subgraphUrls: Object.fromEntries(names.map((name) => [name, url])),
      legalPage: false,
      explorer: false,
      onQueryPlan: (plan) => plans.push(plan),
      planCache: { maxEntries: 2, maxJsonBytes: 2 ** 30 },
    });
    const token = await trust.analystToken(REQUESTER.country, REQUESTER.analyst, REQUESTER.roles);
    headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      ...requestContextHeaders(REQUESTER),
    };
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await new Promise((resolve) => upstream?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  /** The plan the gateway used for a search of `term` (each term its own operation). */
  async function planFor(term: string): Promise<unknown> {
    const before = plans.length;
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: `{ search(term: "${term}") { country } }` }),
    });
    await response.text();
    expect(plans.length).toBe(before + 1);
    return plans.at(-1);
  }

  it('serve an operation asked again from the store, and plan again one pushed out by the bound', async () => {
    const first = await planFor('alpha');
    expect(await planFor('alpha')).toBe(first);
    await planFor('bravo');
    await planFor('charlie');
    // Two plans at most: alpha, the least recently used, was pushed out and is planned again.
    const again = await planFor('alpha');
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
    // charlie was kept (used more recently than bravo, which went for alpha).
    const charlie = plans.at(-2);
    expect(await planFor('charlie')).toBe(charlie);
  });
});
