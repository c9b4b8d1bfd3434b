// HOST has one meaning for every service (issue 10): unset or empty is loopback, for the gateway, the
// hub, the members and npm start alike; a value that is no address is refused with a clear message.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HUB_NAME, MEMBERS, subgraphName } from '../../schema';
import { localTrust } from '../../trust';
import { gatewayOptionsFromEnv } from '../../gateway';
import { StartConfigError, startPlanFrom } from '../../scripts/services';

const ROOT = resolve(__dirname, '..', '..');
const LOOPBACK = '127.0.0.1';

let dataDir: string;
const saved = process.env['ACCORD_DATA_DIR'];
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'accord-host-'));
  process.env['ACCORD_DATA_DIR'] = dataDir;
  // The gateway's key every subgraph trusts, and the members' identity providers.
  localTrust(
    dataDir,
    MEMBERS.map((m) => m.code),
  );
});
afterAll(() => {
  if (saved === undefined) delete process.env['ACCORD_DATA_DIR'];
  else process.env['ACCORD_DATA_DIR'] = saved;
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs a service's entry file with this HOST until it is ready (its URL) or exits (its message). */
function run(entry: string, host: string): Promise<{ url?: string; exitMessage?: string }> {
  const child = fork(join(ROOT, entry), [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      HOST: host,
      PORT: '0',
      ACCORD_DATA_DIR: dataDir,
      ACCORD_AUDIT: 'off',
      ACCORD_SIZE: '30',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let url: string | undefined;
  child.on('message', (message: { type?: string; url?: string }) => {
    if (message.type !== 'ready') return;
    url = message.url;
    child.kill('SIGTERM');
  });
  return new Promise((done) => child.once('exit', () => done(url ? { url } : { exitMessage: stderr })));
}

describe('HOST', () => {
  it.each([undefined, ''])('%j: npm start and the gateway listen on loopback', (host) => {
    const env = host === undefined ? {} : { HOST: host };
    expect(startPlanFrom([], env).host).toBe(LOOPBACK);
    expect(gatewayOptionsFromEnv({ ACCORD_DEMO_IDENTITY: '1', ...env }).host).toBe(LOOPBACK);
  });

  it.each(['0.0.0.0', '::', '10.1.2.3', 'accord-gateway.internal'])('%j is kept as it is', (host) => {
    expect(startPlanFrom([], { HOST: host }).host).toBe(host);
    expect(gatewayOptionsFromEnv({ ACCORD_DEMO_IDENTITY: '1', HOST: host }).host).toBe(host);
  });

  it.each([' ', 'http://0.0.0.0', '0.0.0.0:4000', 'two words'])(
    '%j is refused by npm start and the gateway, saying what it must be',
    (host) => {
      const message = `HOST must be an IP address or a host name to listen on (empty or unset: ${LOOPBACK}), not ${JSON.stringify(host)}.`;
      expect(() => startPlanFrom([], { HOST: host })).toThrow(StartConfigError);
      expect(() => startPlanFrom([], { HOST: host })).toThrow(message);
      expect(() => gatewayOptionsFromEnv({ ACCORD_DEMO_IDENTITY: '1', HOST: host })).toThrow(message);
    },
  );

  it('empty: the hub and a member listen on loopback too', async () => {
    const member = subgraphName(MEMBERS[0]!.code);
    const [hub, first] = await Promise.all([
      run(`subgraphs/${HUB_NAME}/main.ts`, ''),
      run(`subgraphs/${member}/main.ts`, ''),
    ]);
    expect(hub.exitMessage).toBeUndefined();
    expect(first.exitMessage).toBeUndefined();
    expect(new URL(hub.url!).hostname).toBe(LOOPBACK);
    expect(new URL(first.url!).hostname).toBe(LOOPBACK);
  }, 120_000);

  it('not an address: the hub refuses to start and says why', async () => {
    const hub = await run(`subgraphs/${HUB_NAME}/main.ts`, 'two words');
    expect(hub.url).toBeUndefined();
    expect(hub.exitMessage).toContain('HOST must be an IP address or a host name to listen on');
  }, 120_000);
});
