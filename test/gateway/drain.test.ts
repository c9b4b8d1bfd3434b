// Stopping a service drains it (issue 10): from the call of stop() new connections are refused, the
// answers in flight are finished in full, and the drain is bounded by a timeout. The gateway, the hub
// and every member serve through lib/http.ts; requests are held by gates the test opens, never by sleeps.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { MEMBERS, subgraphName } from '../../schema';
import { hardenedApolloOptions } from '../../lib/apolloDefaults';
import { serveApollo } from '../../lib/http';
import { serveSubgraphSchema } from '../../subgraphs/kit';
import { startGateway } from '../../gateway';
import { DEFAULT_ANALYST_AUDIENCE, createAnalystVerifier, ensureDemoIdentityProviders } from '../../trust';
import { TEST_NOW, analyst, post, startAlliance, type Alliance } from '../support/alliance';

interface Gate {
  readonly promise: Promise<void>;
  open(): void;
}

function gate(): Gate {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** A schema whose one field answers only once `release` opens; `arrived` opens when it is asked. */
function slowSchema(arrived: Gate, release: Gate): GraphQLSchema {
  const query = new GraphQLObjectType({
    name: 'Query',
    fields: {
      slow: {
        type: GraphQLString,
        resolve: async () => {
          arrived.open();
          await release.promise;
          return 'the full answer';
        },
      },
    },
  });
  return new GraphQLSchema({ query });
}

/** Whether a new connection to this URL is refused (the server no longer listens). */
async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url.replace('/graphql', '/health'));
    return false;
  } catch (error) {
    return ((error as { cause?: { code?: string } }).cause?.code ?? '') === 'ECONNREFUSED';
  }
}

/** Whether a promise has settled, seen after the events already queued have run. */
function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  return new Promise((resolve) => setImmediate(() => resolve(done)));
}

describe('stopping a subgraph server (the hub and the members serve the same way)', () => {
  it('refuses new connections at once and finishes the answer in flight', async () => {
    const arrived = gate();
    const release = gate();
    const running = await serveSubgraphSchema({
      name: 'drain-test',
      schema: slowSchema(arrived, release),
      context: () => Promise.resolve({}),
    });
    const answer = post(running.url, { query: '{ slow }' });
    await arrived.promise;

    const stopping = running.stop();
    expect(await refused(running.url)).toBe(true);
    // Still waiting for the answer in flight.
    expect(await settled(stopping)).toBe(false);

    release.open();
    expect(await answer).toEqual({ status: 200, body: { data: { slow: 'the full answer' } } });
    await stopping;
  });

  it('does not wait longer than the drain timeout for an answer that never comes', async () => {
    const arrived = gate();
    const never = gate();
    const apollo = new ApolloServer({ schema: slowSchema(arrived, never), ...hardenedApolloOptions() });
    const running = await serveApollo(apollo, {
      health: () => ({ ok: true }),
      context: () => Promise.resolve({}),
      drainTimeoutMs: 10,
    });
    const answer = post(running.url, { query: '{ slow }' }).then(
      () => 'answered',
      () => 'cut',
    );
    await arrived.promise;
    await running.stop();
    expect(await answer).toBe('cut');
    never.open();
  });
});

describe('stopping the gateway', () => {
  const member = MEMBERS[0]!;
  const name = subgraphName(member.code);
  let alliance: Alliance;
  beforeAll(async () => {
    alliance = await startAlliance();
  });
  afterAll(() => alliance.stop());

  /**
   * A member behind a gate: each call is held until `release` opens, then passed on unchanged to the
   * real member (its body is what the gateway's token was signed for) and its answer passed back.
   */
  async function gatedMember(
    target: string,
    arrived: Gate,
    release: Gate,
  ): Promise<{ url: string; close(): Promise<void> }> {
    const server = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        arrived.open();
        void release.promise
          .then(() =>
            fetch(target, {
              method: 'POST',
              headers: Object.fromEntries(
                Object.entries(request.headers).filter(
                  ([header]) => !['host', 'connection', 'content-length'].includes(header),
                ),
              ) as Record<string, string>,
              body: Buffer.concat(chunks),
            }),
          )
          .then(async (answer) => {
            response.writeHead(answer.status, {
              'content-type': answer.headers.get('content-type') ?? 'application/json',
            });
            response.end(await answer.text());
          });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}/graphql`,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    };
  }

  it('refuses new connections at once and sends the answer in flight in full', async () => {
    const arrived = gate();
    const release = gate();
    const slow = await gatedMember(alliance.subgraphUrls[name]!, arrived, release);
    const gateway = await startGateway({
      analysts: createAnalystVerifier({
        issuers: ensureDemoIdentityProviders(
          alliance.idpDir,
          MEMBERS.map((m) => m.code),
        ),
        audience: DEFAULT_ANALYST_AUDIENCE,
      }),
      signer: alliance.signer,
      host: '127.0.0.1',
      port: 0,
      subgraphUrls: { ...alliance.subgraphUrls, [name]: slow.url },
      now: () => TEST_NOW,
    });
    try {
      const own = analyst(member.code, 'drain.t', {
        purpose: 'investigation',
        case: `${member.code}-CAS-000001`,
      });
      const id = `${member.code}-SUS-000001`;
      const answer = post(
        gateway.url,
        { query: `{ suspect(id: "${id}") { id fullName } }` },
        await alliance.clientHeaders(own),
      );
      await arrived.promise;

      const stopping = gateway.stop();
      expect(await refused(gateway.url)).toBe(true);
      expect(await settled(stopping)).toBe(false);

      release.open();
      const { status, body } = await answer;
      expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
      expect(body.data).toEqual({ suspect: { id, fullName: expect.any(String) } });
      await stopping;
    } finally {
      release.open();
      await gateway.stop();
      await slow.close();
    }
  });
});
