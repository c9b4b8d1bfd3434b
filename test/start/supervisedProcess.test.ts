import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Output } from '../../scripts/output';
import {
  ServiceStartError,
  SupervisedProcess,
  type SupervisedProcessOptions,
} from '../../scripts/supervisedProcess';
import { isAlive } from './runningAccord';

// Small stand-ins for services, speaking the protocol of lib/process.ts: listen on PORT, send ready.
const SERVICES: Record<string, string> = {
  'ready.js': `
    const server = require('node:net').createServer().listen(Number(process.env.PORT), '127.0.0.1', () => {
      process.send({ type: 'ready', name: 'fake', url: 'http://127.0.0.1:' + server.address().port + '/graphql' });
    });
    process.on('SIGTERM', () => process.exit(0));
    process.on('disconnect', () => process.exit(0));`,
  'crash.js': `console.error('boom'); process.exit(3);`,
  'silent.js': `setInterval(() => {}, 1000); process.on('disconnect', () => process.exit(0));`,
  'stubborn.js': `
    process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
    process.send({ type: 'ready', name: 'fake', url: 'http://127.0.0.1:1/graphql' });
    setInterval(() => {}, 1000);`,
};

const FAST = { initialDelayMs: 10, maxDelayMs: 40, fastCrashMs: 60_000, maxFastCrashes: 3 };

let dir: string;
const started: SupervisedProcess[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'accord-supervised-'));
  for (const [file, source] of Object.entries(SERVICES)) writeFileSync(join(dir, file), source);
});

afterAll(async () => {
  await Promise.all(started.map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
});

/** A supervised stand-in whose output lands in `lines`. */
function supervise(
  file: string,
  options: Partial<SupervisedProcessOptions> = {},
): { service: SupervisedProcess; lines: string[] } {
  const lines: string[] = [];
  const output: Output = { out: (line) => lines.push(line), err: (line) => lines.push(line) };
  const service = new SupervisedProcess({
    name: 'fake',
    entry: join(dir, file),
    cwd: dir,
    port: 0,
    env: { ...process.env },
    output,
    policy: FAST,
    ...options,
  });
  started.push(service);
  return { service, lines };
}

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a supervised process', () => {
  it('is restarted after a crash on the port it had, and stopped for good by stop()', async () => {
    const { service, lines } = supervise('ready.js');
    const url = await service.start();
    const first = service.pid!;
    process.kill(first, 'SIGKILL');
    await until(() => lines.some((line) => line.includes('fake restarted')));
    expect(lines.join('\n')).toMatch(
      /fake was killed by SIGKILL after [\d.]+ s; restarting in 0\.0 s \(crash 1 in a row\)/,
    );
    expect(service.url).toBe(url);
    expect(service.pid).not.toBe(first);
    const second = service.pid!;
    await service.stop();
    expect(isAlive(second)).toBe(false);
    expect(lines.at(-1)).toContain('fake stopped (exited with code 0)');
  }, 60_000);

  it('gives up after repeated fast crashes, with a clear message', async () => {
    const onGiveUp = jest.fn();
    const { service, lines } = supervise('crash.js', { onGiveUp });
    await expect(service.start()).rejects.toThrow(ServiceStartError);
    expect(onGiveUp).toHaveBeenCalledTimes(1);
    expect(onGiveUp.mock.calls[0]![0]).toMatch(
      /^fake exited with code 3 after [\d.]+ s: 3 crashes in a row, each soon after it started\. Not restarting it/,
    );
    expect(lines.filter((line) => line.includes('restarting in'))).toHaveLength(2);
    expect(lines.filter((line) => line === 'fake     | boom')).toHaveLength(3);
    expect(service.hasGivenUp).toBe(true);
  }, 60_000);

  it('kills a start that never says ready, and counts it as a crash', async () => {
    const { service, lines } = supervise('silent.js', {
      readyTimeoutMs: 1_000,
      policy: { ...FAST, maxFastCrashes: 1 },
    });
    await expect(service.start()).rejects.toThrow('1 crash in a row');
    expect(lines).toContain('accord   | fake not ready after 1 s; killing it');
  }, 60_000);

  it('sends SIGKILL when SIGTERM is not enough within the grace period', async () => {
    const { service, lines } = supervise('stubborn.js', { stopGraceMs: 1_000 });
    await service.start();
    const pid = service.pid!;
    await service.stop();
    expect(isAlive(pid)).toBe(false);
    expect(lines).toContain('accord   | fake did not stop within 1 s of SIGTERM; sending SIGKILL');
    expect(lines.at(-1)).toBe('accord   | fake stopped (killed by SIGKILL)');
  }, 60_000);
});
