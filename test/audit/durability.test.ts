/**
 * Durability: a writer appending under load is killed with SIGKILL. Every append that resolved before the
 * kill is in the log after reopening, and the chain verifies: live right after the crash (an unsealed
 * tail), and strictly once the writer has reopened (it seals the tail it finds) and closed.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { openAuditLog, openAuditReader } from '../../audit';
import { postgresBackend, sqliteBackend, type Backend } from './support/backends';
import { findPostgresBin } from './support/postgres';

const ROOT = resolve(__dirname, '..', '..');
const WRITER = join(__dirname, 'support', 'appendUnderLoad.ts');

async function killUnderLoad(url: string, acknowledgements: number): Promise<Set<string>> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, url, 'gw-load'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acked = new Set<string>();
  let stderr = '';
  let buffer = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((done) =>
    child.once('exit', (code, signal) => done(signal ?? code)),
  );
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`the writer acknowledged only ${acked.size} appends in 60 s: ${stderr}`)),
      60_000,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) if (line.startsWith('load-')) acked.add(line);
      if (acked.size >= acknowledgements && child.exitCode === null && !child.killed) {
        child.kill('SIGKILL');
        clearTimeout(timer);
        done();
      }
    });
    void exited.then((how) => {
      clearTimeout(timer);
      if (!child.killed) fail(new Error(`the writer exited (${how}) before it was killed: ${stderr}`));
    });
  });
  expect(await exited).toBe('SIGKILL');
  // Lines already in the pipe were resolved before the kill too.
  for (const line of buffer.split('\n')) if (line.startsWith('load-')) acked.add(line);
  return acked;
}

async function expectDurable(backend: Backend): Promise<void> {
  const url = await backend.newLogUrl();
  const acked = await killUnderLoad(url, 600);

  const crashed = await openAuditReader(url);
  const live = await crashed.verify({ live: true });
  const logged = new Set(
    (await crashed.query({ limit: 1_000_000 })).map(
      (r) => (r.entry?.body as { requestId?: string }).requestId,
    ),
  );
  await crashed.close();
  expect(live.problems).toEqual([]);
  const missing = [...acked].filter((id) => !logged.has(id));
  expect({ acked: acked.size, missing }).toEqual({ acked: acked.size, missing: [] });

  // The writer comes back (its stale claim is taken over), seals the tail it finds, and closes.
  const reopened = await openAuditLog({ url, writer: { instance: 'gw-load' } });
  await reopened.close();
  const after = await openAuditReader(url);
  const strict = await after.verify();
  await after.close();
  expect(strict.problems).toEqual([]);
  expect(strict.chains[0]).toMatchObject({ chain: 'gw-load', sealed: true });
}

describe('durability: SIGKILL under load', () => {
  it('SQLite keeps every append that resolved, and the chain verifies', async () => {
    const backend = sqliteBackend();
    try {
      await expectDurable(backend);
    } finally {
      await backend.close();
    }
  }, 120_000);

  const postgres = findPostgresBin() !== undefined;
  if (!postgres && process.env['CI'] === 'true')
    throw new Error(
      'PostgreSQL is not installed, and CI must run the PostgreSQL durability test: .ci/run needs `apt-get install -y postgresql`.',
    );
  (postgres ? it : it.skip)(
    'PostgreSQL keeps every append that resolved, and the chain verifies',
    async () => {
      const backend = await postgresBackend();
      if ('skip' in backend) throw new Error(backend.skip);
      try {
        await expectDurable(backend);
      } finally {
        await backend.close();
      }
    },
    120_000,
  );
});
