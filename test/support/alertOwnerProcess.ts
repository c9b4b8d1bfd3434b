/**
 * A reference member as its own process, for the alert reliability tests (test/e2e/alerts-reliability*):
 * what subgraphs/reference/run.ts opens for alerts (the store in the data folder, the notice key, the
 * member's audit log, its `/alerts` routes beside its subgraph, the relay of its outbox to
 * `ACCORD_HUB_URL`), plus one thing a member's process does not have: the test, its parent over IPC, can
 * make it change records. A member's records change in its own systems; `OwnerAlerts.apply` is where
 * such a change enters, so that is what a `burst` calls, once per notice, yielding to the event loop
 * between changes so that the relay runs during the burst as it would.
 *
 * Run with `node --import tsx test/support/alertOwnerProcess.ts <CC>` and an IPC channel. Messages:
 * - in: `{ type: 'burst', suspect, document, count }` — `count` border movements of that suspect with that
 *   document; answered `{ type: 'burst', noticeIds }` (the notices they gave, in commit order);
 * - in: `{ type: 'pending' }` — answered `{ type: 'pending', count }`, the outbox's notices not yet relayed
 *   (recorded or not);
 * - in: `{ type: 'holdRecords' }` — from now on its notices' `notice.emitted` records are appended never
 *   (each append waits for good: the window between a change's commit and its record, held open, as a
 *   process killed in it would leave it); answered `{ type: 'holdRecords' }`;
 * - in: `{ type: 'relayPass' }` — wakes the relay; answered `{ type: 'relayPass' }` once it is idle again,
 *   after a pass begun after the message: what it may post by then is posted;
 * - out: `{ type: 'ready', name, url }` once serving (lib/process.ts), `{ type: 'relay', event }` per relay event.
 * SIGTERM stops it cleanly (the relay, the server, the store, the audit log sealed), as run.ts does.
 */
import { MEMBERS } from '../../schema';
import { ensureNoticeKey } from '../../alerts';
import { openAuditLogFromEnv } from '../../audit';
import { announceAndHold } from '../../lib/process';
import { clockFromEnv } from '../../lib/clock';
import { createLogger } from '../../lib/logger';
import { loadDefaultPolicy } from '../../policy';
import { gatewayTokensFromEnv, startSubgraph } from '../../subgraphs/kit';
import {
  alertActRecorder,
  noticeKeyFile,
  openMemberAlerts,
  openStore,
  storeFile,
  type AlertAct,
} from '../../subgraphs/reference';
import { MEMBER_MODULES } from './members';

type Command =
  | { type: 'burst'; suspect: string; document: string; count: number }
  | { type: 'pending' }
  | { type: 'holdRecords' }
  | { type: 'relayPass' };

async function main(): Promise<void> {
  const country = process.argv[2] ?? '';
  const member = MEMBER_MODULES.find((module) => module.COUNTRY === country);
  if (member === undefined) throw new Error(`usage: alertOwnerProcess.ts <member code>, not "${country}"`);
  const dir = process.env['ACCORD_DATA_DIR']!;
  const hubUrl = process.env['ACCORD_HUB_URL']!;
  const clock = clockFromEnv(process.env);
  const name = country.toLowerCase();
  const store = openStore({ country, file: storeFile(country, dir) });
  const audit = await openAuditLogFromEnv({ instance: name, logOf: name, dataDir: dir, env: process.env });
  const gatewayTokens = await gatewayTokensFromEnv(name, process.env, dir);
  const recorder = audit.log && alertActRecorder(audit.log, country);
  let holdRecords = false;
  const idleListeners: (() => void)[] = [];
  const memberAlerts = openMemberAlerts({
    store,
    policy: loadDefaultPolicy(),
    key: ensureNoticeKey(noticeKeyFile(country, dir)),
    members: MEMBERS.map((m) => m.code),
    gatewayTokens,
    logger: createLogger(`alerts-${name}`),
    now: clock.now,
    publishDir: dir,
    hubUrl,
    onRelayEvent: (event) => {
      if (event.kind === 'idle') for (const listener of idleListeners.splice(0)) listener();
      process.send?.({ type: 'relay', event });
    },
    ...(recorder && {
      record: (act: AlertAct) =>
        holdRecords && act.act === 'notice.emitted' ? new Promise<void>(() => undefined) : recorder(act),
    }),
  });
  const server = await startSubgraph(member.createSystem({ store }), {
    host: '127.0.0.1',
    port: 0,
    gatewayTokens,
    now: clock.now,
    metrics: false,
    ...(audit.log ? { audit: audit.log } : {}),
    prefixRoutes: memberAlerts.routes,
  });

  process.on('message', (command: Command) => {
    if (command.type === 'holdRecords') {
      holdRecords = true;
      process.send?.({ type: 'holdRecords' });
      return;
    }
    if (command.type === 'relayPass') {
      idleListeners.push(() => process.send?.({ type: 'relayPass' }));
      memberAlerts.relay?.wake();
      return;
    }
    if (command.type === 'pending') {
      // Not yet relayed: released or still waiting for its record.
      const { alerts } = memberAlerts;
      const count = alerts.pending(1_000_000).length + alerts.unrecorded(1_000_000).length;
      process.send?.({ type: 'pending', count });
      return;
    }
    void (async () => {
      const noticeIds: string[] = [];
      for (let i = 0; i < command.count; i++) {
        const applied = memberAlerts.alerts.apply({
          kind: 'border_movement',
          suspect: command.suspect,
          movement: {
            direction: i % 2 === 0 ? 'EXIT' : 'ENTRY',
            crossingPoint: 'Reliability test crossing',
            country,
            at: new Date(clock.now()).toISOString(),
            documentNumber: command.document,
          },
        });
        noticeIds.push(...applied.notices.map(({ notice }) => notice.noticeId));
        // The relay (woken by the commit) and the server get their turn between two changes.
        await new Promise((done) => setImmediate(done));
      }
      process.send?.({ type: 'burst', noticeIds });
    })();
  });

  announceAndHold(name, server, async () => {
    await memberAlerts.stop();
    await server.stop();
    await gatewayTokens.close();
    await audit.log?.close();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
