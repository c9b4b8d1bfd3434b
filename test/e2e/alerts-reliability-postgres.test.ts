// Issue 11's reliability tests with the hub's alert log on PostgreSQL (ACCORD_ALERTS_URL; a real server on
// loopback, test/audit/support/postgres.ts): alertsReliabilitySuite.ts. In CI (CI=true) a missing
// PostgreSQL fails this file; elsewhere it is skipped with a message, as the audit tests do.
import { findPostgresBin, startPostgres } from '../audit/support/postgres';
import { alertsReliabilitySuite, postgresHubLog } from './alertsReliabilitySuite';

if (findPostgresBin() === undefined) {
  if (process.env['CI'] === 'true')
    throw new Error(
      'PostgreSQL is not installed, and CI must run the alert reliability tests on PostgreSQL: .ci/run needs `apt-get install -y postgresql`.',
    );
  console.warn(
    'Skipping the alert reliability tests on PostgreSQL: PostgreSQL is not installed (`apt-get install -y postgresql` to run them).',
  );
  describe.skip('alert reliability on PostgreSQL', () => it('needs PostgreSQL', () => undefined));
} else {
  alertsReliabilitySuite('PostgreSQL', async () => {
    const started = await startPostgres();
    if (!started.server) throw new Error(started.skip);
    const server = started.server;
    return postgresHubLog(await server.createDatabase(), () => server.stop());
  });
}
