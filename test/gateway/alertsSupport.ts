/**
 * What the alert API's tests share (test/gateway/alerts-*.test.ts): a gateway on port 0 whose alert
 * backend is the in-memory fixture (test/gateway/alertBackendFixture.ts), with clocks the test moves (the
 * gateway's decisions, and the identity-token checks apart), a policy the test can swap, and a small
 * reader of Server-Sent Events that keeps each event's `id`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, type RunningGateway } from '../../gateway';
import { MEMBERS } from '../../schema';
import { DEFAULT_ANALYST_AUDIENCE, createAnalystVerifier, localTrust, type LocalTrust } from '../../trust';
import { loadDefaultPolicy, type Policy } from '../../policy';
import type { AuditLog } from '../../audit';
import { TEST_NOW } from '../support/alliance';
import { MemoryAlertBackend } from './alertBackendFixture';

export interface AlertGateway {
  readonly gateway: RunningGateway;
  /** `http://127.0.0.1:<port>/alerts`. */
  readonly alertsUrl: string;
  readonly backend: MemoryAlertBackend;
  readonly trust: LocalTrust;
  /** The gateway's decision clock (epoch ms), TEST_NOW at first. */
  clock: number;
  /** The identity-token checks' clock (epoch ms), the real time at first. */
  tokenClock: number;
  /** The policy the gateway decides with now (the shipped one at first). */
  policy: Policy;
  token(country: string, analyst: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startAlertGateway(options: { audit?: AuditLog } = {}): Promise<AlertGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'accord-alerts-'));
  const trust = localTrust(
    dir,
    MEMBERS.map((member) => member.code),
  );
  const shipped = loadDefaultPolicy();
  const state = { clock: TEST_NOW, tokenClock: Date.now(), policy: shipped };
  // The gateway holds one policy object: this one asks whichever the test has set.
  const policy: Policy = {
    ...shipped,
    get revision() {
      return state.policy.revision;
    },
    decide: (input) => state.policy.decide(input),
  };
  const backend = new MemoryAlertBackend(() => state.clock);
  const gateway = await startGateway({
    analysts: createAnalystVerifier({
      issuers: trust.issuers,
      audience: DEFAULT_ANALYST_AUDIENCE,
      now: () => state.tokenClock,
    }),
    signer: trust.signer(),
    port: 0,
    now: () => state.clock,
    policy,
    alerts: backend,
    legalPage: false,
    explorer: false,
    metrics: false,
    ...(options.audit ? { audit: options.audit } : {}),
  });
  const tokens = new Map<string, string>();
  return Object.assign(state, {
    gateway,
    alertsUrl: gateway.url.replace(/\/graphql$/, '/alerts'),
    backend,
    trust,
    async token(country: string, analyst: string) {
      const key = `${country}/${analyst}`;
      let token = tokens.get(key);
      if (!token) {
        token = await trust.analystToken(country, analyst);
        tokens.set(key, token);
      }
      return token;
    },
    async stop() {
      await gateway.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** A JSON POST to the alert API. */
export async function postAlerts(
  url: string,
  token: string | undefined,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: AlertAnswer }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as AlertAnswer };
}

export interface AlertAnswer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string; problems?: string[] } }[];
}

export interface SseEvent {
  readonly event: string;
  readonly id?: string;
  readonly data: string;
}

export interface SseStream {
  readonly status: number;
  readonly headers: Headers;
  /** The next event (keep-alive comments skipped); undefined once the stream has ended. */
  next(): Promise<SseEvent | undefined>;
  /** Every event until the stream ends. */
  rest(): Promise<SseEvent[]>;
  close(): void;
}

/** Opens a stream with graphql-sse's distinct-connections protocol (POST, Accept: text/event-stream). */
export async function openStream(
  url: string,
  token: string | undefined,
  body: { query: string; variables?: Record<string, unknown> },
  headers: Record<string, string> = {},
): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      accept: 'text/event-stream',
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify(body),
    signal: controller.signal,
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let ended = false;
  async function next(): Promise<SseEvent | undefined> {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = parseEvent(block);
        if (event) return event;
        continue;
      }
      if (ended) return undefined;
      const { value, done } = await reader.read();
      if (done) ended = true;
      else buffer += decoder.decode(value, { stream: true });
    }
  }
  return {
    status: response.status,
    headers: response.headers,
    next,
    async rest() {
      const events: SseEvent[] = [];
      for (let event = await next(); event; event = await next()) events.push(event);
      return events;
    },
    close: () => controller.abort(),
  };
}

function parseEvent(block: string): SseEvent | undefined {
  let event: string | undefined;
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':') || line === '') continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'id') id = value;
    else if (field === 'data') data.push(value);
  }
  if (event === undefined) return undefined;
  return { event, ...(id !== undefined && { id }), data: data.join('\n') };
}

export const ALERTS_SUBSCRIPTION = `subscription ($after: String) {
  alerts(after: $after) {
    cursor owner noticeId watchId event at subject eventReference revision acknowledged
    basis { category agreement clause }
    signature { algorithm value signedBytes }
  }
}`;
