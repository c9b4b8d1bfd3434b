import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MEMBERS } from '../../schema';
import { interleave, median, ratio, type Scenario } from '../harness';

/**
 * How fast the analyst's command line starts: `accord --version` (start-up alone) and `accord login`
 * (start-up, the demo identity provider's key read, a token signed and cached) against `npm run -s token`
 * (what the README had analysts paste into every call: npm, then tsx compiling TypeScript, then the same
 * signing), and bare `node -e 0`: the floor no command written for node goes below, which on a loaded
 * host is most of the time. Each is a fresh process, as an analyst's call is; the four run in interleaved
 * rounds, a few calls each, medians of the rounds' medians. The goals: accord starts in under 300 ms (its
 * ratio to that budget ≤ 1), and `accord login` takes at most half the time of `npm run token`.
 */

const ROOT = join(__dirname, '..', '..');
const ACCORD = join(ROOT, 'cli', 'bin', 'accord');
const START_BUDGET_MS = 300;

/** Wall time of one process to its exit; fails when it exits with another code than 0. */
function timed(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    execFile(command, [...args], { cwd: ROOT, env, signal }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(performance.now() - started);
    });
  });
}

export const cliStart: Scenario = {
  name: 'cli-start',
  description:
    'accord --version and accord login (a fresh process each) against npm run -s token and bare node, interleaved',
  timeoutS: 240,
  async run(ctx) {
    const data = await ctx.tempDir('accord-bench-cli-data-');
    const home = await ctx.tempDir('accord-bench-cli-home-');
    const env = { ...process.env, ACCORD_DATA_DIR: data, ACCORD_CLI_HOME: home };
    const country = MEMBERS[0]!.code;
    const loginArgs = ['login', '--country', country, '--analyst', 'bench.cli'];
    const tokenArgs = ['run', '-s', 'token', '--', '--country', country, '--analyst', 'bench.cli'];

    // Built (as npm ci's prepare builds it) and the demo keys made before anything is timed; each variant checked once.
    await timed(process.execPath, [join(ROOT, 'cli', 'build.js')], env, ctx.signal);
    await timed(process.execPath, [ACCORD, ...loginArgs], env, ctx.signal);
    await timed('npm', tokenArgs, env, ctx.signal);

    const calls = ctx.quick ? 2 : 5;
    const rounds = ctx.quick ? 1 : 4;
    const many = async (command: string, args: readonly string[]): Promise<number> => {
      const samples: number[] = [];
      for (let i = 0; i < calls; i += 1) samples.push(await timed(command, args, env, ctx.signal));
      return median(samples);
    };
    ctx.log(
      `  ${rounds} round(s) of ${calls} calls each: node -e 0, accord --version, accord login, npm run -s token`,
    );
    const results = await interleave(
      {
        node: () => many(process.execPath, ['-e', '0']),
        version: () => many(process.execPath, [ACCORD, '--version']),
        login: () => many(process.execPath, [ACCORD, ...loginArgs]),
        token: () => many('npm', tokenArgs),
      },
      rounds,
      ctx.signal,
    );
    const version = median(results['version']!);
    const login = median(results['login']!);
    const token = median(results['token']!);
    const node = median(results['node']!);
    return {
      figures: [
        { name: 'accord --version p50', value: version, unit: 'ms' },
        { name: 'accord login p50', value: login, unit: 'ms' },
        { name: 'npm run -s token p50', value: token, unit: 'ms' },
        { name: 'node -e 0 p50 (the floor)', value: node, unit: 'ms' },
      ],
      ratios: [
        ratio('accord login / npm run -s token', login, token, { max: 0.5 }),
        ratio('accord --version / npm run -s token', version, token),
        ratio('accord --version / node -e 0', version, node),
        ratio(`accord --version / ${START_BUDGET_MS} ms budget`, version, START_BUDGET_MS, { max: 1 }),
      ],
    };
  },
};
