/**
 * Every PostgreSQL store of Accord (the audit log's, the hub's alert log, a member's shared search budget
 * and replay cache; lib/postgres.ts) says where it is without the password, given in the user part or as
 * `?password=` (pg reads both): neither in the error of an open that fails, nor in the description of one
 * that succeeds. On a real PostgreSQL started on loopback (skipped outside CI when it is not installed).
 */
import { openAuditReader } from '../../audit';
import { openPostgresAlertLog } from '../../subgraphs/alliance';
import { openPostgresSearchBudget } from '../../subgraphs/kit';
import { MEMBERS } from '../../schema';
import { openPostgresReplayStore } from '../../trust';
import { findPostgresBin, startPostgres, type PostgresServer } from '../audit/support/postgres';
import { pinnedKeys } from '../hub/support/alertNotices';

const available = findPostgresBin() !== undefined || process.env['CI'] === 'true';
const SECRET = 'hunter2';

/** Each store, opened at `url`: what it says of where it is, then closed. */
const STORES: Record<string, (url: string) => Promise<string>> = {
  'audit log': async (url) => {
    const reader = await openAuditReader(url);
    await reader.close();
    return reader.description;
  },
  'alert log': async (url) => {
    const log = await openPostgresAlertLog({ url, keys: pinnedKeys() });
    await log.close();
    return log.description;
  },
  'search budget': async (url) => {
    const budget = await openPostgresSearchBudget({ url, member: MEMBERS[0]!.code, termsPerMinute: 3 });
    await budget.close();
    return budget.description;
  },
  'replay cache': async (url) => {
    const store = await openPostgresReplayStore({ url });
    await store.close();
    return store.description;
  },
};

(available ? describe : describe.skip)('the PostgreSQL stores', () => {
  let server: PostgresServer;
  let database: string;
  beforeAll(async () => {
    const started = await startPostgres();
    if (!started.server) throw new Error(started.skip);
    server = started.server;
    database = await server.createDatabase();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  /** The test database's URL with the password in the user part or the query, at `path`. */
  function withSecret(where: 'user' | 'query', path?: string): string {
    const url = new URL(database);
    if (path !== undefined) url.pathname = path;
    if (where === 'user') url.password = SECRET;
    else url.searchParams.set('password', SECRET);
    return url.toString();
  }

  it.each(Object.keys(STORES))('the %s names no password when it cannot open', async (name) => {
    for (const where of ['user', 'query'] as const) {
      const opening = STORES[name]!(withSecret(where, '/no_such_database'));
      await expect(opening).rejects.toThrow(/\*\*\*/);
      await expect(opening).rejects.not.toThrow(new RegExp(SECRET));
    }
  });

  it.each(Object.keys(STORES))('the %s names no password where it is', async (name) => {
    for (const where of ['user', 'query'] as const) {
      // The audit log's reader finds no log in a new database, and its refusal says where it looked.
      const said = await STORES[name]!(withSecret(where)).catch((error: Error) => error.message);
      expect(said).not.toContain(SECRET);
      expect(said).toContain('***');
    }
  });
});
