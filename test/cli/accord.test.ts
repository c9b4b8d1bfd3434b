import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDefaultPolicy } from '../../policy';
import { MEMBERS } from '../../schema';
import { RECORD_KINDS } from '../../schema/ids';
import { DEFAULT_ANALYST_AUDIENCE, signDemoAnalystToken } from '../../trust';
import { PURPOSES } from '../../vocabulary';
import { DEMO_SEARCH_TERMS } from '../../subgraphs/reference';
import { startAlliance, type Alliance } from '../support/alliance';
import { INTERNAL, ROOT, accord, buildAccord } from '../support/accordCli';

// Every command of the built `accord` against a running alliance (five members, hub, gateway on free
// ports), as an analyst runs it: its own process, its own token file, exit codes and output checked.
// Exit codes (docs/analysts.md): 0 ok, 2 usage, 3 auth, 4 partial (withheld), 5 unreachable, 6 refused.

interface Body {
  data?: Record<string, unknown> | null;
  errors?: {
    message: string;
    path?: (string | number)[];
    extensions?: { code?: string; owner?: string; routes?: { agreement: string; clause: string }[] };
  }[];
  extensions?: Record<string, unknown>;
}

const TERM = DEMO_SEARCH_TERMS.sharedAlias;
const INVESTIGATION = ['--purpose', 'investigation'];

/**
 * A member that may tell this country's analyst it holds no such record: its agreements release record
 * references to an investigation declared with the purpose alone. Chosen from the agreements, so a member
 * admitted under stricter terms (a case reference required, say) is passed over.
 */
function ownerWhoMaySayNoRecord(country: string): string {
  const policy = loadDefaultPolicy();
  const requester = {
    country,
    analyst: 'cli.missing',
    roles: ['analyst'],
    purpose: 'investigation',
  } as const;
  const owner = MEMBERS.find(
    (member) =>
      member.code !== country &&
      policy.decide({ requester, owner: member.code, category: 'meta.reference', at: Date.now() }).effect ===
        'release',
  );
  if (owner === undefined)
    throw new Error(`no member releases record references to ${country} on a purpose alone`);
  return owner.code;
}
/** The calling code of the reference member whose phone numbers a prefix search pages through. */
const PHONE_PREFIX: Readonly<Record<string, string>> = { KR: '82' };

let alliance: Alliance;
let home: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  buildAccord();
  alliance = await startAlliance();
  home = mkdtempSync(join(tmpdir(), 'accord-cli-'));
  // The demo identity providers of this alliance (its data folder), the token file in a folder of the test's own.
  env = {
    ACCORD_DATA_DIR: alliance.dataDir,
    ACCORD_CLI_HOME: join(home, 'config'),
    ACCORD_GATEWAY: alliance.gatewayUrl,
  };
}, 180_000);

afterAll(async () => {
  await alliance?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

const parse = (stdout: string): Body => JSON.parse(stdout) as Body;
/** What the exit code must be for an answer, read from the answer itself. */
const expectedCode = (body: Body): number =>
  !body.errors?.length ? 0 : body.data && Object.values(body.data).some((v) => v !== null) ? 4 : 6;
const login = (country: string, analyst: string, extra: string[] = [], over: NodeJS.ProcessEnv = {}) =>
  accord(['login', '--country', country, '--analyst', analyst, ...extra], { ...env, ...over });

describe('accord, the command line', () => {
  it('prints its version: the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const run = await accord(['--version'], env);
    expect(run).toEqual({ code: 0, stdout: `accord ${version}\n`, stderr: '' });
  });

  it('answers an unknown command, flag, purpose or member with the nearest known ones (exit 2)', async () => {
    const command = await accord(['serch', TERM], env);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('did you mean search?');
    const flag = await accord(['search', TERM, '--purpse', 'investigation'], env);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('did you mean --purpose?');
    const purpose = await accord(['search', TERM, '--purpose', PURPOSES[0].slice(0, -1)], env);
    expect(purpose.code).toBe(2);
    expect(purpose.stderr).toContain(`did you mean ${PURPOSES[0]}`);
    const member = await login(`${MEMBERS[0]!.code.slice(0, 1)}Q`, 'kim.j');
    expect(member.code).toBe(2);
    expect(member.stderr).toContain(MEMBERS.map((m) => m.code).join(', '));
    const none = await accord([], env);
    expect(none.code).toBe(2);
    for (const run of [command, flag, purpose, member, none]) expect(run.stderr).not.toMatch(INTERNAL);
  });

  it('refuses every command but login before a login (exit 3), without asking the gateway', async () => {
    const fresh = { ...env, ACCORD_CLI_HOME: join(home, 'nobody') };
    for (const args of [
      ['search', TERM],
      ['record', `${MEMBERS[0]!.code}-SUS-000001`],
      ['query', '{ members { code } }'],
      ['token'],
    ]) {
      const run = await accord(args, fresh);
      expect(run.code).toBe(3);
      expect(run.stderr).toContain('accord login');
    }
  });

  it.each(MEMBERS.map((m) => m.code))(
    'logs in an analyst of %s: the token cached in a file only they can read, with its expiry',
    async (country) => {
      const before = Date.now();
      const run = await login(country, 'cli.analyst', ['--ttl', '600', '--json'], {
        ACCORD_CLI_HOME: join(home, `login-${country}`),
      });
      expect(run.code).toBe(0);
      const said = JSON.parse(run.stdout) as {
        country: string;
        analyst: string;
        expiresAt: string;
        file: string;
      };
      expect(said).toEqual(
        expect.objectContaining({
          country,
          analyst: 'cli.analyst',
          file: join(home, `login-${country}`, 'session.json'),
        }),
      );
      expect(statSync(said.file).mode & 0o777).toBe(0o600);
      expect(statSync(join(home, `login-${country}`)).mode & 0o777).toBe(0o700);
      const expires = Date.parse(said.expiresAt);
      expect(expires).toBeGreaterThan(before);
      expect(expires).toBeLessThanOrEqual(Date.now() + 600_000);
      // The token itself is in the file, never on the screen.
      expect(run.stdout).not.toContain(JSON.parse(readFileSync(said.file, 'utf8')).token);
    },
  );

  describe('logged in as an analyst of each member', () => {
    it.each(MEMBERS.map((m) => m.code))(
      '%s: search shows every record of the answer, withheld names marked, why beside them',
      async (country) => {
        const over = { ACCORD_CLI_HOME: join(home, `search-${country}`) };
        expect((await login(country, 'cli.search', [], over)).code).toBe(0);
        const json = await accord(['search', TERM, ...INVESTIGATION, '--json'], { ...env, ...over });
        const body = parse(json.stdout);
        expect(json.code).toBe(expectedCode(body));
        const answers = body.data!['search'] as {
          country: string;
          suspects: { id: string; fullName: string | null }[] | null;
        }[];
        expect(answers.map((a) => a.country).sort()).toEqual(MEMBERS.map((m) => m.code).sort());

        const human = await accord(['search', TERM, ...INVESTIGATION], { ...env, ...over });
        expect(human.code).toBe(json.code);
        const rows = human.stdout.split('\n');
        for (const suspect of answers.flatMap((a) => a.suspects ?? [])) {
          const row = rows.find((line) => line.includes(` ${suspect.id} `));
          expect(row).toBeDefined();
          const withheld = (body.errors ?? []).some(
            (e) =>
              e.path?.at(-1) === 'fullName' &&
              e.path.length === 5 &&
              answers[e.path[1] as number]?.suspects?.[e.path[3] as number]?.id === suspect.id,
          );
          if (suspect.fullName !== null) expect(row).toContain(suspect.fullName);
          else if (withheld) expect(row).toContain('(withheld)');
        }
        // Every refusal's code, owner and each route it names, below the table.
        for (const error of body.errors ?? []) {
          expect(human.stdout).toContain(error.extensions!.code!);
          if (error.extensions?.owner) expect(human.stdout).toContain(error.extensions.owner);
          for (const route of error.extensions?.routes ?? [])
            expect(human.stdout).toContain(`route: ${route.agreement} / ${route.clause}`);
        }
        expect(human.stderr).toBe('');
      },
    );
  });

  it('searches only the members --countries names', async () => {
    expect((await login(MEMBERS[0]!.code, 'cli.countries')).code).toBe(0);
    const chosen = MEMBERS.slice(-2).map((m) => m.code);
    const run = await accord(
      ['search', TERM, '--countries', chosen.join(',').toLowerCase(), ...INVESTIGATION, '--json'],
      env,
    );
    expect((parse(run.stdout).data!['search'] as { country: string }[]).map((a) => a.country).sort()).toEqual(
      [...chosen].sort(),
    );
    const wrong = await accord(['search', TERM, '--countries', `${chosen[0]},ZZ`], env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('"ZZ" is not a member');
  });

  it('pages one kind of one member: one record a page, the count, and the command for the next page', async () => {
    const own = MEMBERS[0]!.code;
    expect((await login(own, 'cli.pages')).code).toBe(0);
    // The requester's own records, by a prefix every phone number of the member shares: many matches, all visible.
    const term = `+${PHONE_PREFIX[own] ?? '82'} 10`;
    const all = parse(
      (
        await accord(
          [
            'search',
            term,
            '--countries',
            own,
            '--kind',
            'suspects',
            '--first',
            '3',
            ...INVESTIGATION,
            '--json',
          ],
          env,
        )
      ).stdout,
    );
    const connection = (
      all.data!['search'] as { suspectsConnection: { totalCount: number; nodes: { id: string }[] } }[]
    )[0]!.suspectsConnection;
    expect(connection.totalCount).toBeGreaterThan(3);
    const seen: string[] = [];
    // The first page with the declaration; each next page exactly as the one before printed it.
    let args = ['search', term, '--countries', own, '--kind', 'suspects', '--first', '1', ...INVESTIGATION];
    for (let page = 0; page < 3; page++) {
      const run = await accord(args, env);
      expect(run.code).toBe(0);
      seen.push(
        ...new Set([...run.stdout.matchAll(new RegExp(`\\b(${own}-SUS-\\d+)\\b`, 'g'))].map((m) => m[1]!)),
      );
      const line = run.stdout.split('\n').find((text) => text.startsWith(`${own}: `))!;
      expect(line).toContain(`1 of ${connection.totalCount} suspects shown`);
      const next = /next page: accord search '([^']+)' (.+)$/.exec(line);
      if (!next) throw new Error(run.stdout);
      expect(next[1]).toBe(term);
      // The declaration goes on to the next page: without it the next page is asked on no purpose.
      expect(next[2]).toContain(INVESTIGATION.join(' '));
      args = ['search', next[1]!, ...next[2]!.split(' ')];
    }
    // Page by page, the same three records as one page of three, in the same order.
    expect(seen).toEqual(connection.nodes.map((node) => node.id));
    const unpaged = await accord(['search', TERM, '--after', 'x', ...INVESTIGATION], env);
    expect(unpaged.code).toBe(2);
    expect(unpaged.stderr).toContain('--kind');
  });

  it("record: a foreign record with each withheld field, its reason and its routes; --json is the gateway's answer", async () => {
    const requester = MEMBERS[0]!.code;
    expect((await login(requester, 'cli.record')).code).toBe(0);
    // A foreign record the search found: the record view of it, field by field.
    const found = parse((await accord(['search', TERM, ...INVESTIGATION, '--json'], env)).stdout);
    const foreign = (found.data!['search'] as { country: string; suspects: { id: string }[] | null }[])
      .filter((a) => a.country !== requester)
      .flatMap((a) => a.suspects ?? []);
    expect(foreign.length).toBeGreaterThan(0);
    let sawWithheld = false;
    for (const { id } of foreign) {
      const json = await accord(['record', id, ...INVESTIGATION, '--json'], env);
      const body = parse(json.stdout);
      expect(json.code).toBe(expectedCode(body));
      const human = await accord(['record', id, ...INVESTIGATION], env);
      expect(human.code).toBe(json.code);
      expect(human.stdout.split('\n')[0]).toBe(`${id}  Suspect of ${id.slice(0, 2)}`);
      for (const error of body.errors ?? []) {
        const [root, field] = error.path ?? [];
        expect(root).toBe('suspect');
        if (error.path!.length === 2) {
          sawWithheld = true;
          expect(human.stdout).toMatch(
            new RegExp(`^${field}\\s+withheld \\(${error.extensions!.code}\\)$`, 'm'),
          );
        }
        for (const route of error.extensions?.routes ?? [])
          expect(human.stdout).toContain(`route: ${route.agreement} / ${route.clause}`);
      }
      const hits = (body.extensions?.['accord'] as { hits?: Record<string, string> } | undefined)?.hits ?? {};
      for (const [record, token] of Object.entries(hits))
        expect(human.stdout).toContain(`${record}  ${token}`);
    }
    expect(sawWithheld).toBe(true);
  });

  it.each(Object.entries(RECORD_KINDS))(
    "record: the requester's own %s: every field of its own released; only records it points to withheld",
    async (code, kind) => {
      const requester = MEMBERS[0]!.code;
      expect((await login(requester, 'cli.own')).code).toBe(0);
      const id = `${requester}-${code}-000001`;
      const json = await accord(['record', id, ...INVESTIGATION, '--json'], env);
      expect(json.stderr).toBe('');
      const body = parse(json.stdout);
      // Domestic: its own fields all come back; a record of another member it points to may be withheld.
      for (const error of body.errors ?? []) expect(error.path!.length).toBeGreaterThan(2);
      expect(json.code).toBe(expectedCode(body));
      const record = body.data![kind.toLowerCase()] as Record<string, unknown>;
      expect(record['id']).toBe(id);
      const human = await accord(['record', id, ...INVESTIGATION], env);
      expect(human.code).toBe(json.code);
      expect(human.stdout).not.toContain('withheld (');
      for (const field of Object.keys(record)) expect(human.stdout).toMatch(new RegExp(`^${field}\\s`, 'm'));
    },
  );

  it('record: an id nobody answers is refused (exit 6); a malformed id is a usage error (exit 2)', async () => {
    expect((await login(MEMBERS[0]!.code, 'cli.missing')).code).toBe(0);
    const missing = await accord(
      ['record', `${ownerWhoMaySayNoRecord(MEMBERS[0]!.code)}-SUS-999999`, ...INVESTIGATION],
      env,
    );
    expect(missing.code).toBe(6);
    expect(missing.stdout).toContain('no record');
    expect(missing.stdout).toContain('NOT_FOUND');
    const malformed = await accord(['record', 'SUS-1'], env);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('is not a record id');
  });

  describe('query', () => {
    const members = '{ members { code } }';
    const codes = MEMBERS.map((m) => m.code);
    const readCodes = (stdout: string): string[] =>
      ((JSON.parse(stdout) as { members: { code: string }[] }).members ?? []).map((m) => m.code);

    beforeAll(async () => {
      expect((await login(MEMBERS[0]!.code, 'cli.query')).code).toBe(0);
    });

    it('takes the document as the argument, from a file, or on standard input; people get the data as JSON', async () => {
      const file = join(home, 'members.graphql');
      writeFileSync(file, members);
      for (const [args, input] of [
        [[members], undefined],
        [['--file', file], undefined],
        [[], members],
        [['-'], members],
      ] as const) {
        const run = await accord(['query', ...args], env, input);
        expect(run.code).toBe(0);
        expect(readCodes(run.stdout)).toEqual(codes);
      }
      const both = await accord(['query', members, '--file', file], env);
      expect(both.code).toBe(2);
    });

    it('sends variables (--var, --variables) and the declaration flags as the Accord-* headers', async () => {
      const own = `${MEMBERS[0]!.code}-SUS-000001`;
      const document = 'query ($id: ID!) { suspect(id: $id) { id country } }';
      const byVar = await accord(['query', document, '--var', `id=${own}`, ...INVESTIGATION, '--json'], env);
      expect(parse(byVar.stdout).data).toEqual({ suspect: { id: own, country: MEMBERS[0]!.code } });
      const byJson = await accord(
        ['query', document, '--variables', JSON.stringify({ id: own }), ...INVESTIGATION, '--json'],
        env,
      );
      expect(parse(byJson.stdout).data).toEqual(parse(byVar.stdout).data);
      // Each flag reaches the gateway as its header: a malformed value is refused by the gateway naming that header (exit 6).
      const headers: Record<string, string> = {
        case: 'accord-case',
        'request-ref': 'accord-request-ref',
        jit: 'accord-jit',
        notice: 'accord-notice',
        warrant: 'accord-warrant',
        emergency: 'accord-emergency',
      };
      for (const [flag, header] of Object.entries(headers)) {
        const run = await accord(['query', members, `--${flag}`, 'not valid!', '--json'], env);
        expect(run.code).toBe(6);
        expect(
          parse(run.stdout)
            .errors?.map((e) => e.message)
            .join(' '),
        ).toContain(header);
      }
    });

    it('with withheld data: the data on standard output, the reasons on standard error, exit 4', async () => {
      const requester = MEMBERS[0]!.code;
      const found = parse((await accord(['search', TERM, ...INVESTIGATION, '--json'], env)).stdout);
      const foreign = (found.data!['search'] as { country: string; suspects: { id: string }[] | null }[])
        .filter((a) => a.country !== requester)
        .flatMap((a) => a.suspects ?? []);
      for (const { id } of foreign) {
        const document = `{ suspect(id: "${id}") { id fullName phones } }`;
        const json = await accord(['query', document, ...INVESTIGATION, '--json'], env);
        const body = parse(json.stdout);
        const human = await accord(['query', document, ...INVESTIGATION], env);
        expect(human.code).toBe(expectedCode(body));
        expect(JSON.parse(human.stdout)).toEqual(body.data);
        for (const error of body.errors ?? []) expect(human.stderr).toContain(error.extensions!.code!);
      }
    });
  });

  it('token prints the cached token, which the gateway accepts; logout forgets it', async () => {
    const over = { ACCORD_CLI_HOME: join(home, 'token') };
    expect((await login(MEMBERS[0]!.code, 'cli.token', [], over)).code).toBe(0);
    const token = await accord(['token'], { ...env, ...over });
    expect(token.code).toBe(0);
    const response = await fetch(alliance.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token.stdout.trim()}` },
      body: JSON.stringify({ query: '{ members { code } }' }),
    });
    expect(response.status).toBe(200);
    expect((await accord(['logout'], { ...env, ...over })).code).toBe(0);
    expect((await accord(['token'], { ...env, ...over })).code).toBe(3);
  });

  describe('an expired or exposed token', () => {
    const country = MEMBERS[0]!.code;
    /** A session file as login writes it, around a token issued `ageS` seconds ago for `ttlS` seconds. */
    async function writeSession(
      dir: string,
      ageS: number,
      ttlS: number,
      expiresAt?: string,
    ): Promise<string> {
      const token = await signDemoAnalystToken({
        dir: alliance.idpDir,
        country,
        analyst: 'cli.expired',
        audience: DEFAULT_ANALYST_AUDIENCE,
        ttlSeconds: ttlS,
        now: Date.now() - ageS * 1000,
      });
      const file = join(dir, 'session.json');
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(
        file,
        JSON.stringify({
          country,
          analyst: 'cli.expired',
          roles: ['analyst'],
          token,
          expiresAt: expiresAt ?? new Date(Date.now() - (ageS - ttlS) * 1000).toISOString(),
        }),
        { mode: 0o600 },
      );
      return file;
    }

    it('expired: refused before anything is sent, saying to log in again (exit 3)', async () => {
      const dir = join(home, 'expired');
      await writeSession(dir, 7200, 60);
      const run = await accord(['search', TERM, ...INVESTIGATION], { ...env, ACCORD_CLI_HOME: dir });
      expect(run.code).toBe(3);
      expect(run.stderr).toContain('expired');
      expect(run.stderr).toContain(`accord login --country ${country} --analyst cli.expired`);
      expect(run.stdout).toBe('');
    });

    it("a token the gateway refuses (expired, though the file says otherwise): exit 3 with the gateway's reason", async () => {
      const dir = join(home, 'refused');
      await writeSession(dir, 7200, 60, new Date(Date.now() + 3_600_000).toISOString());
      const run = await accord(['search', TERM, ...INVESTIGATION], { ...env, ACCORD_CLI_HOME: dir });
      expect(run.code).toBe(3);
      expect(run.stderr).toContain('The gateway refused your token');
      expect(run.stderr).not.toMatch(INTERNAL);
    });

    it('a token file others can read is not used (exit 3)', async () => {
      const dir = join(home, 'exposed');
      const file = await writeSession(dir, 0, 600);
      chmodSync(file, 0o644);
      const run = await accord(['search', TERM], { ...env, ACCORD_CLI_HOME: dir });
      expect(run.code).toBe(3);
      expect(run.stderr).toContain('can be read by other users');
    });
  });

  it('a gateway that cannot be reached: exit 5, saying where it looked and nothing internal', async () => {
    expect((await login(MEMBERS[0]!.code, 'cli.unreachable')).code).toBe(0);
    // A port that was free a moment ago: nothing listens on it.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });
    const url = `http://127.0.0.1:${port}/graphql`;
    const run = await accord(['search', TERM, ...INVESTIGATION, '--gateway', url], env);
    expect(run.code).toBe(5);
    expect(run.stderr).toContain(`Cannot reach the gateway at ${url}`);
    expect(run.stderr).not.toMatch(INTERNAL);
  });
});
