/**
 * Audit logs for test alliances (test/support/alliance.ts `audit`): on SQLite, one file per writer
 * instance in a temporary folder (the processes' default, audit/README.md); on PostgreSQL, one database
 * per alliance that every instance writes to, on a real server started on loopback
 * (test/audit/support/postgres.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditLog, type AuditLog } from '../../audit';
import { startPostgres, type PostgresServer } from '../audit/support/postgres';

/** The logs of one alliance: how it opens a writer's log, and the URLs it opened. */
export interface AllianceLogs {
  open(instance: string): Promise<AuditLog>;
  /** Every log URL opened so far (one per instance on SQLite, one in all on PostgreSQL). */
  readonly urls: ReadonlySet<string>;
}

export interface AuditBackend {
  readonly name: 'sqlite' | 'postgres';
  /** Fresh, empty logs for one alliance. */
  forAlliance(): AllianceLogs;
  close(): Promise<void>;
}

/** Writers checkpoint often here, so that verification covers checkpoints mid-chain too. */
const CHECKPOINT_EVERY = 25;

export function sqliteAuditBackend(): AuditBackend {
  const dir = mkdtempSync(join(tmpdir(), 'accord-audit-e2e-'));
  let n = 0;
  return {
    name: 'sqlite',
    forAlliance() {
      const alliance = ++n;
      const urls = new Set<string>();
      return {
        urls,
        open(instance) {
          const url = `sqlite:${join(dir, `alliance-${alliance}-${instance}.db`)}`;
          urls.add(url);
          return openAuditLog({ url, writer: { instance }, checkpointEvery: CHECKPOINT_EVERY });
        },
      };
    },
    close() {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

/** A PostgreSQL backend, or why there is none (outside CI only: in CI a missing PostgreSQL fails). */
export async function postgresAuditBackend(): Promise<AuditBackend | { skip: string }> {
  const started = await startPostgres();
  if (!started.server) return { skip: started.skip };
  const server: PostgresServer = started.server;
  return {
    name: 'postgres',
    forAlliance() {
      const urls = new Set<string>();
      let database: Promise<string> | undefined;
      return {
        urls,
        async open(instance) {
          database ??= server.createDatabase();
          const url = await database;
          urls.add(url);
          return openAuditLog({ url, writer: { instance }, checkpointEvery: CHECKPOINT_EVERY });
        },
      };
    },
    close: () => server.stop(),
  };
}
