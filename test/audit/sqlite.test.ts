/** The audit log suite on the embedded store: SQLite, WAL, synchronous=FULL. */
import { auditLogSuite } from './auditLogSuite';
import { sqliteBackend } from './support/backends';

describe('the audit log on SQLite', () => {
  auditLogSuite(() => Promise.resolve(sqliteBackend()));
});
