// A filler person's identity, drawn from its own stream so that every record naming the person (as holder
// of an account, registered subscriber, …) agrees with the person's own record.
import { namePoolOf } from './profiles';
import type { Rng } from './random';

/** A person's identity as every record that mentions them needs it (holder names, registrations). */
export interface Identity {
  readonly family: string;
  readonly given: string;
  readonly fullName: string;
  readonly nationality: string;
  readonly dateOfBirth: string;
}

/**
 * A person's identity drawn from `rng` (the person's own 'identity' stream): nationality by the owner's
 * weights (the owner's own nationals when it has none), a name from that nationality's pool, a birth date
 * in `years`.
 */
export function drawIdentity(
  rng: Rng,
  owner: string,
  nationalities: Readonly<Record<string, readonly (readonly [string, number])[]>>,
  years: readonly [number, number],
): Identity {
  const nationality = rng.weighted(nationalities[owner] ?? [[owner, 1]]);
  const pool = namePoolOf(nationality);
  const family = rng.pick(pool.family);
  const given = rng.pick(pool.given);
  return {
    family,
    given,
    fullName: pool.format(family, given),
    nationality,
    dateOfBirth: rng.date(years[0], years[1]),
  };
}
