/**
 * Runs legal/workbenchBuild.ts in a child process, one process per build, so that git, esbuild and the
 * matrix sweep never hold the gateway's event loop (the first /legal used to block it for about 0.6 s and
 * every matrix.csv for 0.4–1 s: one client could stall every analyst's query). The child runs at a lower
 * scheduling priority: on a busy machine the gateway's own requests come first.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WorkbenchArtifacts, WorkbenchInput } from './workbenchBuild';

/** tsx's loader as a file URL: the child runs the TypeScript entry the way every service process does. */
const TSX_LOADER = pathToFileURL(require.resolve('tsx')).href;
const ENTRY = join(__dirname, 'workbenchProcess.ts');
const NICER = 10;

/**
 * A build stopped because the builder was closed (the gateway is stopping): nothing went wrong, and
 * nobody is waiting for the page any more. Callers tell it from a failure and do not report it.
 */
export class WorkbenchBuildStopped extends Error {
  constructor() {
    super('the legal workbench build was stopped with the gateway');
    this.name = 'WorkbenchBuildStopped';
  }
}

export interface WorkbenchBuilder {
  /** Builds in a new child process; `started` gets its pid. Rejects when the child fails or is stopped. */
  build(input: WorkbenchInput, started?: (pid: number) => void): Promise<WorkbenchArtifacts>;
  /** Stops the builds in flight and waits for their processes to exit. */
  close(): Promise<void>;
}

export function childProcessBuilder(): WorkbenchBuilder {
  const running = new Map<ChildProcess, Promise<void>>();
  let closed = false;
  return {
    build(input, started) {
      if (closed) return Promise.reject(new Error('the workbench builder is closed'));
      const child = fork(ENTRY, [], {
        execArgv: ['--import', TSX_LOADER],
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      running.set(
        child,
        new Promise<void>((resolve) => child.once('exit', () => resolve())).finally(() =>
          running.delete(child),
        ),
      );
      if (child.pid !== undefined) {
        try {
          setPriority(child.pid, NICER);
        } catch {
          // Not allowed here: it only runs at the same priority.
        }
        started?.(child.pid);
      }
      return new Promise<WorkbenchArtifacts>((resolve, reject) => {
        let answered = false;
        child.once(
          'message',
          (message: { ok: true; artifacts: WorkbenchArtifacts } | { ok: false; message: string }) => {
            answered = true;
            if (message.ok) resolve(message.artifacts);
            else reject(new Error(`the legal workbench could not be built: ${message.message}`));
          },
        );
        child.once('error', (error) => {
          if (!answered) reject(error);
        });
        child.once('exit', (code, signal) => {
          if (answered) return;
          // Killed by close(): a stop, not a failure.
          reject(
            closed
              ? new WorkbenchBuildStopped()
              : new Error(`the legal workbench builder exited (${signal ?? code}) without an answer`),
          );
        });
        child.send(input);
      });
    },
    async close() {
      closed = true;
      for (const child of running.keys()) child.kill('SIGTERM');
      await Promise.all(running.values());
    },
  };
}
