import { localTrust } from '../../trust';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MEMBERS, subgraphName } from '../../schema';
import { EXAMPLE_HEADERS } from '../../scripts/examples';
import {
  graphql,
  isAlive,
  READY_TIMEOUT_MS,
  ROOT,
  RunningAccord,
  supervisorEnding,
  type ServiceLine,
} from './runningAccord';

// The supervisor itself (scripts/start.ts run the way its children are: node --import tsx), so that the
// pid the test signals is the supervisor's.
const TSX_LOADER = require.resolve('tsx');

const MEMBER_NAMES = MEMBERS.map((m) => subgraphName(m.code));
/** National subgraphs whose entry file exists; the supervisor leaves the others out with a warning. */
const PRESENT = MEMBER_NAMES.filter((name) => existsSync(join(ROOT, 'subgraphs', name, 'main.ts')));

const SEARCH = '{ search(term: "Tiger") { country suspects { id } } }';

interface SearchResult {
  country: string;
  suspects: { id: string }[] | null;
}

/** The members whose part of the search came back with records. */
async function countriesFound(gatewayUrl: string, dataDir: string): Promise<string[]> {
  // A token of the demo identity provider npm start created in its data folder.
  const token = await localTrust(
    dataDir,
    MEMBERS.map((m) => m.code),
  ).analystToken('KR', 'kim.j');
  const body = await graphql(gatewayUrl, SEARCH, { ...EXAMPLE_HEADERS, authorization: `Bearer ${token}` });
  const search = (body.data?.['search'] ?? []) as SearchResult[];
  return search.filter((s) => (s.suspects ?? []).length > 0).map((s) => s.country);
}

describe('npm start: the supervisor', () => {
  let accord: RunningAccord;
  let services: Map<string, ServiceLine>;
  const pidsSeen: number[] = [];

  beforeAll(async () => {
    accord = new RunningAccord(process.execPath, ['--import', TSX_LOADER, 'scripts/start.ts']);
    services = await accord.ready();
    for (const service of services.values()) pidsSeen.push(service.pid);
  }, READY_TIMEOUT_MS + 10_000);

  afterAll(async () => {
    await accord.cleanup();
  }, 60_000);

  it('lists every service it started with its URL, each on its own free port', () => {
    expect([...services.keys()].sort()).toEqual(['alliance', 'gateway', ...PRESENT].sort());
    const ports = [...services.values()].map((s) => Number(new URL(s.url).port));
    expect(ports.every((port) => port > 0)).toBe(true);
    expect(new Set(ports).size).toBe(ports.length);
  });

  it('serves a five-country search through the gateway', async () => {
    const found = await countriesFound(services.get('gateway')!.url, accord.dataDir);
    expect(found.length).toBeGreaterThanOrEqual(Math.min(4, PRESENT.length));
  });

  it('restarts a crashed subgraph on the port it had, and the gateway reaches it again', async () => {
    const victim = services.get(PRESENT[0] ?? 'alliance')!;
    const from = accord.output.length;
    process.kill(victim.pid, 'SIGKILL');
    const restarted = await accord.waitFor(
      new RegExp(`${victim.name} restarted \\(pid (\\d+)\\) at (\\S+)`),
      60_000,
      from,
    );
    pidsSeen.push(Number(restarted[1]));
    expect(Number(restarted[1])).not.toBe(victim.pid);
    expect(restarted[2]).toBe(victim.url);
    if (PRESENT.length > 0)
      expect(await countriesFound(services.get('gateway')!.url, accord.dataDir)).toContain(
        victim.name.toUpperCase(),
      );
  }, 90_000);

  it('stops every service on SIGTERM and exits 0', async () => {
    accord.process.kill('SIGTERM');
    const exit = await accord.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(supervisorEnding(accord.output)).toBe('clean');
    expect(pidsSeen.filter(isAlive)).toEqual([]);
  }, 60_000);
});
