import type { EventEmitter } from 'node:events';

/**
 * Waits until `wake` emits `watcher` (or `close`), `timeoutMs` passes or `signal` aborts; true when woken.
 * It listens before it looks (`check`): a row appended between a reader's page and its wait still wakes
 * it, instead of being noticed only at the timeout.
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
  const woken = new Promise<boolean>((resolve) => {
    onWake = () => resolve(true);
    onClose = () => resolve(false);
    onAbort = () => resolve(false);
    wake.once(watcher, onWake);
    wake.once('close', onClose);
    signal?.addEventListener('abort', onAbort, { once: true });
    timer = setTimeout(() => resolve(false), Math.max(0, timeoutMs));
  });
  try {
    if (await check()) return true;
    return await woken;
  } finally {
    clearTimeout(timer);
    wake.off(watcher, onWake!);
    wake.off('close', onClose!);
    signal?.removeEventListener('abort', onAbort!);
  }
}
