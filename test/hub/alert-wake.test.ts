/**
 * A reader's wait (subgraphs/alliance/alertLog/wake.ts) ends with false when the log closes or the wait
 * is aborted, even when that happens while its first look at the store is running and makes that look
 * fail (PostgreSQL ends the pool under it); any other failure of the look is the caller's to see.
 */
import { EventEmitter } from 'node:events';
import { waitFor } from '../../subgraphs/alliance/alertLog/wake';

const WATCHER = 'KR';
const LONG = 20_000;

describe('waiting for a notice', () => {
  it('ends with false when the log closes while its look at the store fails for it', async () => {
    const wake = new EventEmitter();
    const waiting = waitFor(wake, WATCHER, LONG, undefined, () => {
      wake.emit('close');
      return Promise.reject(new Error('Cannot use a pool after calling end on the pool'));
    });
    await expect(waiting).resolves.toBe(false);
  });

  it('ends with false when aborted while its look at the store fails for it', async () => {
    const wake = new EventEmitter();
    const abort = new AbortController();
    const waiting = waitFor(wake, WATCHER, LONG, abort.signal, () => {
      abort.abort();
      return Promise.reject(new Error('the query was cancelled'));
    });
    await expect(waiting).resolves.toBe(false);
  });

  it('passes on a failure of the store while the log is open', async () => {
    const wake = new EventEmitter();
    const waiting = waitFor(wake, WATCHER, LONG, undefined, () =>
      Promise.reject(new Error('connection refused')),
    );
    await expect(waiting).rejects.toThrow('connection refused');
    expect(wake.listenerCount(WATCHER) + wake.listenerCount('close')).toBe(0);
  });

  it('is woken by its own watcher, not by another', async () => {
    const wake = new EventEmitter();
    const waiting = waitFor(wake, WATCHER, LONG, undefined, () => {
      wake.emit('TH');
      wake.emit(WATCHER);
      return Promise.resolve(false);
    });
    await expect(waiting).resolves.toBe(true);
  });
});
