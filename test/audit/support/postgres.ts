/**
 * A real PostgreSQL server for the audit tests, started on loopback from Debian's binaries
 * (/usr/lib/postgresql/<version>/bin, package `postgresql`): initdb into a temporary folder, then
 * `postgres` on a free port, as the `postgres` user when the tests run as root (PostgreSQL refuses to run
 * as root). No mock. In CI (CI=true) a missing PostgreSQL fails the tests; elsewhere they are skipped
 * with a message that says how to get it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

export interface PostgresServer {
  /** A fresh, empty database on the server: its connection string. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

export type PostgresAvailability =
  | { readonly server: PostgresServer; readonly skip?: undefined }
  | { readonly server?: undefined; readonly skip: string };

const USER = 'accord';

/** The bin folder of the newest PostgreSQL installed, or undefined. */
export function findPostgresBin(): string | undefined {
  const fromEnv = process.env['ACCORD_PG_BIN'];
  if (fromEnv && existsSync(join(fromEnv, 'postgres'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'postgres')) && existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

/** Starts a server, or says why the tests must skip (outside CI only). */
export async function startPostgres(): Promise<PostgresAvailability> {
  const bin = findPostgresBin();
  if (!bin) {
    const why =
      'PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres): `apt-get install -y postgresql` to run the PostgreSQL audit tests.';
    if (process.env['CI'] === 'true') throw new Error(`${why} CI must run them.`);
    return { skip: why };
  }
  return { server: await start(bin) };
}

async function start(bin: string): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), 'accord-pg-'));
  const data = join(dir, 'data');
  const owner = runAs();
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const spawnOptions = {
    ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C.UTF-8' },
  };
  execFileSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', USER, '--auth=trust', '--encoding=UTF8', '--no-sync'],
    { ...spawnOptions, stdio: 'pipe' },
  );

  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    let log = '';
    const child: ChildProcess = spawn(
      join(bin, 'postgres'),
      [
        '-D',
        data,
        '-p',
        String(port),
        '-h',
        '127.0.0.1',
        '-k',
        dir,
        '-c',
        'fsync=on',
        '-c',
        'synchronous_commit=on',
        '-c',
        'max_connections=60',
        '-c',
        'shared_buffers=32MB',
      ],
      { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    const base = `postgres://${USER}@127.0.0.1:${port}`;
    if (await ready(`${base}/postgres`, child, 30_000)) {
      let n = 0;
      return {
        async createDatabase(): Promise<string> {
          n += 1;
          const name = `audit_${process.pid}_${n}`;
          const client = new Client({ connectionString: `${base}/postgres` });
          await client.connect();
          try {
            await client.query(`CREATE DATABASE ${name}`);
          } finally {
            await client.end();
          }
          return `${base}/${name}`;
        },
        async stop(): Promise<void> {
          process.removeListener('exit', killOnExit);
          if (child.exitCode === null) {
            child.kill('SIGINT'); // fast shutdown
            const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            await exited;
            clearTimeout(timer);
          }
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    lastError = log;
    child.kill('SIGKILL');
    await exited;
    process.removeListener('exit', killOnExit);
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`PostgreSQL did not start: ${lastError}`);
}

/** Root cannot run PostgreSQL: run it as the `postgres` user (Debian's package makes it), else `nobody`. */
function runAs(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  for (const user of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
      if (Number.isInteger(uid) && uid > 0) return { uid, gid };
    } catch {
      // try the next
    }
  }
  throw new Error(
    'Running as root, and neither a "postgres" nor a "nobody" user exists to run PostgreSQL as.',
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function ready(url: string, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch {
      await client.end().catch(() => undefined);
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  return false;
}
