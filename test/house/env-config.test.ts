import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { openAuditLogFromEnv } from '../../audit';
import { run as accord } from '../../cli/main';
import { gatewayOptionsFromEnv } from '../../gateway';
import { identityProvidersFromEnv } from '../../gateway/identityProviders';
import { clockFromEnv } from '../../lib/clock';
import { EnvError, SERVICE_SWITCHES, envFlag } from '../../lib/env';
import { HUB_NAME, MEMBERS, subgraphName } from '../../schema';
import { StartConfigError, startPlanFrom } from '../../scripts/services';
import { hubConfigFromEnv } from '../../subgraphs/alliance/config';
import { deskIssuerFromEnv } from '../../subgraphs/desk';
import { memberConfigFromEnv } from '../../subgraphs/reference/config';

/**
 * The environment: one convention for switches in every process (lib/env.ts), a bad value refused with
 * the variable's name, and one table (docs/operations.md) that names every variable the code reads.
 */

const ROOT = join(__dirname, '..', '..');

/** The project's own source files: every part, not the tests, the dependencies or what is built. */
function sourceFiles(dir = ROOT): string[] {
  const skip = new Set(['node_modules', 'test', 'dist', 'build', 'data', 'artifacts', 'coverage', '.git']);
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (skip.has(name) || name.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const CLOCK = '2026-06-15T09:00:00Z';

describe('envFlag (lib/env.ts)', () => {
  it.each(['1', 'true', 'yes', 'on', 'TRUE', 'Yes', ' on '])('%j is on', (value) => {
    expect(envFlag({ ACCORD_X: value }, 'ACCORD_X', false)).toBe(true);
  });

  it.each(['0', 'false', 'no', 'off', 'FALSE', 'Off'])('%j is off', (value) => {
    expect(envFlag({ ACCORD_X: value }, 'ACCORD_X', true)).toBe(false);
  });

  it('unset or empty is the default', () => {
    expect(envFlag({}, 'ACCORD_X', true)).toBe(true);
    expect(envFlag({}, 'ACCORD_X', false)).toBe(false);
    expect(envFlag({ ACCORD_X: '' }, 'ACCORD_X', true)).toBe(true);
  });

  it.each(['2', 'maybe', 'enabled', 'y', 'null'])(
    '%j is refused, naming the variable and the value',
    (value) => {
      expect(() => envFlag({ ACCORD_X: value }, 'ACCORD_X', false)).toThrow(EnvError);
      expect(() => envFlag({ ACCORD_X: value }, 'ACCORD_X', false)).toThrow(
        new RegExp(`^ACCORD_X is a switch: .*Not ${JSON.stringify(value)}\\.$`),
      );
    },
  );

  it('a variable name that is no variable name is a bug in the caller', () => {
    expect(() => envFlag({}, 'accord x', false)).toThrow(/not a variable name/);
  });
});

describe('every process refuses a bad switch with its name, and reads the same values the same way', () => {
  let dataDir: string;
  const saved = process.env['ACCORD_DATA_DIR'];
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'accord-env-'));
    process.env['ACCORD_DATA_DIR'] = dataDir;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env['ACCORD_DATA_DIR'];
    else process.env['ACCORD_DATA_DIR'] = saved;
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The start of lib/env.ts's refusal, for `name` and `value`. */
  const refusal = (name: string, value: string): RegExp => new RegExp(`${name} is a switch: .*"${value}"`);

  it.each(['ACCORD_DEV', 'ACCORD_LEGAL_PAGE', 'ACCORD_COMPOSE', 'ACCORD_DEMO_IDENTITY'])(
    'the gateway refuses %s=maybe',
    (name) => {
      expect(() => gatewayOptionsFromEnv({ ACCORD_DEMO_IDENTITY: '1', [name]: 'maybe' })).toThrow(
        refusal(name, 'maybe'),
      );
    },
  );

  it('the gateway reads true/false as 1/0', () => {
    const options = gatewayOptionsFromEnv({
      ACCORD_DEMO_IDENTITY: 'yes',
      ACCORD_DEV: 'true',
      ACCORD_LEGAL_PAGE: 'false',
    });
    expect({ dev: options.dev, legalPage: options.legalPage }).toEqual({ dev: true, legalPage: false });
    const defaults = gatewayOptionsFromEnv({ ACCORD_DEMO_IDENTITY: '1' });
    expect({ dev: defaults.dev, legalPage: defaults.legalPage, compose: defaults.composeAtStartup }).toEqual({
      dev: false,
      legalPage: true,
      compose: false,
    });
  });

  it("the gateway's identity providers and a member's desk refuse ACCORD_DEMO_IDENTITY=sure", () => {
    expect(() => identityProvidersFromEnv({ ACCORD_DEMO_IDENTITY: 'sure' })).toThrow(
      refusal('ACCORD_DEMO_IDENTITY', 'sure'),
    );
    const owner = MEMBERS[0]!.code;
    expect(() => deskIssuerFromEnv(owner, { ACCORD_DEMO_IDENTITY: 'sure' }, dataDir)).toThrow(
      refusal('ACCORD_DEMO_IDENTITY', 'sure'),
    );
    expect(deskIssuerFromEnv(owner, { ACCORD_DEMO_IDENTITY: 'no' }, dataDir)).toBeUndefined();
  });

  it('the clock of every service refuses ACCORD_DEV=maybe, and takes ACCORD_DEV=true', () => {
    expect(() => clockFromEnv({ ACCORD_CLOCK: CLOCK, ACCORD_DEV: 'maybe' })).toThrow(
      refusal('ACCORD_DEV', 'maybe'),
    );
    expect(clockFromEnv({ ACCORD_CLOCK: CLOCK, ACCORD_DEV: 'true' }).fixedAt).toBe(
      '2026-06-15T09:00:00.000Z',
    );
  });

  it('a member and the hub refuse ACCORD_DEV=maybe at start-up', () => {
    const env = { ACCORD_CLOCK: CLOCK, ACCORD_DEV: 'maybe' };
    expect(() => memberConfigFromEnv(MEMBERS[0]!.defaultPort, env, MEMBERS[0]!.code)).toThrow(
      refusal('ACCORD_DEV', 'maybe'),
    );
    expect(() => hubConfigFromEnv(env)).toThrow(refusal('ACCORD_DEV', 'maybe'));
  });

  it("a member's relay posts to the hub ACCORD_HUB_URL names: a base URL, or none (no relay)", () => {
    const member = MEMBERS[0]!;
    const hub = (value?: string) =>
      memberConfigFromEnv(
        member.defaultPort,
        value === undefined ? {} : { ACCORD_HUB_URL: value },
        member.code,
      ).hubUrl;
    expect(hub()).toBeUndefined();
    expect(hub('')).toBeUndefined();
    expect(hub('http://127.0.0.1:4100')).toBe('http://127.0.0.1:4100/');
    expect(hub('https://hub.example.org/accord/')).toBe('https://hub.example.org/accord/');
    for (const bad of [
      'hub:4100',
      'ftp://hub',
      'http://user@hub',
      'http://user:secret@hub',
      'http://hub/?x=1',
      'http://hub/#a',
    ]) {
      expect(() => hub(bad)).toThrow(/ACCORD_HUB_URL/);
      expect(() => hub(bad)).not.toThrow(/secret/);
    }
  });

  it("a member's process writes its audit chain as the member, or as one of the member's processes", () => {
    for (const member of MEMBERS) {
      const name = member.code.toLowerCase();
      const instance = (value?: string) =>
        memberConfigFromEnv(
          member.defaultPort,
          value === undefined ? {} : { ACCORD_MEMBER_INSTANCE: value },
          member.code,
        ).auditInstance;
      expect(instance()).toBe(name);
      expect(instance('')).toBe(name);
      expect(instance(name)).toBe(name);
      expect(instance(`${name}-2`)).toBe(`${name}-2`);
      // Another member's name, its desk's, a bare suffix, capitals or a path: refused, naming the variable.
      const other = MEMBERS.find((m) => m.code !== member.code)!.code.toLowerCase();
      for (const bad of [
        `${other}-1`,
        `${name}-desk`,
        `${name}-`,
        '1',
        `${name}-A`,
        `${name}-../x`,
        `${name}1`,
      ])
        expect(() => instance(bad)).toThrow(/ACCORD_MEMBER_INSTANCE/);
    }
  });

  it('npm start refuses ACCORD_DEV=maybe with a start-up error, and takes ACCORD_DEV=yes', () => {
    const bad = { ACCORD_CLOCK: CLOCK, ACCORD_DEV: 'maybe' };
    expect(() => startPlanFrom([], bad)).toThrow(StartConfigError);
    expect(() => startPlanFrom([], bad)).toThrow(refusal('ACCORD_DEV', 'maybe'));
    expect(startPlanFrom([], { ACCORD_CLOCK: CLOCK, ACCORD_DEV: 'yes' }).clock).toBe(
      '2026-06-15T09:00:00.000Z',
    );
  });

  it('the audit log refuses ACCORD_AUDIT=perhaps, and takes ACCORD_AUDIT=0 for off', async () => {
    await expect(
      openAuditLogFromEnv({ instance: 'kr', dataDir, env: { ACCORD_AUDIT: 'perhaps' } }),
    ).rejects.toThrow(refusal('ACCORD_AUDIT', 'perhaps'));
    const off = await openAuditLogFromEnv({ instance: 'kr', dataDir, env: { ACCORD_AUDIT: '0' } });
    expect(off.log).toBeUndefined();
  });

  it('accord refuses ACCORD_DEBUG=maybe with exit 2, whatever the command', async () => {
    const errors: string[] = [];
    const code = await accord(['--version'], {
      out: () => undefined,
      err: (text) => errors.push(text),
      env: { ACCORD_DEBUG: 'maybe' },
      root: ROOT,
      now: () => Date.now(),
      readStdin: () => Promise.resolve(''),
      stdinIsTerminal: false,
    });
    expect(code).toBe(2);
    expect(errors.join('\n')).toMatch(refusal('ACCORD_DEBUG', 'maybe'));
  });
});

describe('docs/operations.md', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8');
  /** Each row of the table: its variable and whether it is marked a switch. */
  const rows = new Map(
    [...doc.matchAll(/^\| `([A-Z][A-Z0-9_<>]*)` \|(.*)$/gm)].map((match) => [
      match[1]!,
      /\*switch\*/.test(match[2]!),
    ]),
  );

  /** A variable as the table names it: a member's code or a subgraph's name stands as <CC> or <NAME>. */
  function asInTable(variable: string): string {
    const names = [HUB_NAME, ...MEMBERS.map((member) => subgraphName(member.code))].map((name) =>
      name.toUpperCase(),
    );
    const codes = MEMBERS.map((member) => member.code);
    for (const code of codes) {
      if (variable === `ACCORD_${code}_ISSUER`) return 'ACCORD_<CC>_ISSUER';
      if (variable === `ACCORD_${code}_JWKS`) return 'ACCORD_<CC>_JWKS';
    }
    for (const name of names) {
      if (variable === `ACCORD_PORT_${name}`) return 'ACCORD_PORT_<NAME>';
      if (variable === `ACCORD_${name}_URL`) return 'ACCORD_<NAME>_URL';
    }
    return variable.replace('<CODE>', '<NAME>');
  }

  it('names every ACCORD_ variable the code reads or mentions', () => {
    const named = new Map<string, string>();
    for (const file of sourceFiles()) {
      for (const [variable] of readFileSync(file, 'utf8').matchAll(
        /\bACCORD_[A-Z0-9_<>]*[A-Z0-9>](?![A-Z0-9_<>])/g,
      )) {
        if (!named.has(variable)) named.set(variable, relative(ROOT, file));
      }
    }
    const missing = [...named]
      .filter(([variable]) => !rows.has(asInTable(variable)))
      .map(([variable, file]) => `${variable} (${file})`);
    expect(missing).toEqual([]);
  });

  it('marks as a switch exactly the variables read as one', () => {
    const switches = new Set<string>();
    for (const file of sourceFiles()) {
      for (const match of readFileSync(file, 'utf8').matchAll(/envFlag\(\s*[\w.]+,\s*'([A-Z0-9_]+)'/g))
        switches.add(match[1]!);
    }
    expect(switches.size).toBeGreaterThan(0);
    const marked = [...rows].filter(([, isSwitch]) => isSwitch).map(([variable]) => variable);
    expect(marked.sort()).toEqual([...switches].sort());
  });
});

describe('npm start checks every service switch before it starts anything', () => {
  it("lists exactly the services' switches, each with what unset means where it is read", () => {
    const read = new Map<string, boolean>();
    for (const file of sourceFiles()) {
      // The accord command line is not a service: its switches are its own.
      if (relative(ROOT, file).startsWith('cli/')) continue;
      for (const match of readFileSync(file, 'utf8').matchAll(
        /envFlag\(\s*[\w.]+,\s*'([A-Z0-9_]+)',\s*(true|false)\s*\)/g,
      ))
        read.set(match[1]!, match[2] === 'true');
    }
    expect(Object.fromEntries([...read].sort())).toEqual(
      Object.fromEntries(Object.entries(SERVICE_SWITCHES).sort()),
    );
  });

  it.each(Object.keys(SERVICE_SWITCHES))('refuses a bad %s by name, with no service started', (name) => {
    expect(() => startPlanFrom([], { [name]: 'maybe' })).toThrow(StartConfigError);
    expect(() => startPlanFrom([], { [name]: 'maybe' })).toThrow(new RegExp(`^${name} is a switch: `));
  });
});
