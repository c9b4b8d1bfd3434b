// The authorization suite with audit logs on PostgreSQL (one database every writer shares; a real server
// on loopback), and its records checked against the answers (auditTrailSuite.ts). In CI (CI=true) a
// missing PostgreSQL fails this file; elsewhere it is skipped with a message.
import { postgresAuditBackend } from '../support/auditBackends';
import { findPostgresBin } from '../audit/support/postgres';
import { auditTrailSuite } from './auditTrailSuite';

if (findPostgresBin() === undefined) {
  if (process.env['CI'] === 'true')
    throw new Error(
      'PostgreSQL is not installed, and CI must run the PostgreSQL audit tests: .ci/run needs `apt-get install -y postgresql`.',
    );
  console.warn(
    'Skipping the PostgreSQL audit trail tests: PostgreSQL is not installed (`apt-get install -y postgresql` to run them).',
  );
  describe.skip('the audit trail on PostgreSQL', () => it('needs PostgreSQL', () => undefined));
} else {
  auditTrailSuite('PostgreSQL', async () => {
    const backend = await postgresAuditBackend();
    if ('skip' in backend) throw new Error(backend.skip);
    return backend;
  });
}
