/**
 * Child-process entry of `startRemoteMembers` (bench/remoteMembers.ts): serves an alliance's (synthetic or
 * reference) member subgraphs and hub in a process of their own, so that the process measuring the gateway does
 * not also pay for the members' work. Driven over the IPC channel; exits when the parent goes away.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { ServerGroup } from './harness';
import { startMembers } from './federation';
import { releaseAllPolicy, syntheticMembers, syntheticSystem } from './synthetic';
import type { ParentMessage, ChildMessage } from './remoteMembers';
import { MEMBERS } from '../schema';
import { referenceSystems, uncheckedTokens } from './referenceAlliance';
import { openAuditLog, type AuditLog } from '../audit';
import { closeAll, openBenchGrantStores } from './grants';
import { startPlainMembers } from './plainMembers';
import type { GrantStore } from '../subgraphs/desk';

// Every Apollo Server registers SIGINT and SIGTERM handlers; thirty-one of them in this process are
// intended, not a leak.
process.setMaxListeners(64);

const servers = new ServerGroup();
/** The members' audit logs, closed once the servers have stopped (sealing each chain). */
const logs: AuditLog[] = [];
/** The members' grant stores, closed once the servers have stopped. */
let grantStores: Record<string, GrantStore> = {};

/** The inspector's CPU profiler, between `profile-start` and `profile-stop` (bench/membersCpu.ts). */
let profiler: Session | undefined;

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) =>
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))),
  );
}

async function startProfile(): Promise<void> {
  profiler = new Session();
  profiler.connect();
  await post(profiler, 'Profiler.enable');
  await post(profiler, 'Profiler.start');
}

async function stopProfile(file: string): Promise<void> {
  if (!profiler) throw new Error('No profile was started.');
  const { profile } = await post<{ profile: unknown }>(profiler, 'Profiler.stop');
  profiler.disconnect();
  profiler = undefined;
  writeFileSync(file, JSON.stringify(profile));
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function stopAndExit(code: number): Promise<void> {
  try {
    await servers.stopAll();
    await Promise.all(logs.map((log) => log.close()));
    closeAll(grantStores);
  } finally {
    process.exit(code);
  }
}

process.on('message', (message: ParentMessage) => {
  switch (message.type) {
    case 'start': {
      const { alliance, trustDir } = message;
      const audit = alliance.auditUrl ? auditLogsAt(alliance.auditUrl) : undefined;
      let started: Promise<Record<string, string>>;
      if (alliance.kind === 'synthetic') {
        const members = syntheticMembers(alliance.size);
        const systems = members.map((m) => syntheticSystem(m.code, { delayMs: alliance.delayMs }));
        started = alliance.plain
          ? startPlainMembers({ members, systems, servers })
          : startMembers({
              members,
              systems,
              policy: releaseAllPolicy(),
              servers,
              trustDir,
              ...(audit ? { audit } : {}),
            });
      } else if (alliance.plain) {
        started = startPlainMembers({ members: MEMBERS, systems: referenceSystems(), servers });
      } else {
        const systems = referenceSystems();
        const { grantsDir } = alliance;
        if (grantsDir !== undefined)
          grantStores = openBenchGrantStores(
            MEMBERS.map((member) => member.code),
            grantsDir,
          );
        started = startMembers({
          members: MEMBERS,
          systems,
          servers,
          trustDir,
          ...(alliance.uncheckedTokens ? { gatewayTokens: uncheckedTokens } : {}),
          ...(audit ? { audit } : {}),
          ...(grantsDir !== undefined ? { grants: grantStores } : {}),
        });
      }
      started.then(
        (subgraphUrls) => send({ type: 'started', subgraphUrls }),
        (error: unknown) =>
          send({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
      );
      break;
    }
    case 'cpu':
      send({ type: 'cpu', usage: process.cpuUsage() });
      break;
    case 'profile-start':
      startProfile().then(
        () => send({ type: 'profiled' }),
        (error: unknown) => send({ type: 'failed', message: String(error) }),
      );
      break;
    case 'profile-stop':
      stopProfile(message.file).then(
        () => send({ type: 'profiled' }),
        (error: unknown) => send({ type: 'failed', message: String(error) }),
      );
      break;
    case 'stop':
      void stopAndExit(0);
      break;
    default: {
      const unexpected: never = message;
      throw new Error(`Unexpected message ${JSON.stringify(unexpected)}`);
    }
  }
});
process.on('disconnect', () => void stopAndExit(0));

/** Each member's audit log at `url` (`{instance}` = the subgraph name), closed when the process stops. */
function auditLogsAt(url: string): (instance: string) => Promise<AuditLog> {
  return async (instance) => {
    const log = await openAuditLog({ url: url.replace('{instance}', instance), writer: { instance } });
    logs.push(log);
    return log;
  };
}
send({ type: 'ready' });
