import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GATEWAY_DEFAULT_PORT, MEMBERS, subgraphName } from '../../schema';
import { READY_TIMEOUT_MS, ROOT, RunningAccord } from './runningAccord';
import { buildAccord, pathWithAccord } from '../support/accordCli';

// The README's follow-up walk (hit → request → approval → data → revocation), run as written against
// `npm start`: the bash blocks between `<!-- follow-up walk: begin -->` and `<!-- follow-up walk: end -->`,
// each named by the comment before it, pasted one after the other into one shell (the variables one step
// sets are the next step's), with the default ports replaced by the ones the supervisor reports and the
// README's `data/` by the services' fresh data folder. Nothing else of the commands is changed. `accord`
// is on the PATH (as the quick start says), with its token file in a folder of the test's own, and finds
// the gateway's free port in ACCORD_GATEWAY.

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const run = promisify(execFile);

const SUBJECT = 'KH-SUS-000001';
const AGREEMENT = 'kr-kh-mlat-2021';
const CATEGORIES = ['person.identity', 'financial.accounts'];

/** The walk's steps, by name, in the README's order. */
function walkSteps(): Map<string, string> {
  const begin = README.indexOf('<!-- follow-up walk: begin -->');
  const end = README.indexOf('<!-- follow-up walk: end -->');
  expect(begin).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(begin);
  const section = README.slice(begin, end);
  const steps = new Map<string, string>();
  for (const [, name, code] of section.matchAll(
    /<!-- follow-up walk: ([\w-]+) -->\s*```bash\n([\s\S]*?)\n```/g,
  ))
    steps.set(name!, code!);
  return steps;
}

interface Answer {
  data?: {
    suspect?: { fullName: string | null; financialAccounts: { number: string }[] | null } | null;
  } | null;
  errors?: {
    path?: string[];
    extensions?: { code?: string; routes?: { agreement: string; clause: string }[] };
  }[];
  extensions?: {
    accord?: { hits?: Record<string, string> };
    obligations?: Record<
      string,
      {
        releases: {
          agreement: string;
          clause: string;
          grant?: string;
          categories: string[];
          obligations?: { grant?: string };
        }[];
      }
    >;
  };
}

const json = <T>(line: string | undefined): T => JSON.parse(line ?? 'null') as T;
const lines = (text: string | undefined): string[] =>
  (text ?? '').split('\n').filter((line) => line.trim() !== '');
const errorOf = (answer: Answer, field: string) =>
  (answer.errors ?? []).find((e) => e.path?.at(-1) === field)?.extensions;

describe("the README's follow-up walk, pasted into a shell while npm start runs", () => {
  let accord: RunningAccord;
  let localize: (command: string) => string;
  let gatewayUrl: string;
  const cliHome = mkdtempSync(join(tmpdir(), 'accord-walk-cli-'));

  beforeAll(async () => {
    buildAccord();
    accord = new RunningAccord('npm', ['start', '--', '--free-ports'], { detached: true });
    const services = await accord.ready();
    gatewayUrl = services.get('gateway')!.url;
    // Default port → the port the supervisor reports, for the gateway and every member (the desk is on the member's port).
    const ports = new Map<number, string>([
      [GATEWAY_DEFAULT_PORT, new URL(services.get('gateway')!.url).port],
    ]);
    for (const member of MEMBERS)
      ports.set(member.defaultPort, new URL(services.get(subgraphName(member.code))!.url).port);
    localize = (command) =>
      command
        .replace(/http:\/\/127\.0\.0\.1:(\d+)/g, (whole, port: string) =>
          ports.has(Number(port)) ? `http://127.0.0.1:${ports.get(Number(port))}` : whole,
        )
        .replaceAll('sqlite:data/', `sqlite:${accord.dataDir}/`);
  }, READY_TIMEOUT_MS + 30_000);

  afterAll(async () => {
    if (accord?.process.pid !== undefined) {
      // The whole process group: the supervisor, npm and every service.
      try {
        process.kill(-accord.process.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await accord?.cleanup();
    rmSync(cliHome, { recursive: true, force: true });
  }, 60_000);

  /** Runs `names` of the walk in one shell; returns each step's output, by name. */
  async function paste(names: readonly string[]): Promise<Map<string, string>> {
    const steps = walkSteps();
    const script = names
      .map((name) => `printf '\\n@@step %s\\n' ${name}\n${localize(steps.get(name)!)}`)
      .join('\n');
    const { stdout } = await run('bash', ['-c', script], {
      cwd: ROOT,
      env: {
        ...process.env,
        ACCORD_DATA_DIR: accord.dataDir,
        ACCORD_CLI_HOME: cliHome,
        ACCORD_GATEWAY: gatewayUrl,
        PATH: pathWithAccord(),
      },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 300_000,
    });
    const outputs = new Map<string, string>();
    for (const part of stdout.split('\n@@step ').slice(1))
      outputs.set(part.slice(0, part.indexOf('\n')), part.slice(part.indexOf('\n') + 1));
    expect([...outputs.keys()]).toEqual(names);
    return outputs;
  }

  it('names its steps, each a bash block', () => {
    expect([...walkSteps().keys()]).toEqual([
      'hit',
      'file',
      'status',
      'desk-cli',
      'desk-http',
      'data',
      'revoke',
      'explain',
    ]);
  });

  it('hit, filing, status, approval at the desk (CLI), data under the grant, revocation, the grant explained', async () => {
    const out = await paste(['hit', 'file', 'status', 'desk-cli', 'data', 'revoke', 'explain']);

    // 1. The hit: names and accounts withheld, each with the MLAT route; the hit token captured.
    const [loginLine, hitAnswer, hitLine] = lines(out.get('hit'));
    expect(loginLine).toMatch(/^Logged in as kim\.j \(KR\) until /);
    const hit = json<Answer>(hitAnswer);
    expect(hit.data?.suspect).toEqual(expect.objectContaining({ fullName: null, financialAccounts: null }));
    expect(errorOf(hit, 'fullName')?.code).toBe('FOLLOW_UP_REQUIRED');
    const routed = [
      ...(errorOf(hit, 'fullName')?.routes ?? []),
      ...(errorOf(hit, 'financialAccounts')?.routes ?? []),
    ]
      .filter((r) => r.agreement === AGREEMENT)
      .map((r) => r.clause);
    // The filing invokes exactly the clauses the refusals named as routes.
    expect(walkSteps().get('file')).toContain(
      `"clauses": [${routed.map((c) => JSON.stringify(c)).join(', ')}]`,
    );
    const token = hit.extensions?.accord?.hits?.[SUBJECT];
    expect(token).toEqual(expect.any(String));
    expect(hitLine).toBe(`hit token: ${token}`);

    // 2. Filed: pending, with its id captured.
    const [filedAnswer, requestLine] = lines(out.get('file'));
    const filed = json<{ data: { fileFollowUpRequestKH: { id: string; state: string; dueAt: string } } }>(
      filedAnswer,
    ).data.fileFollowUpRequestKH;
    expect(filed).toEqual({
      id: expect.stringMatching(/^KH-FUR-\d{4}-[0-9a-f]{10}$/),
      state: 'PENDING',
      dueAt: expect.any(String),
    });
    const request = filed.id;
    expect(requestLine).toBe(`request: ${request}`);

    // 3. Its status: pending, due in seven days (NORMAL), not overdue, no grant yet.
    const status = json<{
      data: {
        followUpRequestsKH: {
          id: string;
          state: string;
          dueAt: string;
          overdue: boolean;
          grantId: string | null;
        }[];
      };
    }>(lines(out.get('status'))[0]);
    const mine = status.data.followUpRequestsKH.find((r) => r.id === request);
    expect(mine).toEqual({
      id: request,
      state: 'PENDING',
      dueAt: filed.dueAt,
      overdue: false,
      grantId: null,
      grantStatus: null,
      approvedCategories: null,
      validUntil: null,
      question: null,
    });
    const dueIn = Date.parse(filed.dueAt) - Date.now();
    expect(dueIn).toBeGreaterThan(6 * 86_400_000);
    expect(dueIn).toBeLessThanOrEqual(7 * 86_400_000);

    // 4. The desk lists it pending and approves it.
    const desk = out.get('desk-cli')!;
    expect(desk).toMatch(new RegExp(`${request}\\s+pending`));
    expect(desk).toContain(`approved: grant ${request} for ${CATEGORIES.join(', ')}`);

    // 5. Under the grant: names and accounts, the grant cited for each clause that released them.
    const data = json<Answer>(lines(out.get('data'))[0]);
    expect(data.errors).toBeUndefined();
    expect(data.data?.suspect?.fullName).toEqual(expect.any(String));
    expect(data.data?.suspect?.financialAccounts?.length).toBeGreaterThan(0);
    const underGrant = (data.extensions?.obligations?.['KH']?.releases ?? []).filter(
      (r) => r.grant === request,
    );
    expect(new Set(underGrant.map((r) => r.clause))).toEqual(new Set(routed));
    expect(underGrant.flatMap((r) => r.categories)).toEqual(expect.arrayContaining(CATEGORIES));
    for (const release of underGrant) expect(release.obligations?.grant).toBe(request);

    // 6. Revoked: the next request with the same reference gets the hit only again.
    const [revoked, after] = lines(out.get('revoke'));
    expect(revoked).toContain(`revoked: grant ${request}`);
    const again = json<Answer>(after);
    expect(again.data?.suspect).toEqual(expect.objectContaining({ fullName: null, financialAccounts: null }));
    expect(errorOf(again, 'fullName')?.code).toBe('FOLLOW_UP_REQUIRED');

    // The grant's trail in KH's log, and the workbench explaining it as revoked.
    const explain = out.get('explain')!;
    for (const kind of ['request.approved', 'grant.issued', 'grant.revoked']) expect(explain).toContain(kind);
    expect(explain).toContain(`Grant named by the request reference: REVOKED`);
  }, 360_000);

  it('the same, approved instead over the desk HTTP API', async () => {
    const out = await paste(['hit', 'file', 'desk-http', 'data']);
    const request = /^request: (\S+)$/m.exec(out.get('file')!)![1]!;
    const [listed, approved] = lines(out.get('desk-http')).map((line) => json<Record<string, unknown>>(line));
    expect((listed!['requests'] as { id: string; state: string }[]).find((r) => r.id === request)).toEqual(
      expect.objectContaining({ state: 'pending' }),
    );
    expect(approved).toEqual(
      expect.objectContaining({
        grant: expect.objectContaining({ id: request, categories: CATEGORIES, status: 'valid' }),
      }),
    );
    const data = json<Answer>(lines(out.get('data'))[0]);
    expect(data.errors).toBeUndefined();
    expect(data.data?.suspect?.fullName).toEqual(expect.any(String));
    expect(data.data?.suspect?.financialAccounts?.length).toBeGreaterThan(0);
    expect((data.extensions?.obligations?.['KH']?.releases ?? []).some((r) => r.grant === request)).toBe(
      true,
    );
  }, 360_000);
});
