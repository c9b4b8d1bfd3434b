/**
 * The reliability tests of issue 11 (docs/decisions/0019-alert-delivery.md), run once per store of the
 * hub's alert log (alerts-reliability.test.ts: SQLite; alerts-reliability-postgres.test.ts: PostgreSQL).
 *
 * Real processes on loopback, each in a process group of its own that the test kills or stops: the hub
 * (subgraphs/alliance/main.ts, its alert log from ACCORD_ALERTS_URL or its data folder) and the owner of
 * the watched record (test/support/alertOwnerProcess.ts: a reference member's alerts, its real relay, and
 * an IPC hook that changes records through `OwnerAlerts.apply`). The watcher and the other members run in
 * this process (test/support/alliance.ts), and so does the gateway, whose alert API the analyst reads.
 * The processes' clocks are fixed at TEST_NOW (ACCORD_CLOCK, development mode), as the alliance's is.
 *
 * 1. The hub is killed with SIGKILL in the middle of a burst and restarted on the same log: the log holds
 *    each notice once, the owner's outbox is empty, and the analyst reads each one through `alertsSince`.
 * 2. The owner is killed with SIGKILL while its relay holds notices the hub has not acknowledged (the hub
 *    is stopped with SIGSTOP, so that its posts hang), and restarted: each is relayed, none lost.
 * 3. The owner is killed with SIGKILL while its notices' records are not yet durable in its audit log
 *    (held open by its `holdRecords`): the hub received none of them; restarted, the owner records them,
 *    then relays them. After 2 and 3, every notice of the owner in the hub's log has its `notice.emitted`
 *    record in the owner's audit log (no release before its record: decision 0019).
 * 4. An SSE client reads part of a burst, disconnects, and reconnects with `Last-Event-ID`: it gets the
 *    rest, no gap, at most the last one again.
 * 5. Then every audit log written (the hub's, the members', the gateway's) verifies with
 *    `npm run audit -- verify`, strictly, against its writers' pinned keys.
 *
 * Nothing waits for time: each step waits for a message of a process, an HTTP answer or an event of the
 * stream; where no event exists (the outbox of a restarted owner) a bounded poll of a durable state does.
 */
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { MATCHING_SERVICE, eventCategory, identifierCategory } from '../../alerts';
import {
  TRUSTED_KEYS_FILE,
  ensureWriterKey,
  openAuditLog,
  openAuditReader,
  readTrustedKeys,
} from '../../audit';
import { startGateway, type RunningGateway } from '../../gateway';
import { loadDefaultPolicy } from '../../policy';
import { HUB_NAME, MEMBERS } from '../../schema';
import { openStore } from '../../subgraphs/reference';
import {
  DEFAULT_ANALYST_AUDIENCE,
  createAnalystVerifier,
  ensureDemoIdentityProviders,
  signDemoAnalystToken,
} from '../../trust';
import { PURPOSES } from '../../vocabulary';
import { GATEWAY_INSTANCE, TEST_NOW, startAlliance, type Alliance } from '../support/alliance';
import { ALERTS_SUBSCRIPTION, openStream, postAlerts, type SseStream } from '../gateway/alertsSupport';

const ROOT = resolve(__dirname, '..', '..');
const TSX = require.resolve('tsx');
const run = promisify(execFile);
const CODES = MEMBERS.map((member) => member.code);
const ANALYST = 'reliability.t';
/** The hub's log store under test: where it is, and how the test reads its rows. */
export interface HubLogStore {
  /** ACCORD_ALERTS_URL for the hub process; absent: SQLite in its data folder. */
  readonly url?: string;
  /** Every (owner, noticeId) row of the hub's log, duplicates included. */
  rows(dataDir: string): Promise<{ owner: string; noticeId: string }[]>;
  close(): Promise<void>;
}

export function sqliteHubLog(): HubLogStore {
  return {
    rows(dataDir) {
      const db = new Database(join(dataDir, 'alliance-alerts.sqlite'), { readonly: true });
      try {
        return Promise.resolve(
          db.prepare('SELECT owner, notice_id AS noticeId FROM alert_log').all() as {
            owner: string;
            noticeId: string;
          }[],
        );
      } finally {
        db.close();
      }
    },
    close: () => Promise.resolve(),
  };
}

export function postgresHubLog(url: string, stop: () => Promise<void>): HubLogStore {
  return {
    url,
    async rows() {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        const result = await client.query<{ owner: string; noticeId: string }>(
          'SELECT owner, notice_id AS "noticeId" FROM alert_log',
        );
        return result.rows;
      } finally {
        await client.end();
      }
    },
    close: stop,
  };
}

/** A service as its own process, in its own process group, with an IPC channel to this test. */
class ServiceProcess {
  readonly child: ChildProcess;
  readonly ready: Promise<string>;
  readonly exited: Promise<NodeJS.Signals | number | null>;
  output = '';

  constructor(script: string, args: readonly string[], env: NodeJS.ProcessEnv) {
    this.child = fork(join(ROOT, script), [...args], {
      cwd: ROOT,
      env,
      execArgv: ['--import', TSX],
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.exited = new Promise((done) => this.child.once('exit', (code, signal) => done(signal ?? code)));
    this.ready = new Promise((done, fail) => {
      this.child.on('message', (message: { type?: string; url?: string }) => {
        if (message.type === 'ready') done(message.url!);
      });
      void this.exited.then((how) =>
        fail(new Error(`${script} exited (${String(how)}) before it was ready:\n${this.output}`)),
      );
    });
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The next IPC message that `accept` takes. */
  next<T>(accept: (message: Record<string, unknown>) => T | undefined): Promise<T> {
    return new Promise((done, fail) => {
      const listener = (message: Record<string, unknown>): void => {
        const taken = accept(message);
        if (taken === undefined) return;
        this.child.off('message', listener);
        done(taken);
      };
      this.child.on('message', listener);
      void this.exited.then((how) => fail(new Error(`the process exited (${String(how)}):\n${this.output}`)));
    });
  }

  /** Sends a signal to the process group this test started. */
  signal(signal: NodeJS.Signals): void {
    if (!this.alive) return;
    try {
      process.kill(-this.child.pid!, signal);
    } catch (error) {
      // Gone between the check and the signal: nothing left to signal.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }

  async kill(signal: NodeJS.Signals): Promise<NodeJS.Signals | number | null> {
    if (this.alive) {
      // A stopped process takes SIGTERM only once continued.
      process.kill(-this.child.pid!, 'SIGCONT');
      process.kill(-this.child.pid!, signal);
    }
    return this.exited;
  }
}

/**
 * A watcher, an owner and a purpose such that the watcher's rules send a passport to the owner and the
 * owner's give the watcher at least a hit on it, on a border movement and on the record's reference (the
 * shipped policy, read here). A pair that gave no notice would fail the bursts' counts, not pass them.
 */
function crossing(): { watcher: string; owner: string; purpose: (typeof PURPOSES)[number] } {
  const policy = loadDefaultPolicy();
  for (const watcher of CODES)
    for (const owner of CODES.filter((code) => code !== watcher))
      for (const purpose of PURPOSES) {
        const caseReference = `${watcher}-CAS-000001`;
        const sends = policy.decide({
          owner: watcher,
          requester: { country: owner, analyst: MATCHING_SERVICE, roles: [], purpose, caseReference },
          category: identifierCategory(watcher, 'passport'),
          at: TEST_NOW,
          grants: new Map(),
        });
        const requester = { country: watcher, analyst: ANALYST, roles: [], purpose, caseReference };
        // The hit, the event, and the record's reference (a notice names its record: decision 0018).
        const tells = [
          identifierCategory(owner, 'passport'),
          eventCategory(owner, 'border_movement'),
          'meta.reference' as const,
        ].every(
          (category) =>
            policy.decide({ owner, requester, category, at: TEST_NOW, grants: new Map() }).effect !==
            'withhold',
        );
        if (sends.effect === 'release' && tells) return { watcher, owner, purpose };
      }
  throw new Error('test setup: no watcher sends a passport to an owner that would tell it of a crossing');
}

export function alertsReliabilitySuite(name: string, openHubLog: () => Promise<HubLogStore>): void {
  describe(`alert reliability, the hub's log on ${name}`, () => {
    const { watcher, owner, purpose } = crossing();
    const auditDir = mkdtempSync(join(tmpdir(), 'accord-alerts-reliability-audit-'));
    const auditKeys = join(auditDir, 'keys');
    const auditUrls = new Set<string>();
    /** The log of the gateway this test starts (the alliance's own gateway has another, unused here). */
    const gatewayLog = `sqlite:${join(auditDir, `${GATEWAY_INSTANCE}-alerts.db`)}`;
    let hubLog: HubLogStore;
    let alliance: Alliance;
    let gateway: RunningGateway;
    let alertsUrl: string;
    let token: string;
    let env: NodeJS.ProcessEnv;
    let hub: ServiceProcess;
    let hubPort: string;
    let ownerProcess: ServiceProcess;
    let suspect: string;
    let document: string;
    const started: ServiceProcess[] = [];
    let closeGatewayAudit: (() => Promise<void>) | undefined;

    const startHub = async (port: string): Promise<ServiceProcess> => {
      const service = new ServiceProcess('subgraphs/alliance/main.ts', [], { ...env, PORT: port });
      started.push(service);
      await service.ready;
      return service;
    };
    const startOwner = async (): Promise<ServiceProcess> => {
      const service = new ServiceProcess('test/support/alertOwnerProcess.ts', [owner], env);
      started.push(service);
      await service.ready;
      return service;
    };
    const burst = (count: number): Promise<string[]> => {
      const done = ownerProcess.next((m) =>
        m['type'] === 'burst' ? (m['noticeIds'] as string[]) : undefined,
      );
      ownerProcess.child.send({ type: 'burst', suspect, document, count });
      return done;
    };
    const pending = (): Promise<number> => {
      const answer = ownerProcess.next((m) => (m['type'] === 'pending' ? (m['count'] as number) : undefined));
      ownerProcess.child.send({ type: 'pending' });
      return answer;
    };
    /**
     * Until the owner's outbox has nothing pending (a bounded poll of a durable state: the relay's `idle`
     * may come before a restarted owner's `ready`, so it is not waited for).
     */
    const nothingPending = async (): Promise<void> => {
      for (let attempt = 0; attempt < 600; attempt++) {
        if ((await pending()) === 0) return;
        await new Promise((done) => setTimeout(done, 50));
      }
      throw new Error(`the owner's outbox still holds ${await pending()} notices`);
    };
    /** Sends the owner a command and waits for its answer (test/support/alertOwnerProcess.ts). */
    const command = async (type: 'holdRecords' | 'relayPass'): Promise<void> => {
      const answered = ownerProcess.next((m) => (m['type'] === type ? true : undefined));
      ownerProcess.child.send({ type });
      await answered;
    };
    /**
     * Every notice of the owner in the hub's log has a `notice.emitted` record in the owner's audit log,
     * read as an auditor would (openAuditReader, the log's procedure records). Answers the hub's ids.
     */
    const everyReleasedNoticeRecorded = async (): Promise<string[]> => {
      const released = (await hubLog.rows(alliance.dataDir))
        .filter((row) => row.owner === owner)
        .map((row) => row.noticeId);
      const reader = await openAuditReader(
        `sqlite:${join(alliance.dataDir, 'audit', `${owner.toLowerCase()}.db`)}`,
      );
      let records: { act?: unknown; noticeId?: unknown }[];
      try {
        records = (await reader.query({ kinds: ['procedure'], limit: 1_000_000 })).map(
          (row) => row.entry!.body as { act?: unknown; noticeId?: unknown },
        );
      } finally {
        await reader.close();
      }
      const recorded = new Set(
        records.filter((body) => body.act === 'notice.emitted').map((body) => body.noticeId),
      );
      expect(released.filter((id) => !recorded.has(id))).toEqual([]);
      return released;
    };
    /** Every notice of this analyst through the gateway's `alertsSince`, page by page, from the start. */
    const readAll = async (): Promise<string[]> => {
      const ids: string[] = [];
      let after: string | null = null;
      for (;;) {
        const { body } = await postAlerts(alertsUrl, token, {
          query:
            'query ($after: String) { alertsSince(after: $after, limit: 100) { cursor alerts { noticeId } } }',
          variables: { after },
        });
        expect(body.errors).toBeUndefined();
        const page = body.data!['alertsSince'] as { cursor: string | null; alerts: { noticeId: string }[] };
        ids.push(...page.alerts.map((alert) => alert.noticeId));
        if (page.cursor === null || page.cursor === after) return ids;
        after = page.cursor;
      }
    };
    beforeAll(async () => {
      hubLog = await openHubLog();
      // The watcher and every other member in this process; the owner and the hub are processes below.
      alliance = await startAlliance({
        alerts: {},
        replace: { [owner.toLowerCase()]: 'http://127.0.0.1:9/', [HUB_NAME]: 'http://127.0.0.1:9/' },
        audit: {
          open(instance) {
            const url = `sqlite:${join(auditDir, `${instance}.db`)}`;
            auditUrls.add(url);
            return openAuditLog({
              url,
              writer: { instance, privateKeyPem: ensureWriterKey(auditKeys, instance) },
            });
          },
        },
      });
      // The processes share the alliance's folder: its gateway keys, identity providers, published notice keys.
      env = {
        ...cleanEnv(),
        ACCORD_DATA_DIR: alliance.dataDir,
        ACCORD_DEV: '1',
        ACCORD_CLOCK: new Date(TEST_NOW).toISOString(),
        ACCORD_METRICS: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        ACCORD_LOG_FORMAT: 'json',
        ...(hubLog.url !== undefined && { ACCORD_ALERTS_URL: hubLog.url }),
      };
      hub = await startHub('0');
      const hubGraphql = await hub.ready;
      hubPort = new URL(hubGraphql).port;
      env['ACCORD_HUB_URL'] = new URL(hubGraphql).origin;
      ownerProcess = await startOwner();
      const ownerUrl = await ownerProcess.ready;

      // A suspect of the owner with a travel document: what the watch names and the burst moves.
      const store = openStore({ country: owner, file: ':memory:' });
      const ids = Array.from({ length: 40 }, (_, i) => `${owner}-SUS-${String(i + 1).padStart(6, '0')}`);
      const found = [...store.load('Suspect', ids).values()].find((s) => s.travelDocuments.length > 0)!;
      store.close();
      suspect = found.id;
      const travelDocument = found.travelDocuments[0]!;
      document = travelDocument.number;

      const gatewayAudit = await openAuditLog({
        url: gatewayLog,
        writer: { instance: GATEWAY_INSTANCE, privateKeyPem: ensureWriterKey(auditKeys, GATEWAY_INSTANCE) },
      });
      auditUrls.add(gatewayLog);
      gateway = await startGateway({
        analysts: createAnalystVerifier({
          issuers: ensureDemoIdentityProviders(alliance.idpDir, CODES),
          audience: DEFAULT_ANALYST_AUDIENCE,
        }),
        signer: alliance.signer,
        port: 0,
        now: () => TEST_NOW,
        subgraphUrls: {
          ...alliance.subgraphUrls,
          [owner.toLowerCase()]: ownerUrl,
          [HUB_NAME]: hubGraphql,
        },
        audit: gatewayAudit,
        legalPage: false,
        explorer: false,
        metrics: false,
      });
      closeGatewayAudit = () => gatewayAudit.close();
      alertsUrl = gateway.url.replace(/\/graphql$/, '/alerts');
      token = await signDemoAnalystToken({
        dir: alliance.idpDir,
        country: watcher,
        analyst: ANALYST,
        audience: DEFAULT_ANALYST_AUDIENCE,
      });
      const registered = await postAlerts(alertsUrl, token, {
        query:
          'mutation ($input: WatchInput!) { registerWatch(input: $input) { watch { id recipients } unreached } }',
        variables: {
          input: {
            caseReference: `${watcher}-CAS-000001`,
            purpose,
            identifiers: [
              { kind: 'passport', number: document, issuingCountry: travelDocument.issuingCountry },
            ],
            justification: 'Expected to cross borders repeatedly this week, per the liaison officer.',
            days: 7,
          },
        },
      });
      expect(registered.body.errors).toBeUndefined();
      const registration = registered.body.data!['registerWatch'] as {
        watch: { recipients: string[] };
        unreached: string[];
      };
      expect(registration.watch.recipients).toContain(owner);
      expect(registration.unreached).toEqual([]);
    }, 120_000);

    let stoppedInProcess = false;
    /** The gateway, its log and the alliance in this process, once. */
    const stopInProcess = async (): Promise<void> => {
      if (stoppedInProcess) return;
      stoppedInProcess = true;
      await gateway?.stop();
      await closeGatewayAudit?.();
      await alliance?.stop();
    };
    afterAll(async () => {
      // Every process this test started, by the process group it started, whatever happened above.
      for (const service of started) await service.kill('SIGKILL');
      await stopInProcess();
      await hubLog?.close();
      rmSync(auditDir, { recursive: true, force: true });
    }, 60_000);

    /** Every id the owner emitted so far, for the last test's totals. */
    const emitted: string[] = [];

    it('loses nothing when the hub is killed with SIGKILL in the middle of a burst, and keeps each notice once', async () => {
      const firstHalf = burst(100);
      // The hub has acknowledged some of the burst: kill it now, while the relay is still at work.
      await ownerProcess.next((m) =>
        m['type'] === 'relay' && (m['event'] as { kind: string }).kind === 'delivered' ? true : undefined,
      );
      expect(await hub.kill('SIGKILL')).toBe('SIGKILL');
      emitted.push(...(await firstHalf));
      // The rest of the burst comes while the hub is down: it waits in the owner's outbox.
      emitted.push(...(await burst(100)));
      expect(emitted).toHaveLength(200);
      expect(await pending()).toBeGreaterThan(0);

      // The hub again, on the same port and the same log; the relay, backing off, reaches it.
      hub = await startHub(hubPort);
      // Nothing pending means each notice was acknowledged by the hub: the log must hold them all now.
      await nothingPending();

      const rows = (await hubLog.rows(alliance.dataDir)).filter((row) => row.owner === owner);
      expect(rows).toHaveLength(emitted.length);
      expect(new Set(rows.map((row) => row.noticeId))).toEqual(new Set(emitted));
      const read = await readAll();
      expect(new Set(read)).toEqual(new Set(emitted));
      expect(read).toHaveLength(emitted.length);
    }, 90_000);

    it('loses nothing when the owner is killed with SIGKILL while its relay holds notices, and restarted', async () => {
      // The hub stops answering (SIGSTOP): the relay's post hangs, nothing is acknowledged.
      hub.signal('SIGSTOP');
      let held: string[];
      try {
        held = await burst(60);
        expect(held).toHaveLength(60);
        expect(await pending()).toBeGreaterThan(0);
        expect(await ownerProcess.kill('SIGKILL')).toBe('SIGKILL');
      } finally {
        // The hub goes on, with whatever post of the killed relay reached it (its answer goes nowhere).
        hub.signal('SIGCONT');
      }
      emitted.push(...held);

      // The owner again, on the same store: its relay sends what the last process left.
      ownerProcess = await startOwner();
      // Nothing pending means each notice was acknowledged by the hub: the log must hold them all now.
      await nothingPending();
      const rows = (await hubLog.rows(alliance.dataDir)).filter((row) => row.owner === owner);
      expect(rows).toHaveLength(emitted.length);
      expect(new Set(rows.map((row) => row.noticeId))).toEqual(new Set(emitted));
      expect(new Set(await readAll())).toEqual(new Set(emitted));
      await everyReleasedNoticeRecorded();
    }, 90_000);

    it('releases no notice before its record: killed before its records are durable, the owner records them on restart, then relays them', async () => {
      await command('holdRecords');
      const held = await burst(20);
      expect(held).toHaveLength(20);
      // A whole pass of the relay after the burst: whatever it may post by now, it has posted.
      await command('relayPass');
      expect(await ownerProcess.kill('SIGKILL')).toBe('SIGKILL');
      emitted.push(...held);
      // Their records never became durable: the hub must have received none of them.
      const before = await everyReleasedNoticeRecorded();
      expect(before.filter((id) => held.includes(id))).toEqual([]);

      // The owner again: it records what the last process left unrecorded, then relays it.
      ownerProcess = await startOwner();
      await nothingPending();
      const after = await everyReleasedNoticeRecorded();
      expect(new Set(after)).toEqual(new Set(emitted));
      expect(after).toHaveLength(emitted.length);
    }, 90_000);

    it('resumes a disconnected SSE client after its Last-Event-ID: no gap, at most the last one again', async () => {
      const before = new Set(await readAll());
      const fresh = await burst(40);
      emitted.push(...fresh);
      await nothingPending();
      const readNotice = async (stream: SseStream): Promise<{ id: string; noticeId: string }> => {
        const event = await stream.next();
        expect(event?.event).toBe('next');
        const alert = (JSON.parse(event!.data) as { data: { alerts: { noticeId: string } } }).data.alerts;
        return { id: event!.id!, noticeId: alert.noticeId };
      };
      // The stream from the start; the client reads half of the new burst and goes away.
      const first = await openStream(alertsUrl, token, { query: ALERTS_SUBSCRIPTION });
      const seen: { id: string; noticeId: string }[] = [];
      while (seen.filter((s) => !before.has(s.noticeId)).length < fresh.length / 2)
        seen.push(await readNotice(first));
      first.close();
      const last = seen[seen.length - 1]!;
      // Two more notices while it is away. The last is padding only: a resume that skipped a notice reads
      // it in the place of the one it skipped, so the comparison below fails instead of waiting forever.
      emitted.push(...(await burst(2)));
      await nothingPending();
      const order = await readAll();
      expect(new Set(order)).toEqual(new Set(emitted));
      const expected = order.slice(order.indexOf(last.noticeId) + 1, -1);

      const second = await openStream(
        alertsUrl,
        token,
        { query: ALERTS_SUBSCRIPTION },
        { 'last-event-id': last.id },
      );
      const resumed: string[] = [];
      let again = 0;
      while (resumed.length < expected.length) {
        const next = await readNotice(second);
        // At most the last one read before the disconnect, and only first.
        if (next.noticeId === last.noticeId && resumed.length === 0 && again === 0) again++;
        else resumed.push(next.noticeId);
      }
      second.close();
      // No gap, nothing read before except possibly the last one: exactly the log's order from there.
      expect(resumed).toEqual(expected);
      expect(new Set([...seen.map((s) => s.noticeId), ...resumed, order[order.length - 1]])).toEqual(
        new Set(emitted),
      );
    }, 60_000);

    it('leaves every audit log it wrote verifying, chains and checkpoints, against the pinned keys', async () => {
      // Everything stops cleanly now: each writer seals its chain with its final checkpoint. The
      // processes' logs are in the alliance's folder, which its stop removes: they are verified first.
      expect(await ownerProcess.kill('SIGTERM')).toBe(0);
      expect(await hub.kill('SIGTERM')).toBe(0);
      const processKeys = join(alliance.dataDir, 'audit', 'keys', TRUSTED_KEYS_FILE);
      const ownerLog = `sqlite:${join(alliance.dataDir, 'audit', `${owner.toLowerCase()}.db`)}`;
      const processLogs = await verify(
        [
          { url: `sqlite:${join(alliance.dataDir, 'audit', `${HUB_NAME}.db`)}`, keys: processKeys },
          { url: ownerLog, keys: processKeys },
        ],
        'command',
      );
      await stopInProcess();
      const inProcessLogs = await verify(
        [...auditUrls].map((url) => ({ url, keys: join(auditKeys, TRUSTED_KEYS_FILE) })),
        'in process',
      );
      // Not vacuous: the owner recorded its notices, the gateway their deliveries, the watcher its watch.
      expect(processLogs.get(ownerLog)).toBeGreaterThan(emitted.length / 2);
      expect(inProcessLogs.get(gatewayLog)).toBeGreaterThan(emitted.length);
      expect(inProcessLogs.get(`sqlite:${join(auditDir, `${watcher.toLowerCase()}.db`)}`)).toBeGreaterThan(0);
    }, 120_000);
  });
}

/**
 * Each log verified strictly (every chain ends with its writer's final checkpoint) against its pinned keys,
 * with no problem: by `npm run audit -- verify`, as an operator would, or in this process (the same
 * `AuditReader.verify` the command runs, without starting a process per log). Answers each log's number of
 * entries, by URL.
 */
async function verify(
  logs: readonly { url: string; keys: string }[],
  how: 'command' | 'in process',
): Promise<Map<string, number>> {
  const entries = new Map<string, number>();
  for (const { url, keys } of logs) {
    let report: { ok: boolean; problems: readonly unknown[]; chains: readonly { entries: number }[] };
    if (how === 'command') {
      const { stdout } = await run(
        'npm',
        ['run', '--silent', 'audit', '--', 'verify', '--json', '--log', url, '--keys', keys],
        { cwd: ROOT, env: cleanEnv() },
      );
      report = JSON.parse(stdout) as typeof report;
    } else {
      const reader = await openAuditReader(url);
      try {
        report = await reader.verify({ trustedKeys: readTrustedKeys(keys) });
      } finally {
        await reader.close();
      }
    }
    expect({ url, ok: report.ok, problems: report.problems }).toEqual({ url, ok: true, problems: [] });
    entries.set(
      url,
      report.chains.reduce((sum, chain) => sum + chain.entries, 0),
    );
  }
  return entries;
}

/** This environment without what would pin a port, a URL or a log of the developer's. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!/^(PORT|ACCORD_.*)$/.test(name)) env[name] = value;
  return env;
}
