/**
 * `accord alerts` (cli/commands/alerts.ts) in this process against the gateway's alert API with the
 * in-memory backend of test/gateway/alertBackendFixture.ts: a watch registered from flags, the watches
 * listed, alerts paged with the printed next-page command, an alert acknowledged; usage errors before
 * anything is sent. The watcher, owners and purpose come from the shipped agreements (alertScenario).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../cli/main';
import { EXIT } from '../../cli/exitCodes';
import type { Io } from '../../cli/io';
import { saveSession } from '../../cli/session';
import type { AlertCaller } from '../../gateway/alerts/alertBackend';
import { ALERT_ACTIONS } from '../../vocabulary';
import { TEST_NOW } from '../support/alliance';
import { alertScenario, type AlertScenario } from '../gateway/alertBackendFixture';
import { startAlertGateway, type AlertGateway } from '../gateway/alertsSupport';

const analyst = 'cli.alerts';
let alerts: AlertGateway;
let scenario: AlertScenario;
let home: string;
let env: Record<string, string>;

beforeAll(async () => {
  alerts = await startAlertGateway();
  scenario = alertScenario(alerts.policy, TEST_NOW);
  home = mkdtempSync(join(tmpdir(), 'accord-cli-alerts-'));
  env = {
    ACCORD_CLI_HOME: home,
    ACCORD_GATEWAY: alerts.alertsUrl.replace(/\/alerts$/, '/graphql'),
  };
  saveSession(env, {
    country: scenario.watcher,
    analyst,
    roles: ['analyst'],
    token: await alerts.token(scenario.watcher, analyst),
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
});

afterAll(async () => {
  await alerts?.stop();
  rmSync(home, { recursive: true, force: true });
});

async function accord(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    env,
    root: process.cwd(),
    now: () => Date.now(),
    readStdin: () => Promise.resolve(''),
    stdinIsTerminal: true,
  };
  const code = await run(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

it('registers a watch from flags, lists it, pages the alerts with the next-page command, and acknowledges one', async () => {
  alerts.backend.recipients = scenario.owners.map((owner) => owner.owner);
  let id: string;
  try {
    const registered = await accord(
      'alerts',
      'watch',
      `--case=${scenario.watcher}-CAS-000001`,
      `--purpose=${scenario.purpose}`,
      `--identifier=passport:number=M1234567,issuingCountry=${scenario.watcher}`,
      '--justification=The suspect is believed to travel to the region this month.',
      '--days=7',
      '--json',
    );
    expect(registered.code).toBe(EXIT.OK);
    const body = JSON.parse(registered.out) as {
      data: { registerWatch: { watch: { id: string; recipients: string[] }; warning: string | null } };
    };
    id = body.data.registerWatch.watch.id;
    expect(body.data.registerWatch.watch.recipients).toEqual(
      scenario.owners.map((owner) => owner.owner).sort(),
    );
    // The request as the flags gave it.
    const call = alerts.backend.calls.filter((made) => made.method === 'registerWatch').at(-1)!;
    expect(call.args).toEqual(
      expect.objectContaining({
        identifiers: [{ kind: 'passport', number: 'M1234567', issuingCountry: scenario.watcher }],
        days: 7,
      }),
    );
  } finally {
    alerts.backend.recipients = [];
  }

  const listed = await accord('alerts', 'list');
  expect(listed.code).toBe(EXIT.OK);
  expect(listed.out).toContain(id);

  const caller = { requester: { country: scenario.watcher, analyst }, requestId: 'test' } as AlertCaller;
  const watch = (await alerts.backend.watches(caller)).find((entry) => entry.id === id)!;
  const { owner, basis } = scenario.owners[0];
  const first = alerts.backend.append(owner, watch, basis);
  const second = alerts.backend.append(owner, watch, basis);
  const page = await accord('alerts', 'since', '--limit=1');
  expect(page.code).toBe(EXIT.OK);
  expect(page.out).toContain(first.notice.noticeId);
  expect(page.out).not.toContain(second.notice.noticeId);
  // The printed command reads on from there.
  const next = /^next: accord (alerts since --after=\S+)$/m.exec(page.out);
  expect(next).not.toBeNull();
  const following = await accord(...next![1]!.split(' '));
  expect(following.out).toContain(second.notice.noticeId);
  expect(following.out).not.toContain(first.notice.noticeId);

  const acknowledged = await accord('alerts', 'ack', owner, first.notice.noticeId, ALERT_ACTIONS[0]);
  expect(acknowledged.code).toBe(EXIT.OK);
  expect(acknowledged.out).toContain(`${first.notice.noticeId}: ${ALERT_ACTIONS[0]}`);
});

it('refuses a bad command line before anything is sent, and passes the gateway refusal on', async () => {
  const before = alerts.backend.calls.length;
  for (const argv of [
    ['alerts'],
    ['alerts', 'nope'],
    ['alerts', 'watch', '--purpose=investigation'],
    ['alerts', 'watch', '--case=X', '--purpose=P', '--identifier=passport', '--justification=J', '--days=1'],
    ['alerts', 'since', '--limit=ten'],
    ['alerts', 'ack', 'KH'],
  ]) {
    const answer = await accord(...argv);
    expect({ argv, code: answer.code }).toEqual({ argv, code: EXIT.USAGE });
  }
  expect(alerts.backend.calls.length).toBe(before);
  const help = await accord('alerts', '--help');
  expect(help.code).toBe(EXIT.OK);
  expect(help.out).toMatch(/^usage: accord alerts watch/);
  const refused = await accord('alerts', 'since', '--after=not one of mine');
  expect(refused.code).toBe(EXIT.REFUSED);
  expect(refused.out).toContain('BAD_USER_INPUT');
});
