/**
 * `accord alerts` (cli/commands/alerts.ts) in this process against the gateway's alert API with the
 * in-memory backend of test/gateway/alertBackendFixture.ts: a watch registered from flags, the watches
 * listed, renewed and cancelled, alerts paged with the printed next-page command, an alert acknowledged
 * (and a second acknowledgement told as not recorded); usage errors before anything is sent, with the
 * purposes, actions and identifier kinds of the vocabulary and the members of the registry; a --gateway
 * that is a member's or the hub's told as not the gateway. The watcher, owners and purpose come from the
 * shipped agreements (alertScenario).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALERTS } from '../../cli/commands/alerts';
import { run } from '../../cli/main';
import { EXIT } from '../../cli/exitCodes';
import type { Io } from '../../cli/io';
import { saveSession } from '../../cli/session';
import type { AlertCaller } from '../../gateway/alerts/alertBackend';
import { MEMBERS } from '../../schema/members';
import { ALERT_ACTIONS, IDENTIFIER_KINDS, PURPOSES } from '../../vocabulary';
import { startAlliance } from '../support/alliance';
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

  // The owner as an analyst may type it: in lower case, sent as the registry writes it.
  const acknowledged = await accord(
    'alerts',
    'ack',
    owner.toLowerCase(),
    first.notice.noticeId,
    ALERT_ACTIONS[0],
  );
  expect(acknowledged.code).toBe(EXIT.OK);
  expect(acknowledged.out).toContain(`${first.notice.noticeId}: ${ALERT_ACTIONS[0]}`);
  expect(alerts.backend.calls.filter((made) => made.method === 'acknowledge').at(-1)!.args).toEqual(
    expect.objectContaining({ owner }),
  );
  // A second acknowledgement with another action keeps the first, and says so.
  const again = await accord('alerts', 'ack', owner, first.notice.noticeId, ALERT_ACTIONS[1]);
  expect(again.code).toBe(EXIT.OK);
  expect(again.out).toContain(`already acknowledged as ${ALERT_ACTIONS[0]}`);
  expect(again.out).toContain(`${ALERT_ACTIONS[1]} was not recorded`);
  expect(again.out).not.toContain(`${first.notice.noticeId}: ${ALERT_ACTIONS[0]}`);
});

it('renews and cancels a watch; the warning of a watch that went nowhere names a command that cancels it', async () => {
  // No recipient: the API's warning says how to cancel.
  alerts.backend.recipients = [];
  const registered = await accord(
    'alerts',
    'watch',
    `--case=${scenario.watcher}-CAS-000001`,
    `--purpose=${scenario.purpose}`,
    `--identifier=passport:number=M7654321,issuingCountry=${scenario.watcher}`,
    '--justification=The suspect is believed to travel to the region this month.',
    '--days=3',
  );
  expect(registered.code).toBe(EXIT.OK);
  const id = /^watch (\S+) registered/m.exec(registered.out)![1]!;
  const named = /\b(accord alerts \w+)/.exec(/warning: (.*)$/m.exec(registered.out)![1]!);
  expect(named).not.toBeNull();

  const renewed = await accord(
    'alerts',
    'renew',
    id,
    '--justification=Still expected to travel this month.',
    '--days=5',
  );
  expect(renewed.code).toBe(EXIT.OK);
  expect(renewed.out).toContain(`watch ${id} renewed`);
  expect(alerts.backend.calls.filter((made) => made.method === 'renewWatch').at(-1)!.args).toEqual({
    id,
    justification: 'Still expected to travel this month.',
    days: 5,
  });

  // The command the warning named, with the watch's id, cancels it.
  const cancelled = await accord(...named![1]!.split(' ').slice(1), id);
  expect(cancelled.code).toBe(EXIT.OK);
  expect(cancelled.out).toContain(`watch ${id} cancelled`);
  expect(alerts.backend.calls.filter((made) => made.method === 'cancelWatch').at(-1)!.args).toEqual({ id });
  const listed = await accord('alerts', 'list', '--json');
  const watches = (JSON.parse(listed.out) as { data: { watches: { id: string; running: boolean }[] } }).data
    .watches;
  expect(watches.find((watch) => watch.id === id)?.running).toBe(false);
});

it('checks purposes, actions, identifier kinds and owners against the lists, with the nearest ones, before sending', async () => {
  const before = alerts.backend.calls.length;
  const watchWith = (purpose: string, kind: string) => [
    'alerts',
    'watch',
    `--case=${scenario.watcher}-CAS-000001`,
    `--purpose=${purpose}`,
    `--identifier=${kind}:number=M1234567,issuingCountry=${scenario.watcher}`,
    '--justification=The suspect is believed to travel to the region this month.',
    '--days=7',
  ];
  // A letter dropped from a word of each list: the word is the nearest, and the whole list is shown.
  const typo = (word: string) => word.slice(0, 3) + word.slice(4);
  const owner = MEMBERS[0]!.code;
  const cases: [string[], string, readonly string[]][] = [
    [watchWith(typo(PURPOSES[0]), IDENTIFIER_KINDS[0]), PURPOSES[0], PURPOSES],
    [watchWith(PURPOSES[0], typo(IDENTIFIER_KINDS[0])), IDENTIFIER_KINDS[0], IDENTIFIER_KINDS],
    [['alerts', 'ack', owner, `${owner}-NTC-0`, typo(ALERT_ACTIONS[0])], ALERT_ACTIONS[0], ALERT_ACTIONS],
  ];
  for (const [argv, nearest, list] of cases) {
    const answer = await accord(...argv);
    expect({ argv, code: answer.code }).toEqual({ argv, code: EXIT.USAGE });
    expect(answer.err).toContain(`did you mean ${nearest}`);
    expect(answer.err).toContain(list.join(', '));
  }
  // An owner that is not a member, whatever its case, is refused with the members of the registry.
  const codes = MEMBERS.map((member) => member.code);
  const stranger = ['ZZ', 'XQ', 'QQ'].find((code) => !codes.includes(code))!;
  const refused = await accord('alerts', 'ack', stranger.toLowerCase(), 'X', ALERT_ACTIONS[0]);
  expect(refused.code).toBe(EXIT.USAGE);
  expect(refused.err).toContain(codes.join(', '));
  // An empty cursor is no cursor at all.
  const empty = await accord('alerts', 'since', '--after=');
  expect(empty.code).toBe(EXIT.USAGE);
  expect(alerts.backend.calls.length).toBe(before);
});

it("a --gateway that is a member's or the hub's is told it is not the gateway (exit 5), not to log in again", async () => {
  const alliance = await startAlliance({ alerts: {} });
  try {
    for (const [name, url] of Object.entries(alliance.subgraphUrls)) {
      const answer = await accord('alerts', 'list', `--gateway=${url}`);
      expect({ name, code: answer.code }).toEqual({ name, code: EXIT.UNREACHABLE });
      expect(answer.err).toContain('is not the gateway');
      expect(answer.err).not.toMatch(/log in again|accord login/i);
    }
  } finally {
    await alliance.stop();
  }
  // The gateway's own refusal of a token still says log in again.
  const other = mkdtempSync(join(tmpdir(), 'accord-cli-alerts-'));
  try {
    const refusedEnv = { ...env, ACCORD_CLI_HOME: other };
    saveSession(refusedEnv, {
      country: scenario.watcher,
      analyst,
      roles: ['analyst'],
      token: 'not.a.token',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const saved = env;
    env = refusedEnv;
    try {
      const answer = await accord('alerts', 'list');
      expect(answer.code).toBe(EXIT.AUTH);
      expect(answer.err).toMatch(/Log in again/);
    } finally {
      env = saved;
    }
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
}, 120_000);

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

it("refuses a flag the subcommand does not take, naming it and the subcommand's own, before anything is sent", async () => {
  // The oracle is the usage the analyst reads: each subcommand's line shows the flags it takes.
  const shown = new Map<string, string[]>();
  for (const [, sub, rest] of ALERTS.usage.matchAll(/accord alerts (\w+)([^\n]*)/g))
    shown.set(
      sub!,
      [...rest!.matchAll(/--([a-z-]+)/g)].map((match) => match[1]!),
    );
  expect([...shown.keys()].length).toBeGreaterThan(0);
  const common = ['gateway', 'json', 'help'];
  const args: Record<string, string[]> = {
    renew: ['W'],
    cancel: ['W'],
    ack: [MEMBERS[0]!.code, 'N', ALERT_ACTIONS[0]],
  };
  const before = alerts.backend.calls.length;
  let refusals = 0;
  for (const [sub, own] of shown) {
    const others = Object.keys(ALERTS.options).filter(
      (flag) => !own.includes(flag) && !common.includes(flag),
    );
    for (const flag of others) {
      const answer = await accord('alerts', sub, ...(args[sub] ?? []), `--${flag}=1`);
      expect({ sub, flag, code: answer.code }).toEqual({ sub, flag, code: EXIT.USAGE });
      expect(answer.err).toContain(`accord alerts ${sub} does not take --${flag}`);
      for (const taken of own) expect(answer.err).toContain(`--${taken}`);
      refusals += 1;
    }
  }
  expect(refusals).toBeGreaterThan(0);
  expect(alerts.backend.calls.length).toBe(before);
});
