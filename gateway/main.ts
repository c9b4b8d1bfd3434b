// Process entry point of the gateway; settings in gateway/config.ts.
import { announceAndHold, exitOnStartFailure } from '../lib/process';
import { gatewayAuditFromEnv, gatewayOptionsFromEnv } from './config';
import { startGateway } from './server';

async function main(): Promise<void> {
  const options = gatewayOptionsFromEnv();
  const audit = await gatewayAuditFromEnv();
  console.log(`gateway: ${audit.summary}`);
  let running;
  try {
    running = await startGateway({ ...options, ...(audit.log ? { audit: audit.log } : {}) });
  } catch (error) {
    await audit.log?.close();
    throw error;
  }
  const server = running;
  // The log closes after the server: the answers in flight are recorded, then the chain is sealed.
  announceAndHold('gateway', server, async () => {
    await server.stop();
    await audit.log?.close();
  });
}

main().catch((error: unknown) => exitOnStartFailure('The gateway', error));
