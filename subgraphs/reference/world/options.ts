// What a world is made from (seed, size, members), their defaults and their checks.
import { hashString } from './random';

/** Bump when generation changes: stores seeded by an older generator are reseeded. */
export const WORLD_VERSION = 1;

export const DEFAULT_SEED = 20251021;
/** About this many records per member (tens per kind). */
export const DEFAULT_SIZE = 100;
const MAX_SIZE = 5_000_000;

/**
 * A seed as given by a person (`ACCORD_SEED=42`, `ACCORD_SEED=demo`) → a 32-bit seed. Decimal strings
 * mean their number, so "42" and 42 give the same world.
 */
export function normalizeSeed(seed: number | string | undefined): number {
  if (seed === undefined) return DEFAULT_SEED;
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new Error(`A world seed must be a non-negative integer or a string, not ${seed}.`);
    return seed >>> 0;
  }
  if (/^\d+$/.test(seed)) return normalizeSeed(Number(seed));
  if (seed.length === 0) throw new Error('A world seed must not be empty.');
  return hashString(seed);
}

/** A size as given → the size, or a clear error; undefined is the default. */
export function validateSize(size: number | undefined): number {
  if (size === undefined) return DEFAULT_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_SIZE) {
    throw new Error(
      `A world size must be an integer from 1 to ${MAX_SIZE} (about that many records per member), not ${size}.`,
    );
  }
  return size;
}

export interface WorldOptions {
  /** Default DEFAULT_SEED. Decimal strings are numbers; other strings are hashed. */
  readonly seed?: number | string;
  /** About this many records per member (default DEFAULT_SIZE); 100000 for benchmarks. */
  readonly size?: number;
  /** The member codes, in registry order (default schema/members.ts). */
  readonly members?: readonly string[];
}
