/**
 * Opens the store a log URL names: `sqlite:/path/file.db` (also `sqlite:relative/path.db`) or
 * `postgres://user@host:port/db` (`postgresql://` too, with every pg connection-string option).
 */
import { resolve } from 'node:path';
import { AuditError } from '../AuditError';
import type { AuditStore } from './AuditStore';
import { openPostgresStore } from './postgresStore';
import { openSqliteStore } from './sqliteStore';

export interface OpenStoreOptions {
  readonly create: boolean;
  readonly durability?: 'full' | 'off';
}

export async function openStore(url: string, options: OpenStoreOptions): Promise<AuditStore> {
  if (typeof url !== 'string' || url.trim() === '') {
    throw new AuditError(
      'BAD_URL',
      `An audit log URL is "sqlite:/path/file.db" or "postgres://user@host:port/db", not ${JSON.stringify(url)}.`,
    );
  }
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '' || path === ':memory:') {
      throw new AuditError(
        'BAD_URL',
        `A SQLite audit log needs a file path ("sqlite:/var/lib/accord/audit.db"), not ${JSON.stringify(url)}: an audit log in memory is not durable.`,
      );
    }
    return openSqliteStore(resolve(path), options);
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://'))
    return openPostgresStore(url, options);
  throw new AuditError(
    'BAD_URL',
    `An audit log URL is "sqlite:/path/file.db" or "postgres://user@host:port/db", not ${JSON.stringify(url.replace(/:[^:@/]*@/, ':***@'))}.`,
  );
}
