/**
 * `npm run policy explain --requester KR` (no `--` after the script's name): npm keeps `--requester` for
 * itself (exported as npm_config_requester) and passes `KR` on as a stray argument. Every Accord command
 * line (lib/cliArgs.ts parseCommandLine) refuses that with the fix instead of a puzzling "takes 0
 * argument(s)" or, worse, running without the option.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError, parseCommandLine, type OptionSpecs } from '../../lib/cliArgs';

const ROOT = join(__dirname, '..', '..');
const OPTIONS = { requester: { type: 'string' }, 'data-dir': { type: 'string' } } satisfies OptionSpecs;

describe('an option npm kept for itself', () => {
  it('is refused with the way to pass it, naming each option npm holds', () => {
    const env = { npm_lifecycle_event: 'policy', npm_config_requester: 'true', npm_config_data_dir: 'true' };
    expect(() => parseCommandLine(['KR'], { options: OPTIONS, positionals: true }, env)).toThrow(
      new UsageError(
        'npm kept --requester, --data-dir for itself: put -- between the script and its arguments, as in ' +
          '`npm run policy -- … --requester …`. Nothing was run.',
      ),
    );
  });

  it('names npm start and npm test without "run"', () => {
    const env = { npm_lifecycle_event: 'start', npm_config_requester: 'true' };
    expect(() => parseCommandLine([], { options: OPTIONS }, env)).toThrow(
      'as in `npm start -- … --requester …`',
    );
  });

  it('is not mistaken for one when the option is on the command line, or outside an npm script', () => {
    const kept = { npm_lifecycle_event: 'policy', npm_config_requester: 'KR' };
    expect(parseCommandLine(['--requester', 'KR'], { options: OPTIONS }, kept).values).toEqual({
      requester: 'KR',
    });
    expect(parseCommandLine(['--requester=KR'], { options: OPTIONS }, kept).values).toEqual({
      requester: 'KR',
    });
    expect(parseCommandLine([], { options: OPTIONS }, { npm_config_requester: 'true' }).values).toEqual({});
    // npm's own settings that are not options of the command (its cache, its prefix) are none of its business.
    const npmOwn = { npm_lifecycle_event: 'policy', npm_config_cache: '/tmp', npm_config_prefix: '/usr' };
    expect(parseCommandLine([], { options: OPTIONS }, npmOwn).values).toEqual({});
  });

  describe('through npm itself', () => {
    let dataDir: string;
    beforeAll(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'accord-npm-kept-'));
    });
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    /** `npm <args>` in the repository, without this test's own npm variables. */
    function npm(args: readonly string[]): Promise<{ code: number | null; output: string }> {
      const env: NodeJS.ProcessEnv = {};
      for (const [name, value] of Object.entries(process.env))
        if (!name.startsWith('npm_') && !name.startsWith('ACCORD_')) env[name] = value;
      return new Promise((resolve, reject) => {
        const child = spawn('npm', [...args], {
          cwd: ROOT,
          env: { ...env, ACCORD_DATA_DIR: dataDir },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, output }));
      });
    }

    it('npm run policy explain --requester … says to add --', async () => {
      const run = await npm(['run', 'policy', 'explain', '--requester', 'KR', '--purpose', 'victim_rescue']);
      expect(run.code).toBe(2);
      expect(run.output).toContain('npm kept --requester, --purpose for itself: put -- between the script');
      expect(run.output).not.toContain('argument(s)');
    }, 120_000);

    it('npm start --free-ports says to add -- and starts nothing', async () => {
      const run = await npm(['start', '--free-ports']);
      expect(run.code).toBe(2);
      expect(run.output).toContain('npm kept --free-ports for itself');
      expect(run.output).not.toMatch(/ready at/);
    }, 120_000);
  });
});
