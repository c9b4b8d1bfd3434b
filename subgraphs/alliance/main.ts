// Process entry point of the hub; its environment is read once, by ./config.ts (hubConfigFromEnv).
import { HUB_NAME, MEMBERS } from '../../schema';
import { announceAndHold, exitOnStartFailure } from '../../lib/process';
import { hubConfigFromEnv } from './config';
import { loadDefaultPolicy } from '../../policy';
import { openEmergencyRegistry, registrationWindowHours } from '../../emergencies';
import { gatewayTokensFromEnv } from '../kit';
import { openAuditLogFromEnv } from '../../audit';
import { createLogger } from '../../lib/logger';
import { openAlertLogFromEnv } from './alertLog';
import { startHub } from '.';

async function main(): Promise<void> {
  // First: a bad setting (a clock refused outside development mode) stops the hub before anything is opened.
  const config = hubConfigFromEnv();
  // A registration lasts as long as the longest emergency window of the agreement set in force here.
  const emergencies = openEmergencyRegistry({
    dataDir: config.dataDir,
    windowHours: registrationWindowHours(loadDefaultPolicy().set),
  });
  // The hub's own log, opened as the members open theirs: every registration is recorded before it is answered.
  const audit = await openAuditLogFromEnv({ instance: HUB_NAME, dataDir: config.dataDir, env: config.env });
  const logger = createLogger(`subgraph-${HUB_NAME}`);
  logger.info(audit.summary);
  let running;
  let gatewayTokens;
  let alerts;
  try {
    // The owners' notices and the register of watches (docs/decisions/0019-alert-delivery.md).
    alerts = await openAlertLogFromEnv({
      env: config.env,
      dataDir: config.dataDir,
      members: MEMBERS.map((member) => member.code),
      onError: (error) => logger.error({ err: error }, 'the alert log connection failed'),
    });
    logger.info({ alerts: alerts.description }, 'alert log open');
    gatewayTokens = await gatewayTokensFromEnv(HUB_NAME, config.env, config.dataDir);
    running = await startHub({
      gatewayTokens,
      host: config.host,
      port: config.port,
      now: config.clock.now,
      metrics: config.metrics,
      emergencies,
      ...(audit.log ? { audit: audit.log } : {}),
      alerts,
    });
  } catch (error) {
    await gatewayTokens?.close();
    await alerts?.close();
    await audit.log?.close();
    emergencies.close();
    throw error;
  }
  const server = running;
  const verifier = gatewayTokens;
  const alertLog = alerts;
  announceAndHold(HUB_NAME, server, async () => {
    await server.stop();
    await verifier.close();
    await alertLog.close();
    emergencies.close();
    await audit.log?.close();
  });
}

main().catch((error: unknown) => exitOnStartFailure('The hub', error));
