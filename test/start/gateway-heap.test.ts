import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compiledExecArgv, sourceExecArgv } from '../../scripts/supervisedProcess';

/**
 * The gateway's heap bound (docs/decisions/0022-gateway-memory.md): under a load of short-lived data that
 * outlives the young generation, as each request's answer does while it is in flight, the gateway's old
 * generation stays within half again what is live, plus the young generation's size and what is allocated
 * while a collection runs; and the young generation stays at the size that allowance counts. Checked on a
 * stand-in process started with the node flags the gateway is started with (npm start, npm run deploy and
 * the bench's gateway child all take them from scripts/supervisedProcess.ts), not on V8's defaults, under
 * the Node that runs the test (CI: Node 20 and 24).
 */

const MB = 2 ** 20;
/** The decision's bound: the old generation at most 1.5 × what is live… */
const LIVE_FACTOR = 1.5;
/**
 * The young generation at its largest, as the decision sets it: two semi-spaces of 8 MB on Node 24 and
 * later, of 16 MB before (V8 may report a page or two more).
 */
const YOUNG_BYTES = (Number(process.versions.node.split('.')[0]) >= 24 ? 16 : 32) * MB;
const YOUNG_SLACK_BYTES = 4 * MB;
/** …plus the young generation at its largest and 16 MB of allocation while marking. */
const ALLOWANCE_BYTES = YOUNG_BYTES + 16 * MB;

/**
 * A stand-in for the gateway, run as a file as the gateway's bundle is: about 50 MB live (its schemas),
 * collected twice as the gateway does after loading its supergraph (gateway/supergraphLoad.ts), then 6,000
 * "requests" of about 40 KB of small objects, each held while the next 511 are made (its requests in
 * flight), so that each is promoted to the old generation and dies there. Prints the old generation's
 * and the young generation's largest reserved sizes seen, and what is live at the end after full
 * collections (which --expose-gc, one of the gateway's flags, allows).
 */
const CHURN = `
const v8 = require('node:v8');
const spaces = (pick, field) => v8.getHeapSpaceStatistics()
  .filter((space) => pick(space.space_name))
  .reduce((sum, space) => sum + space[field], 0);
const oldGeneration = (field) => spaces((name) => !name.startsWith('new'), field);
const youngGeneration = () => spaces((name) => name === 'new_space', 'space_size');
const live = [];
for (let i = 0; i < 250000; i++) live.push({ id: i, name: 'n' + i, tags: [i, i + 1] });
globalThis.gc();
globalThis.gc();
const inFlight = new Array(512);
let peak = 0;
let youngPeak = 0;
for (let i = 0; i < 6000; i++) {
  const request = [];
  for (let j = 0; j < 400; j++) request.push({ field: 'value' + j, n: j, list: [j] });
  inFlight[i % inFlight.length] = request;
  if (i % 25 === 0) {
    peak = Math.max(peak, oldGeneration('space_size'));
    youngPeak = Math.max(youngPeak, youngGeneration());
  }
}
globalThis.gc();
globalThis.gc();
const held = live.length + inFlight.length;
process.stdout.write(JSON.stringify({ peak, youngPeak, live: oldGeneration('space_used_size'), held }));
`;

let dir: string;
let script: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'accord-gateway-heap-'));
  script = join(dir, 'churn.js');
  writeFileSync(script, CHURN);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Churn {
  readonly peak: number;
  readonly youngPeak: number;
  readonly live: number;
}

function runChurn(execArgv: readonly string[]): Promise<Churn> {
  return new Promise((resolve, reject) => {
    // execFile's timeout kills the child if it hangs; otherwise it exits by itself.
    execFile(
      process.execPath,
      [...execArgv, script],
      { timeout: 60_000, maxBuffer: MB },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as Churn);
      },
    );
  });
}

/**
 * Given on every Node (scripts/supervisedProcess.ts). Without `--max-semi-space-size`, Node 24's young
 * generation grows to 128 MB (Node 20's and 22's to 32 MB), and V8 lets the old generation grow by one
 * semi-space, 64 MB, more before collecting it: with `--heap-growing-percent=50` alone the stand-in's old
 * generation peaked at 160–170 MB (69 MB live), or at about 66 MB in runs whose requests were not
 * promoted, and its young generation at 128 MB in every run.
 */
describe("the gateway's heap stays within 1.5 × its live data under load", () => {
  it.each([
    ['compiled (npm start, deploy, the bench)', compiledExecArgv('gateway')],
    ['from source (npm start -- --from-source)', sourceExecArgv('gateway')],
  ])('started %s', async (_runtime, execArgv) => {
    const { peak, youngPeak, live } = await runChurn(execArgv);
    expect(live).toBeGreaterThan(40 * MB);
    expect(youngPeak).toBeLessThanOrEqual(YOUNG_BYTES + YOUNG_SLACK_BYTES);
    expect(peak).toBeLessThanOrEqual(LIVE_FACTOR * live + ALLOWANCE_BYTES);
  });
});
