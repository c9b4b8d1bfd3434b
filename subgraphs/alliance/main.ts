// Process entry point of the hub: `HOST` (lib/process.ts hostFromEnv: default 127.0.0.1), `PORT` (default 4100),
// `ACCORD_CLOCK` (lib/clock.ts).
import { clockFromEnv } from '../../lib/clock';
import { HUB_DEFAULT_PORT, HUB_NAME } from '../../schema';
import { announceAndHold, hostFromEnv, portFromEnv } from '../../lib/process';
import { gatewayTokensFromEnv } from '../kit';
import { startHub } from '.';

async function main(): Promise<void> {
  // First: a clock refused outside development mode stops the hub before anything else is read.
  const clock = clockFromEnv();
  const running = await startHub({
    gatewayTokens: gatewayTokensFromEnv(HUB_NAME),
    host: hostFromEnv(),
    port: portFromEnv('PORT', HUB_DEFAULT_PORT),
    now: clock.now,
  });
  announceAndHold(HUB_NAME, running);
}

main().catch((error: unknown) => {
  console.error(`The hub could not start: ${(error as Error).message}`);
  process.exit(1);
});
