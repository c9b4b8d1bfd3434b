/**
 * A service's audit writer in a process of its own, as `npm start` runs one: the log and the writer key
 * from the environment (ACCORD_DATA_DIR, ACCORD_AUDIT_URL), `count` consultations appended (durable), then
 * `{ type: 'ready', head }` over IPC. It keeps the log open until told `close` (then seals it and exits),
 * or until it is killed (a crash: the tail stays open). Run with `node --import tsx`.
 */
import { openAuditLogFromEnv } from '../../../audit';
import { crossing, emergencyCrossing } from './records';

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? '3');
  const audit = await openAuditLogFromEnv({
    instance: 'gateway-1',
    dataDir: process.env['ACCORD_DATA_DIR']!,
  });
  const log = audit.log!;
  let head;
  for (let n = 0; n < count; n++)
    head = await log.append(n === 0 ? emergencyCrossing('consultation', n) : crossing('consultation', n));
  process.on('message', (message: { type?: string }) => {
    if (message.type !== 'close') return;
    log.close().then(
      () => process.disconnect(),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
  process.send!({ type: 'ready', head });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
