import { useSyncExternalStore } from 'react';

/** The latest answer to one of the analyst's operations, for the notes under the response. */
let latest: unknown;
const listeners = new Set<() => void>();

export function publishAnswer(body: unknown): void {
  latest = body;
  for (const listener of listeners) listener();
}

export function useLatestAnswer(): unknown {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => latest,
  );
}
