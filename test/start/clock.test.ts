// ACCORD_CLOCK (issue 10, item 17): every service's clock, fixed, for development and tests only.
// - read once, checked eagerly, with a message that shows the bad value;
// - refused outside development mode: by `npm start` without --dev, and by every service run alone
//   without ACCORD_DEV=1, before it creates anything;
// - under `npm start -- --dev`, the gateway, the hub and every member decide at the fixed instant (an
//   emergency the hub registers at that instant, which is after the real time, is accepted everywhere; a joint
//   team past its window no longer releases), and both sides' audit records carry it; analyst tokens,
//   signed with the real time, are still accepted.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clockFromEnv, parseInstant } from '../../lib/clock';
import { gatewayOptionsFromEnv } from '../../gateway';
import { startPlanFrom, StartConfigError } from '../../scripts/services';
import { buildServicesIfStale, compiledEntry } from '../../scripts/serviceBuild';
import { presentEntries } from '../../scripts/supervisor';
import { loadDefaultPolicy } from '../../policy';
import { MEMBERS, formatGlobalId } from '../../schema';
import { createWorld } from '../../subgraphs/reference';
import { DEFAULT_ANALYST_AUDIENCE, signDemoAnalystToken } from '../../trust';
import { openAuditReader, type CrossingBody } from '../../audit';
import { READY_TIMEOUT_MS, ROOT, RunningAccord } from './runningAccord';

const DAY_MS = 86_400_000;
const BAD_VALUES = [
  '2026-06-15',
  '2026-06-15T09:00:00',
  'tomorrow',
  '2026-02-30T09:00:00Z',
  '2026-06-15T24:00:00Z',
  '1781514000000',
  ' 2026-06-15T09:00:00Z',
];

describe('ACCORD_CLOCK, read and checked', () => {
  it('is the real clock when unset', () => {
    expect(clockFromEnv({}).fixedAt).toBeUndefined();
    expect(clockFromEnv({ ACCORD_DEV: '1', ACCORD_CLOCK: '' }).fixedAt).toBeUndefined();
  });

  it('stands still at the instant in development mode, whatever its time zone', () => {
    const clock = clockFromEnv({ ACCORD_DEV: '1', ACCORD_CLOCK: '2026-06-15T18:00:00.250+09:00' });
    expect(clock.now()).toBe(Date.UTC(2026, 5, 15, 9, 0, 0, 250));
    expect(clock.now()).toBe(clock.now());
    expect(clock.fixedAt).toBe('2026-06-15T09:00:00.250Z');
  });

  it('is refused outside development mode, with the value and how to turn it on', () => {
    for (const env of [
      { ACCORD_CLOCK: '2026-06-15T09:00:00Z' },
      { ACCORD_CLOCK: '2026-06-15T09:00:00Z', ACCORD_DEV: '0' },
    ]) {
      expect(() => clockFromEnv(env)).toThrow(
        /ACCORD_CLOCK \("2026-06-15T09:00:00Z"\) .*development and tests only.*npm start -- --dev/,
      );
    }
  });

  it.each(BAD_VALUES)('refuses %j with a message that shows it, in development mode too', (value) => {
    expect(() => clockFromEnv({ ACCORD_DEV: '1', ACCORD_CLOCK: value })).toThrow(
      `ACCORD_CLOCK must be an ISO 8601 instant with its time zone, e.g. 2026-06-15T09:00:00Z, not ${JSON.stringify(value)}.`,
    );
  });

  it("is the gateway's clock, read before the gateway creates anything", () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-clock-'));
    const saved = process.env['ACCORD_DATA_DIR'];
    process.env['ACCORD_DATA_DIR'] = dir;
    try {
      expect(() =>
        gatewayOptionsFromEnv({ ACCORD_CLOCK: '2026-06-15T09:00:00Z', ACCORD_DEMO_IDENTITY: '1' }),
      ).toThrow(/refused outside development mode/);
      expect(readdirSync(dir)).toEqual([]);
      const options = gatewayOptionsFromEnv({
        ACCORD_DEV: '1',
        ACCORD_CLOCK: '2026-06-15T09:00:00Z',
        ACCORD_DEMO_IDENTITY: '1',
      });
      expect(options.now!()).toBe(Date.parse('2026-06-15T09:00:00Z'));
    } finally {
      if (saved === undefined) delete process.env['ACCORD_DATA_DIR'];
      else process.env['ACCORD_DATA_DIR'] = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is refused by npm start without --dev, and a bad value with it', () => {
    expect(() => startPlanFrom([], { ACCORD_CLOCK: '2026-06-15T09:00:00Z' })).toThrow(StartConfigError);
    expect(() => startPlanFrom([], { ACCORD_CLOCK: '2026-06-15T09:00:00Z' })).toThrow(
      /"2026-06-15T09:00:00Z".*add --dev/,
    );
    expect(() => startPlanFrom(['--dev'], { ACCORD_CLOCK: 'tomorrow' })).toThrow('not "tomorrow"');
    expect(startPlanFrom(['--dev'], { ACCORD_CLOCK: '2026-06-15T09:00:00Z' }).clock).toBe(
      '2026-06-15T09:00:00.000Z',
    );
    expect(startPlanFrom([], {}).clock).toBeUndefined();
  });
});

/** Runs a command to its end; its exit code and everything it printed. */
function runToExit(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

/** This environment without Accord's settings, on free ports, with a fresh data folder. */
function cleanEnv(dataDir: string, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!/^(PORT|ACCORD_.*)$/.test(name)) env[name] = value;
  return { ...env, ACCORD_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ...extra };
}

describe('ACCORD_CLOCK outside development mode, at start-up', () => {
  const plan = startPlanFrom(['--free-ports'], {});
  const services = [plan.gateway, ...plan.subgraphs];
  const refusesAndCreatesNothing = async (command: string, args: readonly string[]): Promise<void> => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-clock-'));
    try {
      const { code, output } = await runToExit(
        command,
        args,
        cleanEnv(dir, { ACCORD_CLOCK: '2026-06-15T09:00:00Z', ACCORD_DEMO_IDENTITY: '1' }),
      );
      expect(code).toBe(1);
      expect(output).toMatch(/ACCORD_CLOCK \("2026-06-15T09:00:00Z"\) .*refused outside development mode/);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  // Each service as npm start and npm run deploy run it: its bundle in dist/ (scripts/serviceBuild.ts,
  // docs/decisions/0017), compiled first from today's sources when one changed, as npm start does.
  beforeAll(() => buildServicesIfStale(ROOT, presentEntries(ROOT, plan)), READY_TIMEOUT_MS);

  it.each(services.map((s) => [s.name, s.entry]))(
    '%s (%s) refuses it and creates nothing',
    (_name, entry) =>
      refusesAndCreatesNothing(process.execPath, ['--enable-source-maps', compiledEntry(ROOT, entry)]),
    60_000,
  );

  // And run alone from its sources, as README.md shows (`npx tsx gateway/main.ts`): the same source as
  // the bundles above, through tsx's loader; once, for the gateway (a tsx start-up costs seconds each).
  it(
    `${plan.gateway.name} (${plan.gateway.entry}) under tsx refuses it and creates nothing`,
    () => refusesAndCreatesNothing(join(ROOT, 'node_modules', '.bin', 'tsx'), [plan.gateway.entry]),
    60_000,
  );

  it('npm start refuses it without --dev, and a bad value with --dev, before starting anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-clock-'));
    try {
      const refused = await runToExit(
        'npm',
        ['start', '--', '--free-ports'],
        cleanEnv(dir, { ACCORD_CLOCK: '2026-06-15T09:00:00Z' }),
      );
      expect(refused.code).toBe(2);
      expect(refused.output).toMatch(/ACCORD_CLOCK \("2026-06-15T09:00:00Z"\) .*add --dev/);
      const bad = await runToExit(
        'npm',
        ['start', '--', '--dev', '--free-ports'],
        cleanEnv(dir, { ACCORD_CLOCK: '2026-13-01T00:00:00Z' }),
      );
      expect(bad.code).toBe(2);
      expect(bad.output).toContain('not "2026-13-01T00:00:00Z"');
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('npm start -- --dev with ACCORD_CLOCK', () => {
  const policy = loadDefaultPolicy();
  const world = createWorld();
  // The scenario's joint team, from the agreement set, and a record of its operation held by a party.
  const team = policy.set.agreements.flatMap((a) => a.clauses).find((c) => c.conditions.jointTeam)!.conditions
    .jointTeam!;
  const [requester, owner] = Object.keys(team.members) as [string, string];
  const record = (() => {
    for (let serial = 1; serial <= world.count(owner, 'Suspect'); serial++) {
      const id = formatGlobalId(owner, 'Suspect', serial);
      if (
        (world.record(id) as { operations?: readonly string[] } | undefined)?.operations?.includes(
          team.operation,
        )
      )
        return id;
    }
    throw new Error(`No ${owner} suspect of ${team.operation}.`);
  })();
  // Outside the team's window (the day after it ends), and after the real time, so that an emergency
  // declared at the fixed instant is "in the future" for any service that does not read the override.
  const teamEnds = Date.parse(`${team.validUntil}T00:00:00Z`) + DAY_MS;
  const fixed = new Date(Math.ceil(Math.max(teamEnds, Date.now() + DAY_MS) / 1000) * 1000).toISOString();
  let accord: RunningAccord;

  afterAll(async () => {
    await accord?.cleanup();
  }, 60_000);

  it(
    'decides at the fixed instant in the gateway, the hub and every member, and records it on both sides',
    async () => {
      expect(parseInstant(fixed)).toBeGreaterThan(Date.now());
      accord = new RunningAccord('npm', ['start', '--', '--dev'], {
        env: { ACCORD_CLOCK: fixed, ACCORD_DEV: undefined },
      });
      const services = await accord.ready();
      expect(accord.output).toContain(`every service's clock is fixed at ${fixed}`);
      const url = services.get('gateway')!.url;
      // Signed with the real time: token lifetimes are not moved by the clock.
      const token = await signDemoAnalystToken({
        dir: join(accord.dataDir, 'idp'),
        country: requester,
        analyst: team.members[requester]![0]!,
        audience: DEFAULT_ANALYST_AUDIENCE,
      });
      const headers = {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'accord-purpose': 'investigation',
        'accord-case': `${requester}-CAS-000001`,
        'accord-jit': team.id,
      };
      const ask = async (
        query: string,
        extra: Record<string, string> = {},
        variables?: Record<string, unknown>,
      ) => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { ...headers, ...extra },
          body: JSON.stringify({ query, variables }),
        });
        return {
          status: response.status,
          requestId: response.headers.get('accord-request-id'),
          body: (await response.json()) as {
            data?: Record<string, unknown>;
            errors?: { extensions?: Record<string, unknown> }[];
            extensions?: Record<string, unknown>;
          },
        };
      };

      // The hub registers an emergency at the fixed instant; through the hub to every member, a search names it.
      const declared = await ask(
        'mutation ($caseReference: String!, $justification: String!) { declareEmergency(caseReference: $caseReference, justification: $justification) { id registeredAt } }',
        {},
        {
          caseReference: `${requester}-CAS-000001`,
          justification: 'A victim held in a compound is at imminent risk of harm.',
        },
      );
      const registration = declared.body.data?.['declareEmergency'] as
        { id: string; registeredAt: string } | undefined;
      expect({
        status: declared.status,
        errors: declared.body.errors ?? [],
        registeredAt: registration?.registeredAt,
      }).toEqual({ status: 200, errors: [], registeredAt: fixed });
      const search = await ask('{ search(term: "Tiger") { country suspects { id } } }', {
        'accord-emergency': registration!.id,
      });
      expect({ status: search.status, errors: search.body.errors ?? [] }).toEqual({
        status: 200,
        errors: [],
      });
      expect((search.body.data!['search'] as { country: string }[]).map((s) => s.country).sort()).toEqual(
        MEMBERS.map((m) => m.code).sort(),
      );

      // The joint team's window is over at the fixed instant: its clauses release nothing.
      const asked = await ask(`{ suspect(id: "${record}") { id country fullName } }`);
      expect(asked.status).toBe(200);
      expect((asked.body.data!['suspect'] as { fullName: unknown }).fullName).toBeNull();
      const cited = JSON.stringify(asked.body.extensions?.['obligations'] ?? {});
      for (const agreement of policy.set.agreements.filter((a) =>
        a.clauses.some((c) => c.conditions.jointTeam?.id === team.id),
      ))
        expect(cited).not.toContain(agreement.id);

      // Both sides' records of both requests carry the fixed instant.
      const audit = join(accord.dataDir, 'audit');
      const stamps: { side: string; owner: string; at: string }[] = [];
      for (const file of readdirSync(audit).filter((name) => name.endsWith('.db'))) {
        const reader = await openAuditReader(`sqlite:${join(audit, file)}`);
        try {
          for (const found of await reader.query({ kinds: ['consultation', 'disclosure'] })) {
            const body = found.entry!.body as CrossingBody;
            if (body.requestId === asked.requestId || body.requestId === search.requestId)
              stamps.push({ side: body.side, owner: body.owner, at: found.entry!.at });
          }
        } finally {
          await reader.close();
        }
      }
      // Every member disclosed to the search, the owner to the question about its record.
      expect(new Set(stamps.filter((s) => s.side === 'disclosure').map((s) => s.owner))).toEqual(
        new Set(MEMBERS.map((m) => m.code)),
      );
      expect(stamps.filter((s) => s.side === 'consultation').length).toBeGreaterThan(0);
      expect(stamps.filter((s) => s.at !== fixed)).toEqual([]);
    },
    READY_TIMEOUT_MS + 60_000,
  );
});
