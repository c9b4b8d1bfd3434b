// A process that pins one key for each of several writer instances in one trusted keys file
// (test/audit/trusted-keys-concurrent.test.ts starts several at once): `pinMany.ts <file> <prefix> <count>`.
import { generateWriterKey } from '../../../audit/keys';
import { pinWriterKey } from '../../../audit/trustedKeys';

const [file, prefix, count] = process.argv.slice(2);
const key = generateWriterKey().publicKey;
for (let i = 0; i < Number(count); i++) pinWriterKey(file!, `${prefix}-${i}`, key);
