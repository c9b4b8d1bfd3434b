/**
 * Runs a deployment's layout on this host (deploy/README.md): the hub, every member's processes, the
 * gateway processes, and HAProxy in front of each service (scripts/haproxy.ts); every process on PostgreSQL
 * for its audit chain and, for the members, the state they share.
 * `npm run deploy -- --layout deploy/layout.example.json`.
 *
 * Each service process runs its compiled bundle in dist/ (as `npm start` does, scripts/supervisor.ts) under
 * scripts/supervisedProcess.ts: a process that dies is started again on the port it had, so HAProxy's
 * configuration stays right. Ctrl-C or SIGTERM stops the gateways, then the subgraphs, then HAProxy.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { GATEWAY_DEFAULT_PORT, HUB_DEFAULT_PORT, HUB_NAME, MEMBERS, subgraphName } from '../schema';
import { localTrust } from '../trust';
import { buildServicesIfStale, compiledEntry } from './serviceBuild';
import { SupervisedProcess, compiledExecArgv } from './supervisedProcess';
import { consoleOutput, pipeLines, prefixed, type Output } from './output';
import { GATEWAYS, gatewayUnavailableResponse, haproxyConfig, type Backend } from './haproxy';
import { LayoutError, fixedPort, readLayout, type Layout } from './deployLayout';
import { UsageError, parseCommandLine } from '../lib/cliArgs';
import { endQuietlyWhenOutputCloses } from '../lib/closedOutput';

const ROOT = join(__dirname, '..');
const NAME = 'deploy';
const STOP_GRACE_MS = 20_000;

/** One process of the deployment. */
export interface DeployedProcess {
  /** Its instance name: `gateway-1`, `alliance`, `kr-2`; its audit chain's name too. */
  readonly instance: string;
  /** Its service: `gateway`, `alliance`, `kr`. */
  readonly service: string;
  /** Its own address (`http://host:port/graphql`), not the frontend's. */
  readonly url: string;
  /** The pid of the process now running (its process group: it runs detached). */
  pid(): number | undefined;
  /** Resolves at its next `ready`: after a crash, once the supervisor has started it again. */
  nextReady(): Promise<{ url: string; pid: number | undefined }>;
}

export interface Deployment {
  /** The gateways' frontend: what analysts use (`http://host:port/graphql`). */
  readonly gatewayUrl: string;
  /** Each subgraph's frontend, by service (`alliance`, `kr`, …): what the gateways use. */
  readonly frontends: Readonly<Record<string, string>>;
  readonly processes: readonly DeployedProcess[];
  /** The configuration HAProxy runs with. */
  readonly haproxyConfigFile: string;
  /** HAProxy's pid (its own process group). */
  readonly haproxyPid: number | undefined;
  /** Stops the gateways, then the subgraphs, then HAProxy; resolves once every process has exited. */
  stop(): Promise<void>;
}

export interface DeployOptions {
  readonly output?: Output;
  /** The environment the processes inherit (identity providers, log settings); default this process's. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Starts the layout; rejects (having stopped what it started) if any part does not start. */
export async function startDeployment(layout: Layout, options: DeployOptions = {}): Promise<Deployment> {
  const output = options.output ?? consoleOutput;
  const note = (line: string): void => output.out(prefixed(NAME, line));
  // Never code older than the checkout: compiled again first when a source changed (as npm start does).
  const rebuilt = await buildServicesIfStale(ROOT, [
    'gateway/main.ts',
    `subgraphs/${HUB_NAME}/main.ts`,
    ...MEMBERS.map((member) => `subgraphs/${subgraphName(member.code)}/main.ts`),
  ]);
  if (rebuilt !== undefined) note(`compiled the services into dist/ (${rebuilt})`);
  mkdirSync(layout.dataDir, { recursive: true });
  // The keys every process needs before it starts: the gateway's signing key (which every subgraph trusts)
  // and, for members without a real identity provider, a demo one (as npm start makes them).
  localTrust(
    layout.dataDir,
    MEMBERS.map((member) => member.code),
  );
  const baseEnv: NodeJS.ProcessEnv = {
    ...(options.env ?? process.env),
    HOST: layout.host,
    ACCORD_DATA_DIR: layout.dataDir,
    ACCORD_LOG_FORMAT: (options.env ?? process.env)['ACCORD_LOG_FORMAT'] ?? 'json',
  };
  baseEnv['ACCORD_DEMO_IDENTITY'] ??= '1';
  for (const variable of [
    'ACCORD_SUBGRAPH_URLS',
    'PORT',
    'ACCORD_GATEWAY_INSTANCE',
    'ACCORD_MEMBER_INSTANCE',
  ])
    delete baseEnv[variable];
  if (layout.seed !== undefined) baseEnv['ACCORD_SEED'] = layout.seed;
  if (layout.size !== undefined) baseEnv['ACCORD_SIZE'] = String(layout.size);

  const supervised: { process: SupervisedProcess; instance: string; service: string; waiters: Waiter[] }[] =
    [];
  let haproxy: ChildProcess | undefined;
  let haproxyExited: Promise<void> = Promise.resolve();
  const stop = async (): Promise<void> => {
    const gateways = supervised.filter((p) => p.service === GATEWAYS);
    await Promise.all(gateways.map((p) => p.process.stop()));
    await Promise.all(supervised.filter((p) => p.service !== GATEWAYS).map((p) => p.process.stop()));
    if (haproxy && haproxy.exitCode === null && haproxy.signalCode === null) {
      // SIGUSR1 is HAProxy's soft stop: it closes its listeners and ends once no connection is left.
      const timer = setTimeout(() => signalGroup(haproxy!, 'SIGKILL'), 5_000);
      signalGroup(haproxy, 'SIGUSR1');
      await haproxyExited;
      clearTimeout(timer);
    }
  };

  const supervise = (
    service: string,
    instance: string,
    port: number,
    env: NodeJS.ProcessEnv,
  ): SupervisedProcess => {
    const entry = service === GATEWAYS ? 'gateway/main.ts' : `subgraphs/${service}/main.ts`;
    const waiters: Waiter[] = [];
    const process = new SupervisedProcess({
      name: instance,
      entry: compiledEntry(ROOT, entry),
      execArgv: compiledExecArgv(service === GATEWAYS ? 'gateway' : 'service'),
      cwd: ROOT,
      port,
      env,
      output,
      // Time to seal its audit chain after SIGTERM, on a busy host too, before SIGKILL.
      stopGraceMs: STOP_GRACE_MS,
      onReady: (url, pid) => {
        for (const waiter of waiters.splice(0)) waiter({ url, pid });
      },
    });
    supervised.push({ process, instance, service, waiters });
    return process;
  };

  const chosenPorts = new Set<number>();
  try {
    const port = async (defaultPort: number, index: number): Promise<number> =>
      layout.ports === 'free'
        ? index === 0
          ? freePort(layout.host, chosenPorts)
          : 0
        : fixedPort(layout.ports, defaultPort, index);
    const services = [
      { service: HUB_NAME, defaultPort: HUB_DEFAULT_PORT, processes: 1 },
      ...MEMBERS.map((member) => ({
        service: subgraphName(member.code),
        code: member.code,
        defaultPort: member.defaultPort,
        processes: layout.memberProcesses,
      })),
    ];
    const frontends: Record<string, string> = {};
    const frontendPorts = new Map<string, number>();
    for (const { service, defaultPort } of [
      { service: GATEWAYS, defaultPort: GATEWAY_DEFAULT_PORT },
      ...services,
    ]) {
      const frontendPort = await port(defaultPort, 0);
      frontendPorts.set(service, frontendPort);
      if (service !== GATEWAYS) frontends[service] = `http://${urlHost(layout.host)}:${frontendPort}/graphql`;
    }

    // The subgraphs: the first process of each first (it seeds the member's store on a first start), then the others.
    const subgraphEnv = (service: string, code: string | undefined, instance: string): NodeJS.ProcessEnv => {
      const own = code === undefined ? undefined : layout.members[code];
      return {
        ...baseEnv,
        ACCORD_AUDIT_URL: own?.auditUrl ?? layout.auditUrl,
        ACCORD_SHARED_STATE_URL: own?.sharedStateUrl ?? layout.sharedStateUrl,
        ...(code !== undefined && { ACCORD_MEMBER_INSTANCE: instance }),
      };
    };
    for (let index = 1; index <= layout.memberProcesses; index++) {
      await Promise.all(
        services
          .filter((s) => index <= s.processes)
          .map((s) => {
            const instance = s.processes === 1 && s.service === HUB_NAME ? HUB_NAME : `${s.service}-${index}`;
            return supervise(
              s.service,
              instance,
              layout.ports === 'free' ? 0 : fixedPort(layout.ports, s.defaultPort, index),
              subgraphEnv(s.service, 'code' in s ? s.code : undefined, instance),
            ).start();
          }),
      );
    }
    // The gateways, each with its own audit chain, every one reaching the subgraphs through their frontends.
    await Promise.all(
      Array.from({ length: layout.gateways }, (_, i) =>
        supervise(
          GATEWAYS,
          `gateway-${i + 1}`,
          layout.ports === 'free' ? 0 : fixedPort(layout.ports, GATEWAY_DEFAULT_PORT, i + 1),
          {
            ...baseEnv,
            ACCORD_GATEWAY_INSTANCE: `gateway-${i + 1}`,
            ACCORD_AUDIT_URL: layout.auditUrl,
            ACCORD_SUBGRAPH_URLS: JSON.stringify(frontends),
          },
        ).start(),
      ),
    );

    // HAProxy, in front of each service's processes.
    const runDir = join(layout.dataDir, 'haproxy');
    mkdirSync(runDir, { recursive: true });
    const errorFile = join(runDir, 'gateway-unavailable.http');
    writeFileSync(errorFile, gatewayUnavailableResponse());
    const backends: Backend[] = [GATEWAYS, ...services.map((s) => s.service)].map((service) => ({
      service,
      frontend: { host: layout.host, port: frontendPorts.get(service)! },
      servers: supervised
        .filter((p) => p.service === service)
        .map((p) => ({ name: p.instance, address: new URL(p.process.url!).host })),
    }));
    const configFile = join(runDir, 'haproxy.cfg');
    writeFileSync(configFile, haproxyConfig({ backends, gatewayErrorFile: errorFile }));
    haproxy = spawn(layout.haproxy, ['-db', '-f', configFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const started = haproxy;
    // The services stop when this process is gone (lib/process.ts); HAProxy has no such link, so it is
    // stopped here when this process exits without stop().
    const killOnExit = (): void => signalGroup(started, 'SIGKILL');
    process.once('exit', killOnExit);
    pipeLines(started.stdout!, 'haproxy', (line) => output.out(line));
    pipeLines(started.stderr!, 'haproxy', (line) => output.err(line));
    haproxyExited = new Promise((done) =>
      started.once('close', () => {
        process.removeListener('exit', killOnExit);
        done();
      }),
    );
    const spawnFailed = new Promise<never>((_, fail) =>
      started.once('error', (error) =>
        fail(new Error(`HAProxy (${layout.haproxy}) could not be started: ${error.message}`)),
      ),
    );
    const gatewayUrl = `http://${urlHost(layout.host)}:${frontendPorts.get(GATEWAYS)!}/graphql`;
    await Promise.race([
      spawnFailed,
      haproxyExited.then(() => {
        throw new Error(
          `HAProxy stopped at start (its lines above say why); its configuration: ${configFile}`,
        );
      }),
      Promise.all([gatewayUrl, ...Object.values(frontends)].map((url) => untilHealthy(url))),
    ]);
    note(`HAProxy runs ${configFile}`);
    const processes: DeployedProcess[] = supervised.map((p) => ({
      instance: p.instance,
      service: p.service,
      url: p.process.url!,
      pid: () => p.process.pid,
      nextReady: () => new Promise((done) => p.waiters.push(done)),
    }));
    return {
      gatewayUrl,
      frontends,
      processes,
      haproxyConfigFile: configFile,
      haproxyPid: started.pid,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

type Waiter = (ready: { url: string; pid: number | undefined }) => void;

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * A free port for one of HAProxy's frontends, chosen outside the system's range of ephemeral ports
 * (/proc/sys/net/ipv4/ip_local_port_range). The frontends' ports are chosen before HAProxy binds them,
 * while the processes behind it start on port 0: a port the system had just handed out and taken back
 * (listen on 0, then close) was often the very one it handed out next, to a process of this deployment, and
 * HAProxy then failed with "Address already in use". Outside that range the system never hands a port out
 * by itself; each candidate is still checked free by binding it, and `taken` keeps this deployment's
 * choices apart.
 */
async function freePort(host: string, taken: Set<number>): Promise<number> {
  const [ephemeralLow] = ephemeralRange();
  // Below the ephemeral range, above the defaults of npm start and --port-base layouts (4000 and up).
  const low = 20_000;
  const high = Math.max(low + 1_000, ephemeralLow - 1);
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (taken.has(port) || !(await bindable(host, port))) continue;
    taken.add(port);
    return port;
  }
  throw new Error(`no free port between ${low} and ${high} for HAProxy's frontends`);
}

/** The system's range of ephemeral ports (Linux); the usual default where it cannot be read. */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (Number.isInteger(low) && Number.isInteger(high)) return [low!, high!];
  } catch {
    // Not Linux: the IANA range most systems use.
  }
  return [49_152, 65_535];
}

/** Whether `port` can be listened on now (it is closed again at once). */
function bindable(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, host, () => server.close(() => done(true)));
  });
}

/**
 * Resolves once the frontend in front of `graphqlUrl` answers its `/health` (HAProxy is up, a process
 * behind it too); rejects after a minute.
 */
async function untilHealthy(graphqlUrl: string): Promise<void> {
  const health = new URL('/health', graphqlUrl).href;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(health);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // HAProxy is not listening yet.
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`HAProxy's frontend ${health} did not answer within a minute.`);
}

const USAGE = `Usage: npm run deploy -- --layout FILE

Runs the layout in FILE (JSON; deploy/README.md, deploy/layout.example.json) on this host: the hub, each
member's processes, the gateways, and HAProxy in front of each service. The database URLs may come from
ACCORD_AUDIT_URL and ACCORD_SHARED_STATE_URL instead of the file. Ctrl-C stops everything.`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseCommandLine(process.argv.slice(2), {
      options: { layout: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    process.exitCode = error.exitCode;
    return;
  }
  if (values.help === true || values.layout === undefined) {
    if (values.help === true) console.log(USAGE);
    else console.error(`--layout FILE is needed\n\n${USAGE}`);
    process.exitCode = values.help === true ? 0 : 2;
    return;
  }
  let layout: Layout;
  try {
    layout = readLayout(values.layout);
  } catch (error) {
    if (!(error instanceof LayoutError)) throw error;
    console.error(error.message);
    process.exitCode = 2;
    return;
  }
  const deployment = await startDeployment(layout);
  const lines = [
    `Accord runs: analysts use ${deployment.gatewayUrl}`,
    ...Object.entries(deployment.frontends).map(([service, url]) => `  ${service.padEnd(8)} ${url}`),
    ...deployment.processes.map((p) => `  ${p.instance.padEnd(10)} ${p.url} (pid ${p.pid()})`),
    'Stop with Ctrl-C.',
  ];
  for (const line of lines) consoleOutput.out(prefixed(NAME, line));
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      deployment.stop().then(
        () => {
          consoleOutput.out(prefixed(NAME, 'every process has stopped'));
          process.exit(0);
        },
        (error: unknown) => {
          console.error('Could not stop every process:', error);
          process.exit(1);
        },
      );
    });
}

if (require.main === module) {
  endQuietlyWhenOutputCloses();
  main().catch((error: unknown) => {
    console.error(`The deployment could not start: ${(error as Error).message}`);
    process.exit(1);
  });
}
