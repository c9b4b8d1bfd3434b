/**
 * Waits `ms`, or less when `signal` aborts meanwhile; it never rejects, so a loop that paces itself (the
 * alert relay's posts, the alert stream's reads) ends its wait at a stop and then sees that it stopped.
 */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    const finish = (): void => {
      clearTimeout(waiting);
      signal.removeEventListener('abort', finish);
      done();
    };
    const waiting = setTimeout(finish, ms);
    signal.addEventListener('abort', finish);
  });
}
