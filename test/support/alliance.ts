import { HUB_NAME } from '../../schema';
import { startGateway, type GatewayOptions, type RunningGateway } from '../../gateway';
import { startHub } from '../../subgraphs/alliance';
import { startSubgraph, type RunningServer } from '../../subgraphs/kit';
import { openStore } from '../../subgraphs/reference';
import { loadDefaultPolicy, type Policy } from '../../policy';
import * as kh from '../../subgraphs/kh';
import * as kr from '../../subgraphs/kr';
import * as ph from '../../subgraphs/ph';
import * as th from '../../subgraphs/th';
import * as vn from '../../subgraphs/vn';

/** A fixed instant inside every scenario agreement's validity window, so tests do not age. */
export const TEST_NOW = Date.parse('2026-06-15T09:00:00Z');

export interface AllianceOptions {
  /** Subgraph name → URL that replaces the member's own (a faulty server, say); the member is not started. */
  readonly replace?: Readonly<Record<string, string>>;
  readonly subgraphTimeoutMs?: number;
  readonly onQueryPlan?: GatewayOptions['onQueryPlan'];
  readonly now?: () => number;
  readonly policy?: Policy;
  /** The gateway's own policy, when it must differ from the owners' (disagreement tests). */
  readonly gatewayPolicy?: Policy;
  readonly gatewayLogger?: GatewayOptions['logger'];
  readonly onSubgraphCall?: GatewayOptions['onSubgraphCall'];
  /** Every request made through `query`, with its answer (the explain-agrees-with-live check). */
  readonly record?: Exchange[];
}

export interface Exchange {
  readonly headers: Record<string, string>;
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  readonly answer: GraphQLAnswer;
}

export interface GraphQLAnswer {
  readonly status: number;
  readonly body: { data?: Record<string, unknown> | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[]; extensions?: Record<string, unknown> };
}

export interface Alliance {
  readonly gatewayUrl: string;
  readonly subgraphUrls: Readonly<Record<string, string>>;
  /** POSTs an operation to the gateway with the given headers. */
  query(query: string, options?: { headers?: Record<string, string>; variables?: Record<string, unknown> }): Promise<GraphQLAnswer>;
  stop(): Promise<void>;
}

const MEMBER_MODULES = [kr, kh, th, ph, vn];

/** The whole alliance in this process, every server on 127.0.0.1 with port 0, stores in memory. */
export async function startAlliance(options: AllianceOptions = {}): Promise<Alliance> {
  const now = options.now ?? (() => TEST_NOW);
  const policy = options.policy ?? loadDefaultPolicy();
  const servers: RunningServer[] = [];
  const subgraphUrls: Record<string, string> = { ...options.replace };
  try {
    for (const member of MEMBER_MODULES) {
      const name = member.COUNTRY.toLowerCase();
      if (options.replace?.[name]) continue;
      const store = openStore({ country: member.COUNTRY, file: ':memory:' });
      const running = await startSubgraph(member.createSystem({ store }), { host: '127.0.0.1', port: 0, policy, now });
      servers.push(running);
      subgraphUrls[name] = running.url;
    }
    if (!options.replace?.[HUB_NAME]) {
      const hub = await startHub({ host: '127.0.0.1', port: 0 });
      servers.push(hub);
      subgraphUrls[HUB_NAME] = hub.url;
    }
    const gateway: RunningGateway = await startGateway({
      host: '127.0.0.1',
      port: 0,
      subgraphUrls,
      subgraphTimeoutMs: options.subgraphTimeoutMs,
      onQueryPlan: options.onQueryPlan,
      onSubgraphCall: options.onSubgraphCall,
      policy: options.gatewayPolicy ?? policy,
      logger: options.gatewayLogger,
      now,
    });
    servers.push(gateway);
    return {
      gatewayUrl: gateway.url,
      subgraphUrls,
      async query(query, { headers = {}, variables } = {}) {
        const answer = await post(gateway.url, { query, variables }, headers);
        options.record?.push({ headers, query, variables, answer });
        return answer;
      },
      async stop() {
        await Promise.all(servers.map((server) => server.stop()));
      },
    };
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop()));
    throw error;
  }
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<GraphQLAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: GraphQLAnswer['body'];
  try {
    parsed = JSON.parse(text) as GraphQLAnswer['body'];
  } catch {
    throw new Error(`Not JSON (HTTP ${response.status}): ${text.slice(0, 200)}`);
  }
  return { status: response.status, body: parsed };
}

/** Headers of an analyst's request: who asks (until verified tokens) and why. */
export function analyst(country: string, analystId: string, declaration: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { 'accord-country': country, 'accord-analyst': analystId };
  for (const [name, value] of Object.entries(declaration)) headers[`accord-${name}`] = value;
  return headers;
}
