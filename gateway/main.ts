// Process entry point of the gateway; settings in gateway/config.ts.
import { announceAndHold } from '../lib/process';
import { gatewayOptionsFromEnv } from './config';
import { startGateway } from './server';

async function main(): Promise<void> {
  const running = await startGateway(gatewayOptionsFromEnv());
  announceAndHold('gateway', running);
}

main().catch((error: unknown) => {
  console.error(`The gateway could not start: ${(error as Error).message}`);
  process.exit(1);
});
