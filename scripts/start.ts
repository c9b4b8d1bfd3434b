// `npm start`: runs Accord on this machine — the hub, the national subgraphs and the gateway, each in its
// own process, under one supervisor (scripts/supervisor.ts). Ctrl-C or SIGTERM stops them all and exits 0.
// Options and ports: scripts/services.ts (`npm start -- --help`).
import { join } from 'node:path';
import { readyBanner } from './banner';
import { consoleOutput, prefixed, SUPERVISOR_NAME } from './output';
import { StartConfigError, startPlanFrom, USAGE, type StartPlan } from './services';
import { presentEntries, Supervisor } from './supervisor';
import { buildServicesIfStale } from './serviceBuild';
import { MEMBERS } from '../schema';
import { logFormatFor } from '../lib/logger';
import { dataDir } from '../lib/process';
import { envFlag } from '../lib/env';
import { endQuietlyWhenOutputCloses } from '../lib/closedOutput';
import { localTrust } from '../trust';
import { buildExplorerAssets } from './explorerBuild';

const ROOT = join(__dirname, '..');

function main(): void {
  // `npm start | head`: the supervisor ends; each service stops when its supervisor is gone (lib/process.ts).
  endQuietlyWhenOutputCloses();
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  let plan: StartPlan;
  try {
    plan = startPlanFrom(argv, process.env);
  } catch (error) {
    if (!(error instanceof StartConfigError)) throw error;
    console.error(error.message);
    process.exitCode = 2;
    return;
  }

  // The services' logs reach this terminal through the supervisor: readable lines there, JSON when piped (lib/logger.ts).
  process.env['ACCORD_LOG_FORMAT'] = logFormatFor(process.env, process.stdout.isTTY === true);
  // Every service reads HOST the same way (lib/process.ts); they get the value read here, checked once.
  process.env['HOST'] = plan.host;
  const note = (text: string): void => consoleOutput.out(prefixed(SUPERVISOR_NAME, text));
  if (plan.clock)
    note(
      `every service's clock is fixed at ${plan.clock} (ACCORD_CLOCK; development only, token lifetimes stay on real time)`,
    );
  let stopping = false;
  const supervisor = new Supervisor({
    root: ROOT,
    plan,
    env: process.env,
    output: consoleOutput,
    onFatal: () => shutdown(1),
  });

  function shutdown(exitCode: number, why?: string): void {
    if (stopping) return;
    stopping = true;
    note(why ? `${why}: stopping every service` : 'stopping every service');
    supervisor.stop().then(
      () => {
        note(
          exitCode === 0 ? 'every service has stopped' : 'every service has stopped; exiting with an error',
        );
        process.exit(exitCode);
      },
      (error: unknown) => {
        console.error('Could not stop every service:', error);
        process.exit(1);
      },
    );
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => shutdown(0, signal));

  // The keys every service needs before it starts: the members' demo identity providers (what
  // `npm run token` signs with) and the gateway's signing key, which every subgraph trusts.
  localTrust(
    dataDir(),
    MEMBERS.map((member) => member.code),
  );
  // Members with no identity provider configured get the demo ones just created (gateway/identityProviders.ts).
  process.env['ACCORD_DEMO_IDENTITY'] ??= '1';
  // The reference members change their synthetic records now and then, so that alerts flow (demo only).
  process.env['ACCORD_SIMULATE'] ??= '1';
  // The explorer's assets are built by `npm ci` (package.json prepare); here again only when the sources
  // changed since (gateway/explorer/build.ts). A failed build does not stop the alliance: /explorer says so.
  buildExplorerAssets(ROOT, note)
    .then(() => (stopping ? undefined : compileServices(plan, note)))
    .then(() => (stopping ? [] : supervisor.start()))
    .then(
      (services) => {
        if (!stopping)
          consoleOutput.out(
            readyBanner(services, dataDir(), { metrics: envFlag(process.env, 'ACCORD_METRICS', true) }),
          );
      },
      (error: unknown) => {
        if (stopping) return;
        consoleOutput.err(prefixed(SUPERVISOR_NAME, `Accord could not start: ${(error as Error).message}`));
        shutdown(1);
      },
    );
}

/**
 * The services run compiled (dist/, built by `npm ci`); compiled again here only when a source changed
 * since, so that `npm start` never runs code older than the checkout. `--from-source` skips this.
 */
async function compileServices(plan: StartPlan, note: (line: string) => void): Promise<void> {
  if (plan.runtime === 'source') {
    note('every service runs its TypeScript sources under tsx (--from-source)');
    return;
  }
  const startedAt = Date.now();
  let reason: string | undefined;
  try {
    reason = await buildServicesIfStale(ROOT, presentEntries(ROOT, plan));
  } catch (error) {
    throw new Error(`the services could not be compiled: ${(error as Error).message}`);
  }
  if (reason !== undefined)
    note(`compiled the services into dist/ (${reason}) in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
}

main();
