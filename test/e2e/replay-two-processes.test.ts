/**
 * One member served by two processes (subgraphs/<cc>/main.ts started twice, as an operator would run it):
 * the same data folder, the same gateway keys, and one PostgreSQL for what they must both see
 * (`ACCORD_SHARED_STATE_URL`). A gateway token captured at one process and replayed to the other is
 * refused; when the database goes down, calls get the member's 503 and nothing of the database reaches
 * the caller, while the process's log says why. PostgreSQL is real, on loopback (test/audit/support/
 * postgres.ts); in CI a missing PostgreSQL fails this file, elsewhere it is skipped with a message.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PURPOSES } from '../../vocabulary';
import { requestContextHeaders } from '../../policy';
import { MEMBERS, subgraphName } from '../../schema';
import { localTrust, type LocalTrust } from '../../trust';
import { findPostgresBin, startPostgres, type PostgresServer } from '../audit/support/postgres';

const ROOT = resolve(__dirname, '..', '..');
const available = findPostgresBin() !== undefined;
if (!available) {
  if (process.env['CI'] === 'true')
    throw new Error('PostgreSQL is not installed, and CI must run the two-process replay test.');
  console.warn(
    'Skipping the two-process replay test: PostgreSQL is not installed (`apt-get install -y postgresql`).',
  );
}

/** Any member: the registry's first (the test says nothing about one country). */
const MEMBER = MEMBERS[0]!;
const NAME = subgraphName(MEMBER.code);

interface MemberProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly logFile: string;
  readonly exited: Promise<number | null>;
}

let server: PostgresServer | undefined;
let dataDir: string;
let trust: LocalTrust;
const running: MemberProcess[] = [];

beforeAll(async () => {
  if (!available) return;
  dataDir = mkdtempSync(join(tmpdir(), 'accord-replay-e2e-'));
  // The gateway's keys both processes trust, as npm start creates them.
  trust = localTrust(dataDir, [MEMBER.code]);
  const started = await startPostgres();
  if (!started.server) throw new Error(started.skip);
  server = started.server;
}, 120_000);

afterAll(async () => {
  for (const member of running) {
    if (member.child.exitCode === null && member.child.signalCode === null) member.child.kill('SIGKILL');
    await member.exited;
  }
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the member's process `n` on a free port; each keeps its own audit log file, both share the rest. */
async function startMemberProcess(n: number, sharedStateUrl: string): Promise<MemberProcess> {
  const logFile = join(dataDir, `${NAME}-${n}.log.ndjson`);
  const child = fork(join(ROOT, 'subgraphs', NAME, 'main.ts'), [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      ACCORD_DATA_DIR: dataDir,
      ACCORD_SIZE: '40',
      ACCORD_SEED: 'replay-two-processes',
      ACCORD_AUDIT_URL: `sqlite:${join(dataDir, 'audit', `${NAME}-${n}.db`)}`,
      ACCORD_SHARED_STATE_URL: sharedStateUrl,
      ACCORD_LOG_FILE: logFile,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const member = { child, logFile, exited };
  running.push({ ...member, url: '' });
  const url = await new Promise<string>((done, fail) => {
    child.on('message', (message: { type?: string; url?: string }) => {
      if (message.type === 'ready' && message.url) done(message.url);
    });
    void exited.then((code) =>
      fail(new Error(`${NAME} #${n} exited with ${code} before it was ready: ${stderr}`)),
    );
  });
  running[running.length - 1] = { ...member, url };
  return { ...member, url };
}

const BODY = JSON.stringify({ query: '{ __typename }' });

/** What the gateway sends: a query-scoped token for this member, bound to this body. */
function gatewayToken(): string {
  const ctx = requestContextHeaders({
    country: MEMBER.code,
    analyst: 'replay.test',
    roles: ['analyst'],
    purpose: PURPOSES[0],
    caseReference: `${MEMBER.code}-CAS-000001`,
  });
  return trust.signer().sign({ audience: NAME, scope: 'query', ctx, body: BODY });
}

async function call(member: MemberProcess, token: string): Promise<{ status: number; text: string }> {
  const response = await fetch(member.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: BODY,
  });
  return { status: response.status, text: await response.text() };
}

(available ? describe : describe.skip)(
  `one member (${NAME}) served by two processes sharing PostgreSQL`,
  () => {
    it('a gateway token captured at one process is refused by the other; a database down gives 503 and leaks nothing', async () => {
      const url = await server!.createDatabase();
      // One after the other: the first seeds the member's store, the second opens it.
      const first = await startMemberProcess(1, url);
      const second = await startMemberProcess(2, url);

      const token = gatewayToken();
      const accepted = await call(first, token);
      expect(accepted.status).toBe(200);
      expect(JSON.parse(accepted.text)).toEqual({ data: { __typename: 'Query' } });

      // The capture, replayed to the other process: the same refusal as any bad token.
      const replayed = await call(second, token);
      expect(replayed.status).toBe(401);
      expect(JSON.parse(replayed.text)).toMatchObject({
        errors: [{ extensions: { code: 'UNAUTHENTICATED' } }],
      });
      // And a fresh token still works there: the second process serves.
      expect((await call(second, gatewayToken())).status).toBe(200);

      // The database goes down: no call is accepted unchecked, and the answer names nothing of it.
      await server!.stop();
      const { port } = new URL(url);
      for (const member of [first, second]) {
        const refused = await call(member, gatewayToken());
        expect(refused.status).toBe(503);
        expect(JSON.parse(refused.text)).toMatchObject({
          errors: [{ extensions: { code: 'MEMBER_UNAVAILABLE' } }],
        });
        for (const secret of ['postgres', port, 'ECONNREFUSED', 'INSERT', 'accord_replay', 'REPLAY_CACHE'])
          expect(refused.text).not.toContain(secret);
        // Why is in the process's own log.
        const log = readFileSync(member.logFile, 'utf8');
        expect(log).toMatch(/"reason":"REPLAY_CACHE_UNAVAILABLE"/);
        expect(log).toMatch(
          /"cause":"The shared replay store PostgreSQL postgres:\/\/[^"]*: cannot record a gateway token: /,
        );
      }

      // Both stop cleanly, with the database gone.
      for (const member of [first, second]) {
        member.child.kill('SIGTERM');
        expect(await member.exited).toBe(0);
      }
    });
  },
);
