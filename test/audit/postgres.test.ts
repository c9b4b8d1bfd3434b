/**
 * The audit log suite on PostgreSQL: a real server started on loopback (test/audit/support/postgres.ts).
 * In CI (CI=true) a missing PostgreSQL fails this file; elsewhere it is skipped with a message.
 */
import { auditLogSuite } from './auditLogSuite';
import { postgresBackend } from './support/backends';
import { findPostgresBin } from './support/postgres';

const available = findPostgresBin() !== undefined;
if (!available) {
  if (process.env['CI'] === 'true')
    throw new Error(
      'PostgreSQL is not installed, and CI must run the PostgreSQL audit tests: .ci/run needs `apt-get install -y postgresql`.',
    );
  console.warn(
    'Skipping the PostgreSQL audit tests: PostgreSQL is not installed (`apt-get install -y postgresql` to run them).',
  );
}

(available ? describe : describe.skip)('the audit log on PostgreSQL', () => {
  auditLogSuite(async () => {
    const backend = await postgresBackend();
    if ('skip' in backend) throw new Error(backend.skip);
    return backend;
  });
});
