/**
 * Child-process entry of Accord's gateway for the peers scenario (bench/gatewayProcess.ts): Accord's
 * gateway as shipped, compiled and run with plain node as `npm start` runs it (bench/compiledEntries.ts),
 * in front of members served by another process; with the gateway's audit log when `auditUrl` is given. Speaks bench/peers/child.cjs's protocol,
 * plus `profile-start` and `profile-stop` (the inspector's CPU profiler over a measured load, answered
 * `profiled`: bench/gatewayCpu.ts).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { MEMBERS, type Member } from '../schema';
import { openAuditLog, type AuditLog } from '../audit';
import { ServerGroup } from './harness';
import { startGatewayFor } from './federation';
import { releaseAllPolicy, syntheticMembers } from './synthetic';

export interface AccordGatewaySettings {
  /** The reference registry, or a synthetic one of this size (deciding with the release-all stand-in, as its members do). */
  readonly syntheticSize?: number;
  readonly supergraphSdl: string;
  readonly subgraphUrls: Record<string, string>;
  readonly trustDir: string;
  /** The gateway's audit log (`sqlite:…`), durable before each answer leaves; absent, none. */
  readonly auditUrl?: string;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { serveAsChild } = require('./peers/child.cjs') as {
  serveAsChild: (
    start: (settings: AccordGatewaySettings) => Promise<{ url: string; stop(): Promise<void> }>,
  ) => void;
};

/** The inspector's CPU profiler, between `profile-start` and `profile-stop`. */
let profiler: Session | undefined;

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) =>
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))),
  );
}

async function profile(message: { type: string; file?: string }): Promise<void> {
  if (message.type === 'profile-start') {
    profiler = new Session();
    profiler.connect();
    await post(profiler, 'Profiler.enable');
    await post(profiler, 'Profiler.start');
  } else {
    if (!profiler || message.file === undefined) throw new Error('No profile was started.');
    const { profile: written } = await post<{ profile: unknown }>(profiler, 'Profiler.stop');
    profiler.disconnect();
    profiler = undefined;
    writeFileSync(message.file, JSON.stringify(written));
  }
}

// child.cjs ignores the messages it does not know: these are the profiler's.
process.on('message', (message: { type: string; file?: string }) => {
  if (message.type !== 'profile-start' && message.type !== 'profile-stop') return;
  profile(message).then(
    () => process.send?.({ type: 'profiled' }),
    (error: unknown) => process.send?.({ type: 'failed', message: String(error) }),
  );
});

serveAsChild(async (settings) => {
  const servers = new ServerGroup();
  const members: readonly Member[] =
    settings.syntheticSize === undefined ? MEMBERS : syntheticMembers(settings.syntheticSize);
  const audit: AuditLog | undefined = settings.auditUrl
    ? await openAuditLog({ url: settings.auditUrl, writer: { instance: 'gateway-1' } })
    : undefined;
  const url = await startGatewayFor({
    members,
    supergraphSdl: settings.supergraphSdl,
    subgraphUrls: settings.subgraphUrls,
    servers,
    trustDir: settings.trustDir,
    // The peers wait for a member as long as it takes; Accord's 5 s default would turn a slow first call
    // on the loaded bench host (30 members, cold) into a failed request rather than a slow one.
    subgraphTimeoutMs: 30_000,
    extra: {
      ...(settings.syntheticSize !== undefined ? { policy: releaseAllPolicy() } : {}),
      ...(audit ? { audit } : {}),
    },
  });
  return {
    url,
    async stop() {
      await servers.stopAll();
      await audit?.close();
    },
  };
});
