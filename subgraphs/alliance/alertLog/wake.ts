import type { EventEmitter } from 'node:events';

/**
 * Waits until `wake` emits `watcher` (or `close`), `timeoutMs` passes or `signal` aborts; true when woken.
 * It listens before it looks (`check`): a row appended between a reader's page and its wait still wakes
 * it, instead of being noticed only at the timeout. A check that fails because the log closed, or the wait
 * was aborted, while it ran (its store's connection ended under it) ends the wait as they do: false.
 */
export async function waitFor(
  wake: EventEmitter,
  watcher: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  check: () => Promise<boolean>,
): Promise<boolean> {
  if (signal?.aborted) return false;
  let timer: NodeJS.Timeout | undefined;
  let onWake: (() => void) | undefined;
  let onClose: (() => void) | undefined;
  let onAbort: (() => void) | undefined;
  let ended = false;
  const woken = new Promise<boolean>((resolve) => {
    onWake = () => resolve(true);
    onClose = () => {
      ended = true;
      resolve(false);
    };
    onAbort = () => {
      ended = true;
      resolve(false);
    };
    wake.once(watcher, onWake);
    wake.once('close', onClose);
    signal?.addEventListener('abort', onAbort, { once: true });
    timer = setTimeout(() => resolve(false), Math.max(0, timeoutMs));
  });
  try {
    try {
      if (await check()) return true;
    } catch (error) {
      if (ended) return false;
      throw error;
    }
    return await woken;
  } finally {
    clearTimeout(timer);
    wake.off(watcher, onWake!);
    wake.off('close', onClose!);
    signal?.removeEventListener('abort', onAbort!);
  }
}
