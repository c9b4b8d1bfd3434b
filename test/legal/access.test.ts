/**
 * The legal workbench on the gateway (issue 10, item 15): only a member's legal team may open it, and
 * nothing it serves is built on the request path.
 *
 * - /legal, /legal/, /legal/matrix.csv and /legal/matrix.md show every agreement in force, joint-team
 *   analyst ids included: no token, a refused token and a foreign token get the same 401; an analyst token
 *   without the role `legal` gets 403; none of these answers says anything of the agreements.
 * - The page and the matrix are built once per policy revision and UTC day, in another process, started
 *   with the gateway: a flood of matrix requests shares that one build (counted through the gateway's
 *   `onLegalBuild` hook), and refused requests never start one.
 * - The other routes that need no token (/health; /explorer in development) say nothing of the agreements.
 * - `npm run token -- --roles legal` mints the token that opens it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, type RunningGateway } from '../../gateway';
import { ensureExplorerBuilt } from '../../gateway/explorer';
import type { LegalBuild } from '../../legal';
import { loadDefaultPolicy } from '../../policy';
import { MEMBERS } from '../../schema';
import { tokenCommand } from '../../scripts/token';
import { LEGAL_TEAM_ROLE, localTrust, type LocalTrust } from '../../trust';
import { TODAY } from './support';

const DAY_MS = 86_400_000;
const policy = loadDefaultPolicy();
const PATHS = ['/legal', '/legal/', '/legal/matrix.csv', '/legal/matrix.md'];

/** What the workbench reveals and nothing else may: the joint teams' analyst ids and the agreement ids, from the agreements. */
const teamAnalysts = [
  ...new Set(
    policy.set.agreements.flatMap((agreement) =>
      agreement.clauses.flatMap((clause) => Object.values(clause.conditions.jointTeam?.members ?? {}).flat()),
    ),
  ),
];
const agreementIds = policy.set.agreements.map((agreement) => agreement.id);
const teamIds = [
  ...new Set(
    policy.set.agreements.flatMap((agreement) =>
      agreement.clauses.flatMap((clause) => clause.conditions.jointTeam?.id ?? []),
    ),
  ),
];

function revealsNothing(
  body: string,
  what: readonly string[] = [...teamAnalysts, ...teamIds, ...agreementIds],
): void {
  for (const secret of what) expect(body).not.toContain(secret);
}

describe('the legal workbench on the gateway', () => {
  let dir: string;
  let trust: LocalTrust;
  let gateway: RunningGateway;
  let origin: string;
  let clock = TODAY;
  const builds: LegalBuild[] = [];

  beforeAll(async () => {
    expect(teamAnalysts.length).toBeGreaterThan(0);
    // The explorer's page is asked for below: built here, not left to whichever test ran before.
    await ensureExplorerBuilt();
    dir = mkdtempSync(join(tmpdir(), 'accord-legal-access-'));
    trust = localTrust(
      join(dir, 'data'),
      MEMBERS.map((member) => member.code),
    );
    gateway = await startGateway({
      analysts: trust.analysts(),
      signer: trust.signer(),
      host: '127.0.0.1',
      port: 0,
      dev: true,
      now: () => clock,
      onLegalBuild: (build) => builds.push(build),
    });
    origin = new URL(gateway.url).origin;
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, token?: string) =>
    fetch(`${origin}${path}`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });

  test('a flood of matrix requests, with and without a legal-team token, shares the one build started with the gateway', async () => {
    const legal = await trust.analystToken('KR', 'legal.kr', [LEGAL_TEAM_ROLE]);
    const flood = await Promise.all(
      Array.from({ length: 40 }, (_, i) => get('/legal/matrix.csv', i % 2 === 0 ? legal : undefined)),
    );
    const statuses = flood.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(20);
    expect(statuses.filter((status) => status === 401)).toHaveLength(20);
    const bodies = new Set(
      await Promise.all(
        flood.filter((response) => response.status === 200).map((response) => response.text()),
      ),
    );
    expect(bodies.size).toBe(1);
    const [csv] = [...bodies];
    expect(csv!.split('\r\n')[0]).toMatch(/^requester,owner,field,category,purpose,effect/);
    // One build for this revision and day, in another process: the gateway's event loop never ran it.
    expect(builds).toHaveLength(1);
    expect(builds[0]).toMatchObject({ revision: policy.revision, at: TODAY });
    expect(builds[0]!.pid).not.toBe(process.pid);

    // The page and the Markdown come from the same build.
    expect((await get('/legal', legal)).status).toBe(200);
    expect((await get('/legal/matrix.md', legal)).status).toBe(200);
    expect(builds).toHaveLength(1);
  }, 120_000);

  test('no token, a bad token, a foreign token: the same 401 that says what is needed and nothing else', async () => {
    const foreignDir = mkdtempSync(join(tmpdir(), 'accord-legal-foreign-'));
    try {
      // Same issuer names, other keys: a forged legal-team token.
      const forged = await localTrust(foreignDir, ['KR']).analystToken('KR', 'legal.kr', [LEGAL_TEAM_ROLE]);
      const attempts = [
        undefined,
        'not-a-token',
        forged,
        `${(await trust.analystToken('KR', 'legal.kr', [LEGAL_TEAM_ROLE])).slice(0, -4)}AAAA`,
      ];
      const answers = new Set<string>();
      for (const path of PATHS) {
        for (const token of attempts) {
          const response = await get(path, token);
          expect({ path, token, status: response.status }).toEqual({ path, token, status: 401 });
          expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
          const body = await response.text();
          revealsNothing(body);
          answers.add(body);
        }
      }
      expect([...answers]).toEqual([
        expect.stringMatching(/needs a legal-team token: Authorization: Bearer .* with the role "legal"/),
      ]);
    } finally {
      rmSync(foreignDir, { recursive: true, force: true });
    }
  });

  test("an analyst's token without the legal-team role: 403, whoever the analyst", async () => {
    for (const member of MEMBERS) {
      for (const analyst of [...teamAnalysts.slice(0, 1), 'lee.h']) {
        const token = await trust.analystToken(member.code, analyst);
        for (const path of PATHS) {
          const response = await get(path, token);
          expect({ path, status: response.status }).toEqual({ path, status: 403 });
          const body = await response.text();
          expect(body).toMatch(/for legal teams: this token does not carry the role "legal"/);
          revealsNothing(body);
        }
      }
    }
  });

  test('a legal-team token of any member opens the page, which shows the joint teams', async () => {
    for (const member of MEMBERS) {
      const response = await get(
        '/legal',
        await trust.analystToken(member.code, 'legal.team', ['analyst', LEGAL_TEAM_ROLE]),
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
      const html = await response.text();
      expect(html).toContain(policy.revision);
      for (const analyst of teamAnalysts) expect(html).toContain(analyst);
    }
    expect(builds).toHaveLength(1);
  });

  test('the next UTC day builds once more, on the first legal-team request, then serves that build', async () => {
    const legal = await trust.analystToken('KH', 'legal.kh', [LEGAL_TEAM_ROLE]);
    const analystToken = await trust.analystToken('KH', 'sok.r');
    const before = builds.length;
    clock = TODAY + DAY_MS;
    // Refused requests never start a build.
    const refused = await Promise.all(
      Array.from({ length: 10 }, (_, i) => get('/legal/matrix.csv', i % 2 === 0 ? undefined : analystToken)),
    );
    expect(refused.map((response) => response.status).sort()).toEqual([
      ...Array.from({ length: 5 }, () => 401),
      ...Array.from({ length: 5 }, () => 403),
    ]);
    expect(builds).toHaveLength(before);
    const responses = await Promise.all(Array.from({ length: 10 }, () => get('/legal/matrix.md', legal)));
    expect(responses.map((response) => response.status)).toEqual(Array.from({ length: 10 }, () => 200));
    expect(await responses[0]!.text()).toMatch(/^# Permission matrix on 2026-06-02/);
    expect(builds.slice(before)).toEqual([
      expect.objectContaining({ revision: policy.revision, at: TODAY + DAY_MS }),
    ]);
  }, 120_000);

  test('the routes that need no token say nothing of the agreements', async () => {
    const health = await get('/health');
    expect(health.status).toBe(200);
    const body = (await health.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['ok', 'supergraph']);
    revealsNothing(JSON.stringify(body));
    // The development explorer is a static page: its example token names the README's demo analyst, and
    // nothing of the agreements.
    const explorer = await get('/explorer');
    expect(explorer.status).toBe(200);
    revealsNothing(await explorer.text(), [...teamIds, ...agreementIds]);
  });

  test('npm run token -- --roles legal mints the token that opens it', async () => {
    let out = '';
    const code = await tokenCommand(
      ['--country', 'PH', '--analyst', 'legal.ph', '--roles', LEGAL_TEAM_ROLE],
      {
        out: (text) => (out += text),
        err: () => undefined,
        env: { ACCORD_DATA_DIR: join(dir, 'data') },
        root: dir,
      },
    );
    expect(code).toBe(0);
    expect((await get('/legal/matrix.csv', out.trim())).status).toBe(200);
  });
});
