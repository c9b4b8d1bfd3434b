/**
 * `npm start`'s ready banner prints the `accord login` to paste. `accord login` signs with the keys in
 * npm start's data folder: when npm start was given another folder (ACCORD_DATA_DIR), the line must name
 * it, or the pasted login looks in data/ and finds no Accord there. With the default folder, it stays short.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readyBanner } from '../../scripts/banner';
import { GATEWAY_NAME } from '../../scripts/services';
import { HUB_NAME, MEMBERS } from '../../schema';
import { subgraphName } from '../../schema/generate';
import { ROOT } from './runningAccord';
import { ALERTS_PATH } from '../../gateway/alerts/alertRoutes';

const SERVICES = [{ name: GATEWAY_NAME, url: 'http://127.0.0.1:40123/graphql', pid: 1 }];

/** The banner's line that runs `accord login`. */
function loginLine(banner: string): string {
  const line = banner.split('\n').find((text) => /\baccord login\b/.test(text));
  if (line === undefined) throw new Error(`no accord login line in:\n${banner}`);
  return line.trim();
}

describe("npm start's banner", () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'accord banner '));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('names another data folder in its accord login line, as the shell reads it', () => {
    const line = loginLine(readyBanner(SERVICES, folder));
    expect(line).toMatch(/^ACCORD_DATA_DIR=\S.* accord login /);
    // What the shell makes of it: the folder, whole, in ACCORD_DATA_DIR (spaces and all).
    const assigned = line.replace(/ accord login .*$/, '');
    const seen = execFileSync('sh', ['-c', `${assigned} sh -c 'printf %s "$ACCORD_DATA_DIR"'`], {
      encoding: 'utf8',
    });
    expect(seen).toBe(folder);
  });

  it('leaves it out for the default folder, data/ in the repository', () => {
    expect(loginLine(readyBanner(SERVICES, join(ROOT, 'data')))).toMatch(/^accord login /);
  });

  it("prints each member's desk and the metrics at the addresses the services got (free ports too)", () => {
    // Ports as --free-ports leaves them: nothing to do with the defaults.
    const started = [
      { name: HUB_NAME, url: 'http://127.0.0.1:41000/graphql', pid: 2 },
      ...MEMBERS.map((member, i) => ({
        name: subgraphName(member.code),
        url: `http://127.0.0.1:${41001 + i}/graphql`,
        pid: 3 + i,
      })),
      ...SERVICES,
    ];
    const banner = readyBanner(started, join(ROOT, 'data'));
    const deskLines = banner.split('\n').filter((line) => line.endsWith('/desk'));
    expect(deskLines.map((line) => line.trim().split(/ +/))).toEqual(
      MEMBERS.map((member, i) => [subgraphName(member.code), `http://127.0.0.1:${41001 + i}/desk`]),
    );
    expect(banner).toContain(
      'Metrics (Prometheus text) at /metrics of every service, e.g. http://127.0.0.1:40123/metrics',
    );
    expect(readyBanner(started, join(ROOT, 'data'), { metrics: false })).not.toContain('/metrics');
  });

  it("prints the gateway's alert API where the gateway serves it", () => {
    const banner = readyBanner(SERVICES, join(ROOT, 'data'));
    const alerts = new URL(ALERTS_PATH, SERVICES[0]!.url).href;
    const line = banner.split('\n').find((text) => text.endsWith(alerts));
    expect(line).toMatch(/^Alerts \(/);
  });
});
