import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * `npm start` builds the explorer's assets when its sources changed since `npm ci` built them: the same
 * program as `npm run build:explorer` (gateway/explorer/cli.ts, a no-op when they are up to date), in a
 * child process, since scripts/ does not import the gateway (parts.js). Resolves with what the build
 * printed; a failed build is reported, not thrown: the alliance starts and /explorer says it is not built.
 */
export function buildExplorerAssets(root: string, note: (line: string) => void): Promise<void> {
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', tsx, join(root, 'gateway', 'explorer', 'cli.ts')], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => {
      note(`the explorer could not be built (${error.message}); /explorer will say so`);
      resolve();
    });
    child.on('close', (code) => {
      for (const line of output.split('\n')) if (line.trim()) note(line.trim());
      if (code !== 0) note('the explorer could not be built; /explorer will say so');
      resolve();
    });
  });
}
