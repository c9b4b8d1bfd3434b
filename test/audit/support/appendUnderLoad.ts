/**
 * A writer under load, for the durability test: 16 concurrent appenders, each printing a record's
 * request id on stdout once its append has resolved (a pipe write is synchronous on Linux, so what the
 * parent reads was resolved before any kill). Bounded: at most 50 000 appends or 60 s.
 *
 *   node --import tsx test/audit/support/appendUnderLoad.ts <log url> <instance>
 */
import { openAuditLog } from '../../../audit';
import { crossing } from './records';

async function main(): Promise<void> {
  const [url, instance] = process.argv.slice(2);
  if (!url || !instance) throw new Error('usage: appendUnderLoad.ts <log url> <instance>');
  const log = await openAuditLog({ url, writer: { instance }, checkpointEvery: 100 });
  process.stdout.write('ready\n');
  const deadline = Date.now() + 60_000;
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < 50_000 && Date.now() < deadline) {
        const i = next++;
        await log.append(
          crossing(i % 2 === 0 ? 'consultation' : 'disclosure', i, { requestId: `load-${i}` }),
        );
        process.stdout.write(`load-${i}\n`);
      }
    }),
  );
  await log.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
