// The gateway's records of alerts (docs/decisions/0019-alert-delivery.md, "Records of the alerts"): each
// notice delivered is a `notice.delivered` procedure record, each acknowledgement a `notice.acknowledged`
// one, durable before the answer leaves; when the log cannot take the record, nothing is delivered.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditLog, openAuditReader, type AuditLog } from '../../audit';
import { ERROR_CODES } from '../../schema';
import { ALERT_ACTIONS } from '../../vocabulary';
import type { WatchEntry } from '../../gateway/alerts/alertBackend';
import { TEST_NOW } from '../support/alliance';
import { alertScenario } from './alertBackendFixture';
import { ALERTS_SUBSCRIPTION, openStream, postAlerts, startAlertGateway } from './alertsSupport';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'accord-alert-audit-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const analyst = 'audit.t';

async function procedures(url: string): Promise<Record<string, unknown>[]> {
  const reader = await openAuditReader(url);
  try {
    return (await reader.query({ kinds: ['procedure'] })).map(
      (row) => row.entry!.body as Record<string, unknown>,
    );
  } finally {
    await reader.close();
  }
}

function watchOf(
  alerts: Awaited<ReturnType<typeof startAlertGateway>>,
  watcher: string,
  purpose: WatchEntry['purpose'],
) {
  return alerts.backend.addWatch({
    id: `${watcher}-WCH-00000000-0000-4000-8000-000000000001`,
    watcher,
    analyst,
    caseReference: `${watcher}-CAS-000001`,
    purpose,
    createdAt: alerts.clock,
    expiresAt: alerts.clock + 86_400_000,
  });
}

it('records each delivery (stream and page) and each acknowledgement, with the notice and the watch', async () => {
  const url = `sqlite:${join(dir, 'gateway.db')}`;
  const log = await openAuditLog({ url, writer: { instance: 'gateway-1' } });
  const alerts = await startAlertGateway({ audit: log });
  try {
    const scenario = alertScenario(alerts.policy, TEST_NOW);
    const token = await alerts.token(scenario.watcher, analyst);
    const watch = watchOf(alerts, scenario.watcher, scenario.purpose);
    const sent = alerts.backend.append(scenario.owners[0].owner, watch, scenario.owners[0].basis);
    const stream = await openStream(alerts.alertsUrl, token, { query: ALERTS_SUBSCRIPTION });
    expect((await stream.next())?.id).toBe(sent.cursor);
    stream.close();
    const page = await postAlerts(alerts.alertsUrl, token, {
      query: '{ alertsSince { alerts { noticeId } } }',
    });
    expect(page.body.data).toEqual({ alertsSince: { alerts: [{ noticeId: sent.notice.noticeId }] } });
    const action = ALERT_ACTIONS[0];
    const acknowledged = await postAlerts(alerts.alertsUrl, token, {
      query: `mutation { acknowledgeAlert(owner: "${sent.notice.owner}", noticeId: "${sent.notice.noticeId}", action: ${action}) { action } }`,
    });
    expect(acknowledged.body.data).toEqual({ acknowledgeAlert: { action } });
    await alerts.stop();
    await log.close();
    const records = await procedures(url);
    const delivered = expect.objectContaining({
      act: 'notice.delivered',
      actor: { id: analyst, country: scenario.watcher, role: 'analyst' },
      owner: sent.notice.owner,
      noticeId: sent.notice.noticeId,
      watchId: watch.id,
      requester: { country: scenario.watcher, analysts: [analyst] },
      subjects: [sent.notice.subject],
      eventReference: sent.notice.eventReference,
      basis: sent.notice.basis,
    });
    expect(records).toEqual([
      delivered,
      delivered,
      expect.objectContaining({ act: 'notice.acknowledged', noticeId: sent.notice.noticeId, action }),
    ]);
  } finally {
    await alerts.stop();
  }
});

it('delivers nothing when the record cannot be written: the stream ends AUDIT_UNAVAILABLE', async () => {
  const url = `sqlite:${join(dir, 'failing.db')}`;
  const real = await openAuditLog({ url, writer: { instance: 'gateway-1' } });
  const failing: AuditLog = { ...real, append: () => Promise.reject(new Error('disk full')) };
  const alerts = await startAlertGateway({ audit: failing });
  try {
    const scenario = alertScenario(alerts.policy, TEST_NOW);
    const token = await alerts.token(scenario.watcher, analyst);
    const watch = watchOf(alerts, scenario.watcher, scenario.purpose);
    alerts.backend.append(scenario.owners[0].owner, watch, scenario.owners[0].basis);
    const stream = await openStream(alerts.alertsUrl, token, { query: ALERTS_SUBSCRIPTION });
    const events = await stream.rest();
    expect(events.map((event) => event.event)).toEqual(['next', 'complete']);
    expect(events[0]!.id).toBeUndefined();
    const payload = JSON.parse(events[0]!.data) as {
      data: unknown;
      errors: { extensions: { code: string } }[];
    };
    expect(payload.data).toBeNull();
    expect(payload.errors.map((error) => error.extensions.code)).toEqual([ERROR_CODES.AUDIT_UNAVAILABLE]);
    const page = await postAlerts(alerts.alertsUrl, token, {
      query: '{ alertsSince { alerts { noticeId } } }',
    });
    expect(page.body.data).toBeNull();
    expect(page.body.errors?.map((error) => error.extensions?.code)).toEqual([ERROR_CODES.AUDIT_UNAVAILABLE]);
  } finally {
    await alerts.stop();
    await real.close();
  }
});
