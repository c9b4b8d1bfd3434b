/**
 * A port another program holds: `npm start` used to retry the service five times as if it had crashed
 * (about 70 s) and never said how to move Accord's ports. Now the service names the port it could not
 * take and exits with EXIT_PORT_TAKEN, and the supervisor stops at once with the way out.
 */
import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_PORT_TAKEN } from '../../lib/process';
import type { Output } from '../../scripts/output';
import { ServiceStartError, SupervisedProcess } from '../../scripts/supervisedProcess';
import { RunningAccord } from './runningAccord';

/** A port held by a program that is not Accord, for as long as the test needs it. */
async function holdAPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port };
}

describe('a service whose port is taken', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'accord-port-taken-'));
    // A stand-in service that ends the way lib/process.ts's exitOnStartFailure ends a taken port.
    writeFileSync(
      join(dir, 'taken.js'),
      `console.error('port 1 is taken'); process.exit(${EXIT_PORT_TAKEN});`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is not restarted: the supervisor gives up at once and names --free-ports and --port-base', async () => {
    const lines: string[] = [];
    const output: Output = { out: (line) => lines.push(line), err: (line) => lines.push(line) };
    const onGiveUp = jest.fn();
    const service = new SupervisedProcess({
      name: 'fake',
      entry: join(dir, 'taken.js'),
      cwd: dir,
      port: 0,
      env: { ...process.env },
      output,
      // Five fast crashes before giving up, as npm start allows: the taken port must not use them.
      policy: { initialDelayMs: 10, maxDelayMs: 40, fastCrashMs: 60_000, maxFastCrashes: 5 },
      onGiveUp,
    });
    await expect(service.start()).rejects.toThrow(ServiceStartError);
    expect(onGiveUp).toHaveBeenCalledTimes(1);
    expect(onGiveUp.mock.calls[0]![0]).toMatch(
      new RegExp(
        `^fake exited with code ${EXIT_PORT_TAKEN} after [\\d.]+ s: its port is taken by another program`,
      ),
    );
    expect(onGiveUp.mock.calls[0]![0]).toContain('npm start -- --free-ports');
    expect(onGiveUp.mock.calls[0]![0]).toContain('npm start -- --port-base <n>');
    expect(lines.filter((line) => line.includes('restarting in'))).toEqual([]);
    expect(service.hasGivenUp).toBe(true);
  }, 60_000);

  it('makes npm start stop with the port and the way out, without a restart', async () => {
    const { server, port } = await holdAPort();
    // Every other service on a free port; the gateway on the held one (its own variable wins).
    const accord = new RunningAccord('npm', ['start', '--', '--free-ports'], { env: { PORT: String(port) } });
    try {
      const exit = await accord.exited;
      expect(exit.code).not.toBe(0);
      expect(accord.output).toContain(
        `The gateway could not start: port ${port} on 127.0.0.1 is already in use`,
      );
      expect(accord.output).toContain('npm start -- --free-ports');
      expect(accord.output).not.toContain('restarting in');
      expect(accord.output).not.toMatch(/at .*\.[jt]s:\d+/); // no stack trace
    } finally {
      await accord.cleanup();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 180_000);
});
