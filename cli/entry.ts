import { join } from 'node:path';
import { endQuietlyWhenOutputCloses } from '../lib/closedOutput';
import { run } from './main';

/**
 * The bundle's entry (cli/build.js bundles it into cli/dist/accord.js; cli/bin/accord runs that). The
 * repository is two folders up from the bundle.
 */
const root = join(__dirname, '..', '..');

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

// Output piped into a reader that stopped (`accord search … | head`): end quietly, as every command does.
endQuietlyWhenOutputCloses();

run(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  root,
  now: () => Date.now(),
  readStdin,
  stdinIsTerminal: process.stdin.isTTY === true,
}).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.stderr.write('accord: an unexpected fault in accord itself.\n');
    process.exitCode = 1;
  },
);
