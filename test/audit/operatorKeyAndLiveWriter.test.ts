/**
 * Two ways the documented audit steps used to report a sound log BROKEN (issue 10, item 16):
 *
 * - `review --mark` (and `purge`) without `--key` signed their checkpoint with a key made for that run,
 *   which no trusted keys file pins, so `verify --keys` failed from then on. Now a write needs a key pinned
 *   for the operator's instance, and the refusal says how to make and pin one (`keygen --pin`).
 * - `verify` while the services run: a running writer seals its chain only when it stops, so the open tail
 *   read as a truncation. Now verify asks the store whether the writer's claim is held by a live process
 *   (SQLite: the lock file's pid; PostgreSQL: the advisory lock) and says "being written" instead; a
 *   writer that crashed still leaves a chain that does not verify without `--live`.
 *
 * The writer runs in a process of its own, set up from the environment the way `npm start` runs services.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditLogFromEnv, recordReview, type RecordRef, type VerifyReport } from '../../audit';
import { runCli, type CliIo } from '../../audit/cli';
import { postgresBackend, sqliteBackend, type Backend } from './support/backends';
import { findPostgresBin } from './support/postgres';
import { crossing, emergencyCrossing } from './support/records';

const TSX_LOADER = require.resolve('tsx');
const WRITER = join(__dirname, 'support', 'runningWriter.ts');

const backends: [string, () => Promise<Backend>][] = [['SQLite', () => Promise.resolve(sqliteBackend())]];
if (findPostgresBin() !== undefined) {
  backends.push([
    'PostgreSQL',
    async () => {
      const backend = await postgresBackend();
      if ('skip' in backend) throw new Error(backend.skip);
      return backend;
    },
  ]);
} else
  console.warn(
    'operatorKeyAndLiveWriter: PostgreSQL is not installed; only the SQLite half runs (`apt-get install -y postgresql`).',
  );

interface Captured extends CliIo {
  stdout: string;
  stderr: string;
}

async function cli(
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const io: Captured = {
    stdout: '',
    stderr: '',
    out(text) {
      this.stdout += `${text}\n`;
    },
    err(text) {
      this.stderr += `${text}\n`;
    },
    env,
    now: () => new Date(),
  };
  const code = await runCli(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

interface RunningWriter {
  readonly head: RecordRef;
  /** Asks it to close its log (the final checkpoint) and waits for it to exit. */
  stop(): Promise<void>;
  /** SIGKILL: a crash, the tail left open. */
  crash(): Promise<void>;
}

async function startWriter(dataDir: string, url: string, count: number): Promise<RunningWriter> {
  const child: ChildProcess = fork(WRITER, [String(count)], {
    execArgv: ['--import', TSX_LOADER],
    env: { ...process.env, ACCORD_DATA_DIR: dataDir, ACCORD_AUDIT_URL: url, ACCORD_AUDIT: 'on' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const head = await new Promise<RecordRef>((resolve, reject) => {
    child.once('message', (message: { type: string; head: RecordRef }) => resolve(message.head));
    child.once('exit', (code) => reject(new Error(`the writer exited (${code}) before it was ready`)));
  });
  return {
    head,
    async stop() {
      child.send({ type: 'close' });
      await exited;
    },
    async crash() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

describe.each(backends)('the audit CLI on %s', (_name, makeBackend) => {
  let backend: Backend;
  const folders: string[] = [];
  const running: RunningWriter[] = [];
  beforeAll(async () => {
    backend = await makeBackend();
  }, 60_000);
  afterAll(async () => {
    for (const writer of running) await writer.crash().catch(() => undefined);
    await backend?.close();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  /** A service's data folder: the writer keys and their trusted.json go to <data>/audit/keys. */
  function dataDir(): { data: string; keys: string; trusted: string } {
    const data = mkdtempSync(join(tmpdir(), 'accord-audit-live-'));
    folders.push(data);
    const keys = join(data, 'audit', 'keys');
    return { data, keys, trusted: join(keys, 'trusted.json') };
  }

  async function entries(url: string): Promise<number> {
    const [row] = await backend.rows<{ n: number | string }>(url, 'SELECT count(*) AS n FROM audit_records');
    return Number(row!.n);
  }

  it('verify while the service writes: verified so far, up to where, and by whom; verified once it stops', async () => {
    const { data, trusted } = dataDir();
    const url = await backend.newLogUrl();
    const writer = await startWriter(data, url, 3);
    running.push(writer);
    expect(writer.head).toMatchObject({ chain: 'gateway-1', seq: 3 });

    // The README's example, while the services run.
    const live = await cli(['verify', '--log', url, '--keys', trusted]);
    expect(live).toMatchObject({ code: 0, stderr: '' });
    expect(live.stdout).toMatch(
      /: VERIFIED SO FAR \(being written by a running service\) — 1 chain\(s\), 3 entries, keys pinned\./,
    );
    expect(live.stdout).toContain(
      'gateway-1 is being written by a running service: its records so far verify up to gateway-1#3',
    );
    expect(live.stdout).not.toMatch(/BROKEN|✗/);
    const json = JSON.parse(
      (await cli(['verify', '--log', url, '--keys', trusted, '--json'])).stdout,
    ) as VerifyReport;
    expect(json).toMatchObject({
      ok: true,
      problems: [],
      chains: [{ chain: 'gateway-1', writing: true, sealed: false, unsealed: 3 }],
    });

    await writer.stop();
    const stopped = await cli(['verify', '--log', url, '--keys', trusted]);
    expect(stopped).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(
        /: VERIFIED — 1 chain\(s\), 4 entries, keys pinned\.\n {2}gateway-1: #1–#4, 1 checkpoint\(s\), sealed/,
      ),
    });
  }, 60_000);

  it('a writer that crashed is not "being written": its open tail does not verify without --live', async () => {
    const { data, trusted } = dataDir();
    const url = await backend.newLogUrl();
    const writer = await startWriter(data, url, 2);
    running.push(writer);
    await writer.crash();
    if (backend.name === 'postgres') {
      // The server drops the dead session's advisory lock when it notices the connection is gone.
      const held =
        "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";
      for (let i = 0; i < 500 && (await backend.rows(url, held)).length > 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const strict = await cli(['verify', '--log', url, '--keys', trusted]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/: BROKEN — /);
    expect(strict.stdout).toMatch(/✗ gateway-1#2 \[unsealed\]/);
    expect(strict.stdout).not.toMatch(/being written/);
    const accepted = await cli(['verify', '--log', url, '--keys', trusted, '--live']);
    expect(accepted).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(
        /: VERIFIED — .*\n[\s\S]*note: gateway-1 has 2 entries after its last checkpoint/,
      ),
    });
  }, 60_000);

  it('review --mark and purge refuse to write without a pinned key, say how to make and pin one, and change nothing', async () => {
    const { data, keys, trusted } = dataDir();
    const url = await backend.newLogUrl();
    const audit = await openAuditLogFromEnv({
      instance: 'gateway-1',
      dataDir: data,
      env: { ACCORD_AUDIT_URL: url },
    });
    const emergency = await audit.log!.append(emergencyCrossing('consultation', 1));
    await audit.log!.append(crossing('consultation', 2));
    await audit.log!.close();
    const before = await entries(url);
    const env = { ACCORD_AUDIT_KEYS: keys };
    const mark = [
      'review',
      '--log',
      url,
      '--mark',
      `gateway-1#${emergency.seq}`,
      '--reviewer',
      'legal.kr',
      '--note',
      'Justified.',
    ];

    const keyless = await cli(mark, env);
    expect(keyless.code).toBe(2);
    expect(keyless.stderr).toContain(
      'review --mark writes to the log, so it needs a writer key pinned for "audit-cli"',
    );
    expect(keyless.stderr).toContain(
      `npm run audit -- keygen --out ${join(keys, 'audit-cli.key')} --pin ${trusted} --instance audit-cli`,
    );
    const purge = await cli(['purge', '--log', url, '--retention-days', '1', '--operator', 'dpo.kr'], env);
    expect(purge).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('purge writes to the log, so it needs a writer key pinned'),
    });
    // A dry run only reads.
    expect(
      (await cli(['purge', '--log', url, '--retention-days', '1', '--operator', 'dpo.kr', '--dry-run'], env))
        .code,
    ).toBe(0);
    // The library refuses too, whatever door it is called through.
    await expect(
      recordReview(
        url,
        { instance: 'audit-cli' },
        { target: `gateway-1#${emergency.seq}`, reviewer: 'legal.kr', note: 'x' },
      ),
    ).rejects.toMatchObject({
      code: 'REFUSED',
      message: expect.stringMatching(/needs its private key and the trusted keys file that pins it/),
    });
    expect(await entries(url)).toBe(before);

    // A key that exists but is pinned nowhere: refused, nothing written.
    const loose = join(data, 'loose.key');
    expect((await cli(['keygen', '--out', loose])).code).toBe(0);
    const unpinned = await cli([...mark, '--key', loose, '--keys', trusted], env);
    expect(unpinned).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /the key given for "audit-cli" is not pinned for it in the trusted keys file/,
      ),
    });
    // No trusted keys file beside the key and none named: refused before anything is opened.
    expect(await cli([...mark, '--key', loose], env)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/No trusted keys file at .*trusted\.json/),
    });
    expect(await entries(url)).toBe(before);
    expect(await cli(['verify', '--log', url, '--keys', trusted])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/: VERIFIED — /),
    });

    // Following the advice: make and pin a key, mark the review, and the log still verifies against the pins.
    const key = join(keys, 'audit-cli.key');
    const made = await cli(['keygen', '--out', key, '--pin', trusted, '--instance', 'audit-cli']);
    expect(made).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(`pinned it for "audit-cli" in ${trusted}`),
    });
    expect(await cli([...mark, '--key', key], env)).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/Recorded the review as audit-cli#1\./),
    });
    const verified = await cli(['verify', '--log', url, '--keys', trusted]);
    expect(verified).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/: VERIFIED — 2 chain\(s\), 5 entries, keys pinned\./),
    });
    expect(existsSync(loose)).toBe(true);
  }, 60_000);
});

describe('keygen --pin', () => {
  it('refuses a trusted keys file that is not one, and makes no key', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'accord-audit-keygen-'));
    try {
      const bad = join(folder, 'trusted.json');
      writeFileSync(bad, '[1, 2]');
      const out = join(folder, 'audit-cli.key');
      expect(await cli(['keygen', '--out', out, '--pin', bad])).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/must be a JSON object of instance → public key/),
      });
      expect(existsSync(out)).toBe(false);
      expect(await cli(['keygen', '--out', out, '--instance', 'audit-cli'])).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/--instance goes with --pin FILE/),
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
