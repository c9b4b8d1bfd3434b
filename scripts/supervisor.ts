import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { prefixed, SUPERVISOR_NAME, type Output } from './output';
import type { RestartPolicy } from './restartPolicy';
import { compiledEntry } from './serviceBuild';
import { HUB_URL_VARIABLE, type ServiceSpec, type StartPlan } from './services';
import { HUB_NAME } from '../schema';
import { SupervisedProcess, compiledExecArgv, sourceExecArgv } from './supervisedProcess';

/**
 * Runs Accord on one machine: the hub and the national subgraphs first, each in its own process, then the
 * gateway with the URLs they reported (`ACCORD_SUBGRAPH_URLS`). Crashed services are restarted
 * (supervisedProcess.ts); `stop()` stops them all. Each runs its compiled bundle in dist/ (the caller has
 * built it: `presentEntries`, serviceBuild.ts), or with `plan.runtime` `source` its TypeScript entry.
 */

export interface SupervisorOptions {
  /** The repository root: entry files are relative to it, and children run in it. */
  readonly root: string;
  readonly plan: StartPlan;
  /** The environment the children inherit. */
  readonly env: NodeJS.ProcessEnv;
  readonly output: Output;
  readonly policy?: RestartPolicy;
  readonly readyTimeoutMs?: number;
  readonly stopGraceMs?: number;
  /** Called when the gateway has crashed too often to go on: nothing can be served any more. */
  readonly onFatal?: (message: string) => void;
}

export interface RunningService {
  readonly name: string;
  readonly url: string;
  readonly pid: number | undefined;
}

export class Supervisor {
  private readonly processes: SupervisedProcess[] = [];
  private stopped = false;

  constructor(private readonly options: SupervisorOptions) {}

  /**
   * Starts every service and resolves once all are ready, gateway last. A subgraph whose entry file does
   * not exist yet is left out with a warning (the gateway answers its part with an error). Rejects if a
   * service gives up before it is ready or `stop()` is called first; the caller then calls `stop()`.
   */
  async start(): Promise<RunningService[]> {
    const { plan, root } = this.options;
    const present = plan.subgraphs.filter((spec) => {
      if (isPresent(root, spec)) return true;
      this.note(
        `${spec.name}: ${spec.entry} does not exist; not started (the gateway will answer its part with an error)`,
      );
      return false;
    });
    // Development mode is every service's: the members and the hub accept ACCORD_CLOCK only in it (lib/clock.ts).
    const env: NodeJS.ProcessEnv = plan.dev ? { ...this.options.env, ACCORD_DEV: '1' } : this.options.env;
    // The hub first: the members' alert relays send their notices to it (ACCORD_HUB_URL), whatever port it got.
    const hubSpec = present.find((spec) => spec.name === HUB_NAME);
    const hub = hubSpec && this.supervise(hubSpec, env);
    await hub?.start();
    if (this.stopped) throw new Error('Stopped before the members were started.');
    // Its origin, not its GraphQL URL: the relay posts to <hub>/alerts/notices.
    const memberEnv: NodeJS.ProcessEnv = hub ? { ...env, [HUB_URL_VARIABLE]: new URL(hub.url!).origin } : env;
    const members = present.filter((spec) => spec !== hubSpec).map((spec) => this.supervise(spec, memberEnv));
    await Promise.all(members.map((process) => process.start()));
    if (this.stopped) throw new Error('Stopped before the gateway was started.');
    const subgraphs = hub ? [hub, ...members] : members;

    const urls = Object.fromEntries(subgraphs.map((process) => [process.name, process.url!]));
    const gatewayEnv: NodeJS.ProcessEnv = { ...env, ACCORD_SUBGRAPH_URLS: JSON.stringify(urls) };
    // A per-subgraph URL variable would override the URL of the process started here (gateway/config.ts).
    for (const name of Object.keys(urls)) delete gatewayEnv[`ACCORD_${name.toUpperCase()}_URL`];
    const gateway = this.supervise(plan.gateway, gatewayEnv, (message) => this.options.onFatal?.(message));
    await gateway.start();
    return this.running();
  }

  /** Every service started, gateway first, with its URL and current pid. */
  running(): RunningService[] {
    const isGateway = (p: SupervisedProcess): boolean => p.name === this.options.plan.gateway.name;
    const ordered = [...this.processes.filter(isGateway), ...this.processes.filter((p) => !isGateway(p))];
    return ordered.filter((p) => p.url !== undefined).map((p) => ({ name: p.name, url: p.url!, pid: p.pid }));
  }

  /** Stops the gateway, then every subgraph, each SIGTERM then SIGKILL after the grace period. */
  async stop(): Promise<void> {
    this.stopped = true;
    const isGateway = (p: SupervisedProcess): boolean => p.name === this.options.plan.gateway.name;
    await Promise.all(this.processes.filter(isGateway).map((p) => p.stop()));
    await Promise.all(this.processes.filter((p) => !isGateway(p)).map((p) => p.stop()));
  }

  private supervise(
    spec: ServiceSpec,
    env: NodeJS.ProcessEnv,
    onGiveUp?: (message: string) => void,
  ): SupervisedProcess {
    const compiled = this.options.plan.runtime === 'compiled';
    const process = new SupervisedProcess({
      name: spec.name,
      entry: compiled ? compiledEntry(this.options.root, spec.entry) : join(this.options.root, spec.entry),
      execArgv: (compiled ? compiledExecArgv : sourceExecArgv)(
        spec.name === this.options.plan.gateway.name ? 'gateway' : 'service',
      ),
      cwd: this.options.root,
      port: spec.port,
      env,
      output: this.options.output,
      policy: this.options.policy,
      readyTimeoutMs: this.options.readyTimeoutMs,
      stopGraceMs: this.options.stopGraceMs,
      onGiveUp,
    });
    this.processes.push(process);
    return process;
  }

  private note(text: string): void {
    this.options.output.out(prefixed(SUPERVISOR_NAME, text));
  }
}

/** The entry files (relative to `root`) of the services `start()` will run: what must be compiled first. */
export function presentEntries(root: string, plan: StartPlan): string[] {
  return [...plan.subgraphs, plan.gateway].filter((spec) => isPresent(root, spec)).map((spec) => spec.entry);
}

/** A subgraph folder not written yet (CONTRIBUTING.md's steps for a new member) is left out, not an error. */
function isPresent(root: string, spec: ServiceSpec): boolean {
  return existsSync(join(root, spec.entry));
}
