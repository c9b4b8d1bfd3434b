import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAlliance, type Alliance } from '../support/alliance';
import { followUpDesks } from '../support/followUp';
import { ROOT, buildAccord, cleanEnv, pathWithAccord } from '../support/accordCli';

// docs/analysts.md's investigation (search → record → case → follow-up request → status), its bash blocks
// pasted one after the other into one shell, as written, against a running alliance whose members take
// follow-up requests. accord is on the PATH and finds the gateway in ACCORD_GATEWAY.

const GUIDE = readFileSync(join(ROOT, 'docs', 'analysts.md'), 'utf8');

function walkBlocks(): string[] {
  const section = GUIDE.slice(GUIDE.indexOf('## An investigation'));
  return [...section.matchAll(/```bash\n([\s\S]*?)\n```/g)].map((match) => match[1]!);
}

let alliance: Alliance;
let home: string;

beforeAll(async () => {
  buildAccord();
  alliance = await startAlliance({ followUp: followUpDesks() });
  home = mkdtempSync(join(tmpdir(), 'accord-walk-'));
}, 180_000);

afterAll(async () => {
  await alliance?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

it("docs/analysts.md's investigation runs as written", async () => {
  const blocks = walkBlocks();
  expect(blocks).toHaveLength(5);
  const script = blocks.map((block, index) => `printf '\\n@@step %s\\n' ${index + 1}\n${block}`).join('\n');
  const env = {
    ...cleanEnv(),
    ACCORD_DATA_DIR: alliance.dataDir,
    ACCORD_CLI_HOME: home,
    ACCORD_GATEWAY: alliance.gatewayUrl,
    PATH: pathWithAccord(),
  };
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
    execFile(
      'bash',
      ['-c', script],
      { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024, timeout: 300_000 },
      (error, out, err) =>
        // The last step exits 4 (withheld fields) by design; any other failure is the shell's own.
        error && error.code !== 4
          ? reject(new Error(`${error.message}\n${err}`))
          : resolve({ stdout: out, stderr: err }),
    ),
  );
  const steps = stdout
    .split('\n@@step ')
    .slice(1)
    .map((part) => part.slice(part.indexOf('\n') + 1));
  expect(steps).toHaveLength(5);
  const [search, record, kase, filing, follow] = steps as [string, string, string, string, string];

  // 1. Logged in; Thailand's and the Philippines' suspects by name, Cambodia's and Viet Nam's withheld (hit only), routes below.
  expect(search).toMatch(/^Logged in as kim\.j \(KR\) until /);
  for (const country of ['KH', 'VN'])
    expect(search).toMatch(
      new RegExp(`^${country}\\s+Suspect\\s+${country}-SUS-\\d+\\s+\\(withheld\\)`, 'm'),
    );
  for (const country of ['TH', 'PH'])
    expect(search).toMatch(
      new RegExp(`^${country}\\s+Suspect\\s+${country}-SUS-\\d+\\s+(?!\\(withheld\\))\\S`, 'm'),
    );
  expect(search).toContain('FOLLOW_UP_REQUIRED  KH person.identity (HIT_ONLY)');
  expect(search).toContain('route: kr-kh-mlat-2021 / persons-and-records');

  // 2. Cambodia's record: identity hit only, contacts and intercepted messages not covered, accounts routed to the treaty.
  expect(record).toMatch(/^fullName\s+withheld \(FOLLOW_UP_REQUIRED\)$/m);
  expect(record).toContain('WITHHELD  KH person.contact (CATEGORY_NOT_COVERED)');
  expect(record).toContain('WITHHELD  KH telecom.content (CATEGORY_NOT_COVERED)');
  expect(record).toContain('route: kr-kh-mlat-2021 / proceeds');
  expect(record).toMatch(/^ {2}KH-SUS-000001 {2}\S+$/m);

  // 3. Korea's own case.
  expect(kase.split('\n')[0]).toBe('KR-CAS-000001  Case of KR');

  // 4. Filed, pending.
  const request = /^request: (KH-FUR-\S+)$/m.exec(filing)?.[1];
  if (!request) throw new Error(`No request filed:\n${filing}\n${stderr}`);
  expect(request).toBeDefined();
  expect(filing).toContain('"state":"PENDING"');

  // 5. Its status pending; the record with the reference still a hit only: no grant yet.
  const status = JSON.parse(follow.slice(0, follow.indexOf('\n}') + 2)) as {
    followUpRequestsKH: { id: string; state: string }[];
  };
  expect(status.followUpRequestsKH.find((r) => r.id === request)).toEqual(
    expect.objectContaining({ state: 'PENDING' }),
  );
  expect(follow).toMatch(/^fullName\s+withheld \(FOLLOW_UP_REQUIRED\)$/m);
}, 300_000);
