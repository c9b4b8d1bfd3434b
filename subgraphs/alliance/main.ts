// Process entry point of the hub: `HOST` (lib/process.ts hostFromEnv: default 127.0.0.1), `PORT` (default 4100),
// `ACCORD_CLOCK` (lib/clock.ts), `ACCORD_DATA_DIR` (the registry of emergencies and its key, under `alliance/`),
// the hub's audit log of registrations (audit/fromEnv.ts: ACCORD_AUDIT, ACCORD_AUDIT_URL, ACCORD_AUDIT_KEYS;
// default `<data>/audit/alliance.db`, instance `alliance`).
import { clockFromEnv } from '../../lib/clock';
import { HUB_DEFAULT_PORT, HUB_NAME } from '../../schema';
import { announceAndHold, dataDir, hostFromEnv, portFromEnv } from '../../lib/process';
import { loadDefaultPolicy } from '../../policy';
import { openEmergencyRegistry, registrationWindowHours } from '../../emergencies';
import { gatewayTokensFromEnv } from '../kit';
import { openAuditLogFromEnv } from '../../audit';
import { createLogger } from '../../lib/logger';
import { startHub } from '.';

async function main(): Promise<void> {
  // First: a clock refused outside development mode stops the hub before anything else is read.
  const clock = clockFromEnv();
  // A registration lasts as long as the longest emergency window of the agreement set in force here.
  const emergencies = openEmergencyRegistry({
    dataDir: dataDir(),
    windowHours: registrationWindowHours(loadDefaultPolicy().set),
  });
  // The hub's own log, opened as the members open theirs: every registration is recorded before it is answered.
  const audit = await openAuditLogFromEnv({ instance: HUB_NAME, dataDir: dataDir(), env: process.env });
  createLogger(`subgraph-${HUB_NAME}`).info(audit.summary);
  let running;
  try {
    running = await startHub({
      gatewayTokens: gatewayTokensFromEnv(HUB_NAME),
      host: hostFromEnv(),
      port: portFromEnv('PORT', HUB_DEFAULT_PORT),
      now: clock.now,
      emergencies,
      ...(audit.log ? { audit: audit.log } : {}),
    });
  } catch (error) {
    await audit.log?.close();
    emergencies.close();
    throw error;
  }
  const server = running;
  announceAndHold(HUB_NAME, server, async () => {
    await server.stop();
    emergencies.close();
    await audit.log?.close();
  });
}

main().catch((error: unknown) => {
  console.error(`The hub could not start: ${(error as Error).message}`);
  process.exit(1);
});
