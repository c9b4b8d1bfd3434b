import { readFileSync } from 'node:fs';
import { TrustConfigError } from './TrustError';

/**
 * A trusted key set kept in a file, re-read without a restart so keys can rotate:
 *
 * - when a token names a key the set does not have (`reloadForUnknownKey`), at most once per `cooldownMs`:
 *   anyone can send a token with a made-up `kid`, and each must not cost a file read;
 * - every `refreshMs` on use (`refreshIfDue`), so a key *removed* from the file stops being trusted
 *   without a restart (an unknown-kid reload alone would never notice a removal).
 *
 * A file that cannot be read or parsed at start is a configuration error. Later, a bad read keeps the
 * previous set (a half-copied file must not take the service down) and is reported to `onReloadError`.
 */
export class ReloadingFile<T> {
  private value: T;
  private text: string;
  private lastCheck: number;
  private lastUnknownKeyReload = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly file: string,
    private readonly label: string,
    private readonly parse: (text: string) => T,
    private readonly options: {
      readonly now: () => number;
      readonly cooldownMs: number;
      readonly refreshMs: number;
      readonly onReloadError?: ((error: Error) => void) | undefined;
    },
  ) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new TrustConfigError(
        `${label}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      );
    }
    try {
      this.value = parse(text);
    } catch (error) {
      throw new TrustConfigError(`${label}: ${file} ${(error as Error).message}.`);
    }
    this.text = text;
    this.lastCheck = options.now();
  }

  get current(): T {
    return this.value;
  }

  /** Re-reads the file if `refreshMs` has passed since the last look. Returns whether the set changed. */
  refreshIfDue(): boolean {
    if (this.options.now() - this.lastCheck < this.options.refreshMs) return false;
    return this.reload();
  }

  /** Re-reads the file for a key the set does not hold, unless one such reload happened within the cooldown. */
  reloadForUnknownKey(): boolean {
    const now = this.options.now();
    if (now - this.lastUnknownKeyReload < this.options.cooldownMs) return false;
    this.lastUnknownKeyReload = now;
    return this.reload();
  }

  /** Re-reads the file now. Returns whether the set changed; keeps the previous set if the file is bad. */
  reload(): boolean {
    this.lastCheck = this.options.now();
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      this.options.onReloadError?.(
        new TrustConfigError(
          `${this.label}: cannot read ${this.file} (${(error as NodeJS.ErrnoException).code ?? 'error'}); keeping the previous keys.`,
        ),
      );
      return false;
    }
    if (text === this.text) return false;
    try {
      this.value = this.parse(text);
    } catch (error) {
      this.options.onReloadError?.(
        new TrustConfigError(
          `${this.label}: ${this.file} ${(error as Error).message}; keeping the previous keys.`,
        ),
      );
      return false;
    }
    this.text = text;
    return true;
  }
}
