/**
 * Child-process entry of the alerts scenario (bench/scenarios/alerts.ts): the owner of the watched records,
 * a reference member's process exactly as `npm start` runs it (subgraphs/reference/run.ts: its store,
 * subgraph, desk, audit log, `/alerts` routes and relay to `ACCORD_HUB_URL`; the environment is the
 * member's), compiled like the services (bench/compiledEntries.ts), plus the benchmark's notice driver. A
 * member's records change in its own systems; `OwnerAlerts.apply` is where such a change enters, so the
 * driver applies border movements of the watched suspects there, in this process, as the member would.
 *
 * Run as `node dist/bench/bench/alertOwnerProcess.js <CC>` with an IPC channel. Messages (bench/alertDriver.ts
 * types them, bench/alertAlliance.ts is the other side):
 * - out `{ type: 'ready', name, url }` (lib/process.ts), then `{ type: 'relay', acknowledged, at }` per batch
 *   the hub acknowledged;
 * - in `{ type: 'suspects', count }`, answered `{ type: 'suspects', suspects }`: the first `count` suspects
 *   of the member with a travel document, and their first document;
 * - in `{ type: 'drive', id, suspects, ratePerS, durationMs, burst }`: border movements of those suspects
 *   in turn, `ratePerS` a second (open loop: a late change goes at once) until `durationMs` has passed or
 *   `{ type: 'halt', id }` comes; with `burst`, `durationMs` counts changes, applied as fast as the owner
 *   takes them (yielding every 10 so that the relay and the server run). Answered
 *   `{ type: 'driven', id, notices: [[noticeId, startedAt]…], changes, appliedMs }`, `startedAt` on the
 *   shared clock (epoch ms, sub-millisecond: performance.timeOrigin + performance.now()), taken before
 *   `apply`, so the owner's match, signature and commit count in a notice's latency.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { runNationalSubgraph, type MemberAlerts, type RecordChange } from '../subgraphs/reference';
import { SYSTEMS } from './memberSystems';
import { sharedNow, type OwnerCommand, type OwnerMessage, type WatchedSuspect } from './alertDriver';

const country = process.argv[2] ?? '';
const createSystem = SYSTEMS[country];
if (createSystem === undefined) {
  console.error(`usage: alertOwnerProcess <member code>, not ${JSON.stringify(country)}`);
  process.exit(2);
}
const send = (message: OwnerMessage): void => void process.send?.(message);

runNationalSubgraph(country, createSystem, {
  onRelayEvent(event) {
    if (event.kind === 'delivered')
      send({ type: 'relay', acknowledged: event.acknowledged, at: sharedNow() });
  },
  onRunning: (alerts) => serveDriver(alerts),
});

function serveDriver(memberAlerts: MemberAlerts): void {
  const { store, alerts } = memberAlerts;
  const halted = new Set<number>();
  let moves = 0;

  /** One border movement of the next suspect; the notices it gave, with the instant it began. */
  function moveOne(suspects: readonly WatchedSuspect[], into: [string, number][]): void {
    const suspect = suspects[moves % suspects.length]!;
    moves += 1;
    const change: RecordChange = {
      kind: 'border_movement',
      suspect: suspect.id,
      movement: {
        direction: moves % 2 === 0 ? 'ENTRY' : 'EXIT',
        crossingPoint: 'Bench crossing',
        country,
        at: new Date().toISOString(),
        documentNumber: suspect.document.number,
      },
    };
    const startedAt = sharedNow();
    for (const { notice } of alerts.apply(change).notices) into.push([notice.noticeId, startedAt]);
  }

  async function drive(command: Extract<OwnerCommand, { type: 'drive' }>): Promise<void> {
    const notices: [string, number][] = [];
    const start = performance.now();
    let changes = 0;
    if (command.burst) {
      for (; changes < (command.durationMs ?? 0); changes += 1) {
        moveOne(command.suspects, notices);
        if (changes % 10 === 9) await new Promise((done) => setImmediate(done));
      }
    } else {
      const until = command.durationMs ?? Infinity;
      for (; performance.now() - start < until && !halted.has(command.id); changes += 1) {
        const wait = start + (changes * 1000) / command.ratePerS - performance.now();
        if (wait > 0) await sleep(wait);
        if (halted.has(command.id)) break;
        moveOne(command.suspects, notices);
      }
    }
    halted.delete(command.id);
    send({ type: 'driven', id: command.id, notices, changes, appliedMs: performance.now() - start });
  }

  process.on('message', (command: OwnerCommand) => {
    switch (command.type) {
      case 'suspects': {
        const ids = Array.from(
          { length: store.counts.Suspect },
          (_, i) => `${country}-SUS-${String(i + 1).padStart(6, '0')}`,
        );
        const suspects = [...store.load('Suspect', ids).values()]
          .filter((suspect) => suspect.travelDocuments.length > 0)
          .slice(0, command.count)
          .map((suspect) => ({
            id: suspect.id,
            document: {
              number: suspect.travelDocuments[0]!.number,
              issuingCountry: suspect.travelDocuments[0]!.issuingCountry,
            },
          }));
        send({ type: 'suspects', suspects });
        return;
      }
      case 'drive':
        drive(command).catch((error: unknown) => send({ type: 'failed', message: String(error) }));
        return;
      case 'halt':
        halted.add(command.id);
        return;
    }
  });
}
