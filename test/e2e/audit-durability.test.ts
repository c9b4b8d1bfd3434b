// Durability of the audit trail, end to end: the gateway runs as its own process (gateway/main.ts, its audit
// log from the environment: SQLite under the data folder) in front of the members (in this process, each
// with its log of disclosures), and is killed with SIGKILL while analysts' requests are in flight. After a
// restart on the same data folder, every request that got an answer has its consultation records (and
// its disclosures, where an owner was asked), and every chain verifies with `npm run audit -- verify`
// against the writers' pinned keys.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  ensureWriterKey,
  openAuditLog,
  openAuditReader,
  TRUSTED_KEYS_FILE,
  type AuditLog,
  type CrossingBody,
} from '../../audit';
import { HUB_NAME, MEMBERS } from '../../schema';
import { startHub } from '../../subgraphs/alliance';
import { startSubgraph, type RunningServer } from '../../subgraphs/kit';
import { openStore } from '../../subgraphs/reference';
import { localTrust } from '../../trust';
import { scenarioGrants } from '../support/grants';
import { MEMBER_MODULES } from '../support/members';

const ROOT = resolve(__dirname, '..', '..');
const TSX = require.resolve('tsx');
const run = promisify(execFile);

const QUERIES = [
  '{ suspect(id: "KH-SUS-000001") { id fullName passportNumbers phones } }',
  '{ search(term: "Tiger") { country suspects { id fullName } } }',
  '{ case(id: "KR-CAS-000001") { id suspects { id country fullName } } }',
];
const DECLARATION = {
  'accord-purpose': 'investigation',
  'accord-case': 'KR-CAS-000001',
  'accord-request-ref': 'MLA-2026-0042',
};

/** The gateway as a process of its own; its URL once it says it is ready. */
class GatewayProcess {
  readonly child: ChildProcess;
  readonly url: Promise<string>;
  readonly exited: Promise<NodeJS.Signals | number | null>;
  private output = '';

  constructor(env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, ['--import', TSX, 'gateway/main.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((done) => this.child.once('exit', (code, signal) => done(signal ?? code)));
    this.url = new Promise((done, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`The gateway did not start within 90 s:\n${this.output}`)),
        90_000,
      );
      const read = (chunk: Buffer): void => {
        this.output += chunk.toString();
        const match = /gateway ready at (http:\/\/\S+)/.exec(this.output);
        if (match) {
          clearTimeout(timer);
          done(match[1]!);
        }
      };
      this.child.stdout!.on('data', read);
      this.child.stderr!.on('data', read);
      void this.exited.then((how) => {
        clearTimeout(timer);
        fail(new Error(`The gateway exited (${String(how)}) before it was ready:\n${this.output}`));
      });
    });
  }

  kill(signal: NodeJS.Signals): Promise<NodeJS.Signals | number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

describe('durability: the gateway killed with SIGKILL under load', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'accord-audit-durability-'));
  const trust = localTrust(
    dataDir,
    MEMBERS.map((m) => m.code),
  );
  const keys = join(dataDir, 'audit', 'keys');
  const servers: RunningServer[] = [];
  const memberLogs = new Map<string, { url: string; log: AuditLog }>();
  const gateways: GatewayProcess[] = [];
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    const subgraphUrls: Record<string, string> = {};
    for (const member of MEMBER_MODULES) {
      const name = member.COUNTRY.toLowerCase();
      const url = `sqlite:${join(dataDir, 'audit', `${name}.db`)}`;
      const log = await openAuditLog({
        url,
        writer: { instance: name, privateKeyPem: ensureWriterKey(keys, name) },
      });
      memberLogs.set(name, { url, log });
      const store = openStore({ country: member.COUNTRY, file: ':memory:' });
      // KH's desk approved the formal request the declaration names (test/support/grants.ts).
      const grants = member.COUNTRY === 'KH' ? scenarioGrants(Date.now()).KH : undefined;
      const running = await startSubgraph(member.createSystem({ store }), {
        host: '127.0.0.1',
        port: 0,
        gatewayTokens: trust.gatewayTokens(name),
        audit: log,
        ...(grants && { grants }),
      });
      servers.push(running);
      subgraphUrls[name] = running.url;
    }
    const hub = await startHub({ host: '127.0.0.1', port: 0, gatewayTokens: trust.gatewayTokens(HUB_NAME) });
    servers.push(hub);
    subgraphUrls[HUB_NAME] = hub.url;
    // The members' demo identity providers, as npm start runs the gateway (trust/localTrust.ts made them).
    env = {
      ...cleanEnv(),
      ACCORD_DATA_DIR: dataDir,
      ACCORD_DEMO_IDENTITY: '1',
      PORT: '0',
      HOST: '127.0.0.1',
      ACCORD_SUBGRAPH_URLS: JSON.stringify(subgraphUrls),
    };
  }, 60_000);

  afterAll(async () => {
    for (const gateway of gateways) await gateway.kill('SIGKILL');
    await Promise.all(servers.map((server) => server.stop()));
    await Promise.all([...memberLogs.values()].map(({ log }) => log.close().catch(() => undefined)));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every answered request keeps its records, and every chain verifies', async () => {
    const token = await trust.analystToken('KR', 'lee.h');
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...DECLARATION };
    const answered = new Set<string>();

    const first = new GatewayProcess(env);
    gateways.push(first);
    const url = await first.url;
    // Six analysts' requests in flight until the kill; every answer that came back is counted.
    let killed = false;
    const killAfter = 150;
    let n = 0;
    const client = async (): Promise<void> => {
      while (!killed) {
        const query = QUERIES[n++ % QUERIES.length]!;
        try {
          const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query }) });
          const body = (await response.json()) as { data?: unknown };
          const requestId = response.headers.get('accord-request-id');
          if (response.status === 200 && body.data && requestId) answered.add(requestId);
        } catch {
          // Cut off by the kill: no answer, so nothing is owed.
        }
        if (answered.size >= killAfter && !killed) {
          killed = true;
          expect(await first.kill('SIGKILL')).toBe('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, client));
    expect(answered.size).toBeGreaterThanOrEqual(killAfter);

    // Right after the crash: the tail is unsealed, but every link holds.
    const gatewayLog = `sqlite:${join(dataDir, 'audit', 'gateway-1.db')}`;
    const crashed = await openAuditReader(gatewayLog);
    expect((await crashed.verify({ live: true })).problems).toEqual([]);
    await crashed.close();

    // The same gateway restarts on the same data folder: it takes over its stale claim, seals the tail it
    // finds, and answers again.
    const second = new GatewayProcess(env);
    gateways.push(second);
    const again = await fetch(await second.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: QUERIES[0] }),
    });
    expect(again.status).toBe(200);
    answered.add(again.headers.get('accord-request-id')!);
    expect(await second.kill('SIGTERM')).toBe(0); // a clean stop: the final checkpoint
    await Promise.all(servers.splice(0).map((server) => server.stop()));
    for (const { log } of memberLogs.values()) await log.close();

    // Every answered request: its consultations in the gateway's log, and a disclosure for each owner asked.
    const consultations = await bodiesOf(gatewayLog);
    const disclosures = (
      await Promise.all([...memberLogs.values()].map(({ url: log }) => bodiesOf(log)))
    ).flat();
    const consulted = new Map<string, CrossingBody[]>();
    for (const body of consultations)
      consulted.set(body.requestId, [...(consulted.get(body.requestId) ?? []), body]);
    const disclosed = new Set(disclosures.map((d) => d.decisionId));
    const missing = [...answered].filter((id) => !consulted.has(id));
    expect({ answered: answered.size, missing }).toEqual({ answered: answered.size, missing: [] });
    for (const id of answered) {
      for (const consultation of consulted.get(id)!) {
        if (consultation.fields.some((f) => f.record !== undefined && f.effect === 'release'))
          expect(disclosed.has(consultation.decisionId)).toBe(true);
      }
    }

    // `npm run audit -- verify`, strictly (every chain ends with its writer's final checkpoint), against the pinned keys.
    for (const log of [gatewayLog, ...[...memberLogs.values()].map((m) => m.url)]) {
      // Exits 0 only when verified; anything else rejects here with the report.
      const { stdout } = await run(
        'npm',
        [
          'run',
          '--silent',
          'audit',
          '--',
          'verify',
          '--json',
          '--log',
          log,
          '--keys',
          join(keys, TRUSTED_KEYS_FILE),
        ],
        { cwd: ROOT, env: cleanEnv() },
      );
      expect({ log, problems: (JSON.parse(stdout) as { problems: unknown[] }).problems }).toEqual({
        log,
        problems: [],
      });
    }
  }, 180_000);
});

async function bodiesOf(url: string): Promise<CrossingBody[]> {
  const reader = await openAuditReader(url);
  try {
    return (await reader.query({ kinds: ['consultation', 'disclosure'], limit: 1_000_000 })).map(
      (found) => found.entry!.body as CrossingBody,
    );
  } finally {
    await reader.close();
  }
}

/** This environment without what would pin a port, a URL or a log of the developer's. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!/^(PORT|ACCORD_.*)$/.test(name)) env[name] = value;
  return env;
}
