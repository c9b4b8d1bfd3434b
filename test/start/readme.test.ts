import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GATEWAY_DEFAULT_PORT, HUB_DEFAULT_PORT, HUB_NAME, MEMBERS, subgraphName } from '../../schema';
import { EXAMPLES, LOGIN_COMMAND, examplesScript } from '../../scripts/examples';
import { buildAccord, pathWithAccord } from '../support/accordCli';
import { portVariable } from '../../scripts/services';
import { isAlive, READY_TIMEOUT_MS, ROOT, RunningAccord, supervisorEnding } from './runningAccord';

// The README's quick start, kept true: what it shows is what `npm start` prints, and `npm start` run the
// way it says answers the examples it shows.

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const SCRIPTS = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;
const run = promisify(execFile);

/** Runs `command` in bash; resolves with its exit code and output, whatever the code. */
function bash(
  command: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', command],
      { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

describe('README.md', () => {
  it('gives the two-command quick start, and names only scripts that exist', () => {
    expect(README).toContain('\nnpm ci && npm start\n');
    expect(README).toContain('\nnpm test\n');
    // `exec`: a SIGTERM to npm's shell reaches the supervisor itself (dash does not pass it on). One
    // process, not tsx's command line: see test/start/ctrl-c.test.ts for why.
    expect(SCRIPTS['start']).toBe('exec node --import tsx scripts/start.ts');
    for (const [, script] of README.matchAll(/npm run (?:-s )?([\w:-]+)/g))
      expect(Object.keys(SCRIPTS)).toContain(script);
  });

  it('shows the example queries npm start prints, at the default port', () => {
    expect(README).toContain(
      `\`\`\`bash\n${examplesScript(`http://127.0.0.1:${GATEWAY_DEFAULT_PORT}/graphql`)}\n\`\`\``,
    );
  });

  it('has a port table true to the registry: the gateway, the hub, then the shipped members in registry order', () => {
    const rows = [...README.matchAll(/^\| `([\w-]+)` \| ([^|]+?) \| (\d+) \| `(\w+)` \|$/gm)].map(
      ([, name, what, port, variable]) => ({ name, what, port: Number(port), variable }),
    );
    const [gateway, hub, ...members] = rows;
    expect(gateway).toMatchObject({ name: 'gateway', port: GATEWAY_DEFAULT_PORT, variable: 'PORT' });
    expect(hub).toMatchObject({ name: HUB_NAME, port: HUB_DEFAULT_PORT, variable: portVariable(HUB_NAME) });
    // The table shows the members the repository ships with (the README says so), so a member added to
    // the registry since is not required in it; but every row it has is the registry's, in its order.
    expect(members.length).toBeGreaterThan(0);
    expect(members).toEqual(
      MEMBERS.slice(0, members.length).map((member) => ({
        name: subgraphName(member.code),
        what: member.authority,
        port: member.defaultPort,
        variable: portVariable(subgraphName(member.code)),
      })),
    );
    expect(README).toMatch(/The table shows the members Accord ships with/);
  });
});

describe('npm start, the way the README says', () => {
  let accord: RunningAccord;
  // accord's token file, in a folder of this test's own.
  const cliHome = mkdtempSync(join(tmpdir(), 'accord-readme-cli-'));

  beforeAll(() => buildAccord());

  afterAll(async () => {
    await accord?.cleanup();
    rmSync(cliHome, { recursive: true, force: true });
  }, 60_000);

  it(
    'answers the examples it prints, and stops every service on Ctrl-C',
    async () => {
      // Its own process group, so that a Ctrl-C can be sent the way a terminal sends it: to the whole group.
      accord = new RunningAccord('npm', ['start'], { detached: true });
      const services = await accord.ready();
      expect(services.size).toBe(2 + MEMBERS.length);

      const printed = accord.output.slice(
        accord.output.indexOf('Try it'),
        accord.output.indexOf('Stop with Ctrl-C.'),
      );
      const commands = printed
        .split('\n')
        .slice(1)
        .map((line) => line.replace(/^ {2}/, ''))
        .join('\n')
        .split(/\n\n+/)
        .map((chunk) => chunk.trim())
        .filter((chunk) => chunk !== '');
      // The login, then the examples; accord on the PATH, as the quick start says.
      expect(commands).toHaveLength(1 + EXAMPLES.length);
      // npm start was given its own data folder: the login names it, where the demo identity providers' keys are.
      expect(commands[0]).toBe(`ACCORD_DATA_DIR=${accord.dataDir} ${LOGIN_COMMAND}`);
      // Pasted as printed, with nothing else in the environment pointing at that folder.
      const env: NodeJS.ProcessEnv = { ...process.env, ACCORD_CLI_HOME: cliHome, PATH: pathWithAccord() };
      delete env['ACCORD_DATA_DIR'];
      const login = await bash(commands[0]!, env);
      expect(login.code).toBe(0);
      const answers = [];
      for (const command of commands.slice(1)) {
        // As printed: a table or the data for people, exit 0 or 4 (an answer with withheld fields).
        const printed = await bash(command, env);
        expect([0, 4]).toContain(printed.code);
        expect(printed.stdout).not.toBe('');
        // The same with --json: the gateway's whole answer.
        const json = await bash(`${command} --json`, env);
        expect(json.code).toBe(printed.code);
        answers.push(JSON.parse(json.stdout) as { data?: Record<string, unknown> | null });
      }

      const [search, compound, kase] = answers.map((answer) => answer.data);
      const found = (search?.['search'] as { country: string; suspects: unknown[] | null }[]).filter(
        (s) => (s.suspects ?? []).length > 0,
      );
      expect(found.length).toBeGreaterThanOrEqual(4);
      const operators =
        (compound?.['compound'] as { operators: { country: string }[] | null }).operators ?? [];
      expect(new Set(operators.map((o) => o.country)).size).toBeGreaterThanOrEqual(2);
      expect(kase?.['case']).toEqual(expect.objectContaining({ caseNumber: expect.any(String) }));

      // The README's audit check, as written, in a shell that exported npm start's data folder (as the
      // README says to): while they run, the gateway's chain is being written (no final checkpoint yet),
      // which verify says rather than BROKEN; once stopped, sealed.
      const verify = /`(npm run audit -- verify [^`]+)`/.exec(README)![1]!;
      const exported = { ...process.env, ACCORD_DATA_DIR: accord.dataDir };
      const live = await run('bash', ['-c', verify], { cwd: ROOT, env: exported });
      expect(live.stdout).toMatch(
        /gateway-1\.db: VERIFIED SO FAR \(being written by a running service\) — 1 chain\(s\), \d+ entries, keys pinned\./,
      );

      // The README's alerts walk, as written: kim.j watches Tiger's passport, and the stream gives a notice
      // of a crossing the member's simulator records (npm start runs it), references only.
      const walk = /<!-- alerts walk -->\s*```bash\n([\s\S]*?)\n```/.exec(README)![1]!;
      // At the gateway this npm start listens on (the README is written for the default port).
      const gatewayOrigin = new URL(services.get('gateway')!.url).origin;
      const [registerWatch, stream] = walk
        .replaceAll(`http://127.0.0.1:${GATEWAY_DEFAULT_PORT}`, gatewayOrigin)
        .split(/\n(?=curl )/);
      const registered = await bash(registerWatch!, env);
      expect(registered.code).toBe(0);
      const watch = (
        JSON.parse(registered.stdout) as {
          data: { registerWatch: { watch: { id: string; recipients: string[] }; unreached: string[] } };
        }
      ).data.registerWatch;
      expect(watch.watch.recipients.length).toBeGreaterThan(0);
      expect(watch.unreached).toEqual([]);
      // The stream never ends by itself: read up to its first notice (the simulator's, within seconds).
      const first = await bash(`${stream!} | grep -m1 '^data:'`, env);
      const alert = (
        JSON.parse(first.stdout.replace(/^data: ?/, '')) as {
          data: { alerts: { owner: string; subject: string; event: string } };
        }
      ).data.alerts;
      expect(watch.watch.recipients).toContain(alert.owner);
      expect(alert.event).toBe('border_movement');
      expect(alert.subject.startsWith(`${alert.owner}-SUS-`)).toBe(true);
      expect(first.stdout).not.toContain('M58402957');

      process.kill(-accord.process.pid!, 'SIGINT');
      // Waits for the whole group to end ('close': every process that shared the pipes). npm's own exit
      // status is not checked: which process of the group handles the Ctrl-C first is the scheduler's
      // choice, and npm then ends with 0, 130 or death by SIGINT for the same clean stop. What counts is
      // what the supervisor reports: its clean-stop line, printed only on its exit-0 path.
      await accord.exited;
      expect(supervisorEnding(accord.output)).toBe('clean');
      expect(accord.output).not.toMatch(/exited with code [1-9]/);
      expect([...services.values()].map((s) => s.pid).filter(isAlive)).toEqual([]);
      expect((await run('bash', ['-c', verify], { cwd: ROOT, env: exported })).stdout).toMatch(
        /gateway-1\.db: VERIFIED — 1 chain\(s\), \d+ entries, keys pinned\.\n {2}gateway-1: .*, sealed/,
      );
    },
    READY_TIMEOUT_MS + 60_000,
  );
});
