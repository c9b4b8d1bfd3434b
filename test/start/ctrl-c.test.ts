import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './runningAccord';

// `npm start` runs the supervisor in one process. tsx's command line (`tsx scripts/start.ts`) would put a
// second process in front of it that, on Ctrl-C, waits about 30 ms for its child to acknowledge the
// signal, twice, then kills it with SIGKILL: a supervisor busy at that moment died before it printed "every
// service has stopped" (seen once in CI, under Node 24). This runs a supervisor-shaped script that is
// always busy, with the command `npm start` uses, and expects its clean stop.

const START = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts['start']!;
const FIXTURE = join(__dirname, 'fixtures', 'busyOnCtrlC.ts');

function runAndInterrupt(
  command: string,
): Promise<{ output: string; code: number | null; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], {
      cwd: ROOT,
      detached: true,
      env: { ...process.env, PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env['PATH'] ?? ''}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
      // Ctrl-C the way a terminal sends it: to the whole process group, once the script is running.
      if (output.includes('ready\n') && !interrupted) {
        interrupted = true;
        process.kill(-child.pid!, 'SIGINT');
      }
    };
    let interrupted = false;
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ output, code, signal }));
  });
}

describe('Ctrl-C on npm start', () => {
  it('runs the supervisor itself, with no wrapper process in front of it', () => {
    expect(START).toMatch(/^exec node --import tsx scripts\/start\.ts$/);
  });

  it('lets a busy supervisor finish its clean stop', async () => {
    const ended = await runAndInterrupt(START.replace('scripts/start.ts', FIXTURE));
    expect(ended.output).toBe('ready\nclean stop\n');
    expect(ended.code).toBe(0);
  }, 60_000);
});
