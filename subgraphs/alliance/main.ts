// Process entry point of the hub: `HOST` (lib/process.ts hostFromEnv: default 127.0.0.1), `PORT` (default 4100).
import { HUB_DEFAULT_PORT, HUB_NAME } from '../../schema';
import { announceAndHold, hostFromEnv, portFromEnv } from '../../lib/process';
import { gatewayTokensFromEnv } from '../kit';
import { startHub } from '.';

async function main(): Promise<void> {
  const running = await startHub({
    gatewayTokens: gatewayTokensFromEnv(HUB_NAME),
    host: hostFromEnv(),
    port: portFromEnv('PORT', HUB_DEFAULT_PORT),
  });
  announceAndHold(HUB_NAME, running);
}

main().catch((error: unknown) => {
  console.error(`The hub could not start: ${(error as Error).message}`);
  process.exit(1);
});
