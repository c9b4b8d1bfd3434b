import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GATEWAY_NODE_FLAGS, compiledExecArgv, sourceExecArgv } from '../../scripts/supervisedProcess';

/**
 * The gateway's heap bound (docs/decisions/0022-gateway-memory.md): under a load of short-lived data that
 * outlives the young generation, as each request's answer does while it is in flight, the gateway's old
 * generation stays within half again what is live, plus the young generation's size and what is allocated
 * while a collection runs. Checked on a stand-in process started with the node flags the gateway is started
 * with (npm start, npm run deploy and the bench's gateway child all take them from
 * scripts/supervisedProcess.ts), not on V8's defaults.
 */

const MB = 2 ** 20;
/** The decision's bound: the old generation at most 1.5 × what is live… */
const LIVE_FACTOR = 1.5;
/** …plus the young generation at its largest (two semi-spaces of 16 MB) and 16 MB of allocation while marking. */
const ALLOWANCE_BYTES = 48 * MB;

/**
 * A stand-in for the gateway, run as a file as the gateway's bundle is: about 50 MB live (its schemas),
 * collected twice as the gateway does after loading its supergraph (gateway/supergraphLoad.ts), then 6,000
 * "requests" of about 40 KB of small objects, each held while the next 511 are made (its requests in
 * flight), so that each is promoted to the old generation and dies there. Prints the old generation's
 * largest reserved size seen, and what is live at the end after full collections (which --expose-gc, one
 * of the gateway's flags, allows).
 */
const CHURN = `
const v8 = require('node:v8');
const oldGeneration = (field) => v8.getHeapSpaceStatistics()
  .filter((space) => !space.space_name.startsWith('new'))
  .reduce((sum, space) => sum + space[field], 0);
const live = [];
for (let i = 0; i < 250000; i++) live.push({ id: i, name: 'n' + i, tags: [i, i + 1] });
globalThis.gc();
globalThis.gc();
const inFlight = new Array(512);
let peak = 0;
for (let i = 0; i < 6000; i++) {
  const request = [];
  for (let j = 0; j < 400; j++) request.push({ field: 'value' + j, n: j, list: [j] });
  inFlight[i % inFlight.length] = request;
  if (i % 25 === 0) peak = Math.max(peak, oldGeneration('space_size'));
}
globalThis.gc();
globalThis.gc();
const held = live.length + inFlight.length;
process.stdout.write(JSON.stringify({ peak, live: oldGeneration('space_used_size'), held }));
`;

let dir: string;
let script: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'accord-gateway-heap-'));
  script = join(dir, 'churn.js');
  writeFileSync(script, CHURN);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runChurn(execArgv: readonly string[]): Promise<{ peak: number; live: number }> {
  return new Promise((resolve, reject) => {
    // execFile's timeout kills the child if it hangs; otherwise it exits by itself.
    execFile(
      process.execPath,
      [...execArgv, script],
      { timeout: 60_000, maxBuffer: MB },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as { peak: number; live: number });
      },
    );
  });
}

/**
 * The bound is given where it was measured to hold, Node 20 (scripts/supervisedProcess.ts). On Node 24 the
 * stand-in's peak is bimodal with or without the flag (about 66 MB or 170–210 MB for 69 MB live, run to
 * run), so no bound is set there and none is asserted: this suite is skipped on a Node that gets no flag.
 */
const bounded = GATEWAY_NODE_FLAGS.some((flag) => flag.startsWith('--heap-growing-percent='));

(bounded ? describe : describe.skip)("the gateway's heap stays within 1.5 × its live data under load", () => {
  it.each([
    ['compiled (npm start, deploy, the bench)', compiledExecArgv('gateway')],
    ['from source (npm start -- --from-source)', sourceExecArgv('gateway')],
  ])('started %s', async (_runtime, execArgv) => {
    const { peak, live } = await runChurn(execArgv);
    expect(live).toBeGreaterThan(40 * MB);
    expect(peak).toBeLessThanOrEqual(LIVE_FACTOR * live + ALLOWANCE_BYTES);
  });
});
