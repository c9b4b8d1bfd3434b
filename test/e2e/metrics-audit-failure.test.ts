// When the gateway cannot record a consultation, the answer is withheld (503 AUDIT_UNAVAILABLE): /metrics
// must count that request as an error, from the answer the client finally got, not the one the audit
// plugin replaced, and must still time the failed appends, with no decision counted as recorded.
import { AuditError, type AuditLog } from '../../audit';
import { GATEWAY_INSTANCE, analyst, startAlliance, type Alliance } from '../support/alliance';

const KR_ANALYST = analyst('KR', 'kim.j', { purpose: 'investigation', case: 'KR-CAS-000001' });

/** A log whose every append fails, as a full disk or a lost database would make it. */
function failingLog(instance: string): AuditLog {
  return {
    instance,
    publicKey: '',
    description: 'a failing log',
    append: () => Promise.reject(new AuditError('LOG_UNAVAILABLE', 'the disk is full')),
    checkpoint: () => Promise.reject(new AuditError('LOG_UNAVAILABLE', 'closed')),
    stats: () => ({ appended: 0, commits: 0, checkpoints: 0, pending: 0 }),
    close: () => Promise.resolve(),
  };
}

/** The value of one sample line `name{labels} value` (labels as written, in order), 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('/metrics when the audit log fails', () => {
  let alliance: Alliance;
  beforeAll(async () => {
    alliance = await startAlliance({
      audit: {
        open: (instance) => Promise.resolve(instance === GATEWAY_INSTANCE ? failingLog(instance) : undefined),
      },
    });
  });
  afterAll(() => alliance?.stop());

  it('counts the withheld answer as an error and times the failed appends', async () => {
    const metrics = `${new URL(alliance.gatewayUrl).origin}/metrics`;
    const before = await (await fetch(metrics)).text();
    const { status, body } = await alliance.query('{ search(term: "Tiger") { country suspects { id } } }', {
      headers: KR_ANALYST,
    });
    expect(status).toBe(503);
    expect(body.errors?.map((error) => error.extensions?.['code'])).toEqual(['AUDIT_UNAVAILABLE']);
    const after = await (await fetch(metrics)).text();
    const delta = (series: string): number => sample(after, series) - sample(before, series);
    expect(delta('accord_requests_total{outcome="error"}')).toBe(1);
    expect(delta('accord_requests_total{outcome="ok"}')).toBe(0);
    expect(delta('accord_audit_append_duration_seconds_count')).toBeGreaterThan(0);
    for (const effect of ['release', 'hit-only', 'withhold'])
      expect(delta(`accord_decisions_total{effect="${effect}"}`)).toBe(0);
  });
});
