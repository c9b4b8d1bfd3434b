// GET /metrics on every service (lib/metrics.ts, docs/operations.md "Monitoring"): the counts an operator
// alerts on, after real requests through a whole alliance, and nothing in them an attacker could use.
import { HUB_NAME, MEMBERS, subgraphName } from '../../schema';
import type { SubgraphCall } from '../../gateway';
import { GATEWAY_INSTANCE, analyst, startAlliance, type Alliance } from '../support/alliance';
import { sqliteAuditBackend, type AuditBackend } from '../support/auditBackends';

const KR_ANALYST = analyst('KR', 'kim.j', { purpose: 'investigation', case: 'KR-CAS-000001' });
/** The README's first search (`accord search Tiger --purpose investigation --case KR-CAS-000001`). */
const README_SEARCH = '{ search(term: "Tiger") { country suspects { id fullName aliases } } }';

/** The closed label sets, written here from the issue and docs/operations.md, not read from the code. */
const ALLOWED: Readonly<Record<string, ReadonlySet<string>>> = {
  outcome: new Set(['ok', 'client_error', 'refused', 'error', 'fresh', 'replayed', 'full', 'unavailable']),
  effect: new Set(['release', 'hit-only', 'withhold']),
  member: new Set([...MEMBERS.map((member) => member.code), HUB_NAME]),
};

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Prometheus' text format, parsed by hand: `name{a="x",b="y"} value` per line, comments skipped. */
function parseMetrics(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels: Record<string, string> = {};
      for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
        labels[pair[1]!] = pair[2]!;
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

/** The sum of a metric's samples whose labels include `labels`. */
function total(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

function metricsUrl(serviceUrl: string): string {
  return `${new URL(serviceUrl).origin}/metrics`;
}

async function scrape(serviceUrl: string): Promise<{ text: string; samples: Sample[] }> {
  const response = await fetch(metricsUrl(serviceUrl));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  const text = await response.text();
  return { text, samples: parseMetrics(text) };
}

describe('GET /metrics', () => {
  let backend: AuditBackend;
  let alliance: Alliance;
  const calls: SubgraphCall[] = [];
  beforeAll(async () => {
    backend = sqliteAuditBackend();
    alliance = await startAlliance({
      audit: backend.forAlliance(),
      onSubgraphCall: (call) => calls.push(call),
    });
  });
  afterAll(async () => {
    await alliance?.stop();
    await backend?.close();
  });

  it("counts a README search at the gateway: its outcome, each member's call latency, decisions, audit appends", async () => {
    const before = (await scrape(alliance.gatewayUrl)).samples;
    const appendedBefore = alliance.auditLogs.get(GATEWAY_INSTANCE)!.stats().appended;
    calls.length = 0;
    const { status, body } = await alliance.query(README_SEARCH, { headers: KR_ANALYST });
    expect(status).toBe(200);
    // The README's search: data, with fields other members give KR as a hit only. Such field refusals are
    // the agreements at work, counted `ok` (docs/operations.md); nothing in it failed or was refused whole.
    expect(body.data?.['search']).toBeTruthy();
    const codes = new Set((body.errors ?? []).map((error) => error.extensions?.['code']));
    for (const code of codes) expect(['FOLLOW_UP_REQUIRED', 'WITHHELD']).toContain(code);
    const after = (await scrape(alliance.gatewayUrl)).samples;
    const delta = (name: string, labels: Record<string, string> = {}): number =>
      total(after, name, labels) - total(before, name, labels);

    // An answer without errors is `ok`; nothing else moved.
    expect(delta('accord_requests_total', { outcome: 'ok' })).toBe(1);
    expect(delta('accord_requests_total')).toBe(1);

    // One latency observation per call the gateway made, under the member's code; every member was called.
    for (const member of MEMBERS) {
      const made = calls.filter((call) => call.subgraph === subgraphName(member.code)).length;
      expect(made).toBeGreaterThanOrEqual(1);
      expect(delta('accord_subgraph_call_duration_seconds_count', { member: member.code })).toBe(made);
    }
    expect(delta('accord_subgraph_call_duration_seconds_count', { member: HUB_NAME })).toBe(
      calls.filter((call) => call.subgraph === HUB_NAME).length,
    );

    // The consultation records' field decisions, and one append latency per record made durable.
    expect(delta('accord_decisions_total')).toBeGreaterThan(0);
    // A hit-only answer (FOLLOW_UP_REQUIRED) is a `hit-only` decision in the consultation record.
    if (codes.has('FOLLOW_UP_REQUIRED'))
      expect(delta('accord_decisions_total', { effect: 'hit-only' })).toBeGreaterThan(0);
    const appended = alliance.auditLogs.get(GATEWAY_INSTANCE)!.stats().appended - appendedBefore;
    expect(appended).toBeGreaterThan(0);
    expect(delta('accord_audit_append_duration_seconds_count')).toBe(appended);
  });

  it('counts a request without a token as refused', async () => {
    const before = (await scrape(alliance.gatewayUrl)).samples;
    const response = await fetch(alliance.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: README_SEARCH }),
    });
    expect(response.status).toBe(401);
    const after = (await scrape(alliance.gatewayUrl)).samples;
    expect(total(after, 'accord_requests_total', { outcome: 'refused' })).toBe(
      total(before, 'accord_requests_total', { outcome: 'refused' }) + 1,
    );
    expect(total(after, 'accord_requests_total')).toBe(total(before, 'accord_requests_total') + 1);
  });

  it('counts a query that does not parse as a client error', async () => {
    const before = (await scrape(alliance.gatewayUrl)).samples;
    const { body } = await alliance.query('{ search(term: ', { headers: KR_ANALYST });
    expect(body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_PARSE_FAILED');
    const after = (await scrape(alliance.gatewayUrl)).samples;
    expect(total(after, 'accord_requests_total', { outcome: 'client_error' })).toBe(
      total(before, 'accord_requests_total', { outcome: 'client_error' }) + 1,
    );
    expect(total(after, 'accord_requests_total')).toBe(total(before, 'accord_requests_total') + 1);
  });

  it("counts each member's fresh gateway tokens, its requests and its disclosures, not its decisions", async () => {
    const before = await Promise.all(
      MEMBERS.map(async (m) => (await scrape(alliance.subgraphUrls[subgraphName(m.code)]!)).samples),
    );
    calls.length = 0;
    const { status } = await alliance.query(README_SEARCH, { headers: KR_ANALYST });
    expect(status).toBe(200);
    let decisions = 0;
    for (const [i, member] of MEMBERS.entries()) {
      const name = subgraphName(member.code);
      const made = calls.filter((call) => call.subgraph === name).length;
      const after = (await scrape(alliance.subgraphUrls[name]!)).samples;
      const delta = (metric: string, labels: Record<string, string> = {}): number =>
        total(after, metric, labels) - total(before[i]!, metric, labels);
      expect(made).toBeGreaterThanOrEqual(1);
      expect(delta('accord_replay_cache_total', { outcome: 'fresh' })).toBe(made);
      expect(delta('accord_replay_cache_total', { outcome: 'replayed' })).toBe(0);
      expect(delta('accord_requests_total')).toBe(made);
      expect(delta('accord_audit_append_duration_seconds_count')).toBeGreaterThanOrEqual(1);
      decisions += delta('accord_decisions_total');
    }
    // Counted at the gateway only: an owner's count would move for the records it hides
    // (audit/instrumentAuditLog.ts; test/e2e/answers.test.ts compares a hidden record with a missing one).
    expect(decisions).toBe(0);
  });

  it('counts a replayed gateway token as replayed, at the member it was replayed to', async () => {
    const [member] = MEMBERS;
    const name = subgraphName(member!.code);
    const url = alliance.subgraphUrls[name]!;
    const body = JSON.stringify({ query: '{ _service { sdl } }' });
    const token = alliance.signer.sign({ audience: name, scope: 'schema', body });
    const send = (): Promise<Response> =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
      });
    const before = (await scrape(url)).samples;
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(401);
    const after = (await scrape(url)).samples;
    const delta = (labels: Record<string, string>): number =>
      total(after, 'accord_replay_cache_total', labels) - total(before, 'accord_replay_cache_total', labels);
    expect(delta({ outcome: 'fresh' })).toBe(1);
    expect(delta({ outcome: 'replayed' })).toBe(1);
    expect(total(after, 'accord_requests_total', { outcome: 'refused' })).toBe(
      total(before, 'accord_requests_total', { outcome: 'refused' }) + 1,
    );
  });

  it('labels Accord metrics from closed sets only, and shows no analyst, record id or address anywhere', async () => {
    const services = [alliance.gatewayUrl, ...Object.values(alliance.subgraphUrls)];
    for (const url of services) {
      const { text, samples } = await scrape(url);
      for (const sample of samples.filter((s) => s.name.startsWith('accord_'))) {
        for (const [label, value] of Object.entries(sample.labels)) {
          if (label === 'le') {
            expect(value === '+Inf' || Number.isFinite(Number(value))).toBe(true);
            continue;
          }
          expect(ALLOWED[label]).toBeDefined();
          expect(ALLOWED[label]!.has(value)).toBe(true);
        }
      }
      const { host, port } = new URL(url);
      for (const secret of ['kim.j', 'KR-CAS-000001', 'Tiger', host, `:${port}`, 'http://'])
        expect(text).not.toContain(secret);
      expect(text).not.toMatch(/[A-Z]{2}-[A-Z]{3}-\d{6}/);
    }
  });
});
