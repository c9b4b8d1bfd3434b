import { join, resolve } from 'node:path';
import type { EntityInterface } from '../../schema';

/**
 * Where a reference member's store is and how its records are laid out: one table per kind, each row a
 * global id and the record as JSON. Its own file, importing nothing heavy, so that a reader that only
 * looks a record up (storedRecordFacts.ts, for `npm run policy -- explain --record-id`) need not load the
 * store's search and seeding (store.ts) with their GraphQL dependencies.
 */

/** One table per kind; each row `(id TEXT PRIMARY KEY, data TEXT)`, the record as JSON. */
export const STORE_TABLES: Readonly<Record<EntityInterface, string>> = {
  Suspect: 'suspects',
  Compound: 'compounds',
  Case: 'cases',
  Victim: 'victims',
};

/** The project's `data/` folder (git-ignored): where members keep their stores by default. */
export const DEFAULT_DATA_DIR = resolve(__dirname, '..', '..', 'data');

/** `<dataDir>/<cc>.sqlite`. */
export function storeFile(country: string, dataDir: string = DEFAULT_DATA_DIR): string {
  return join(dataDir, `${country.toLowerCase()}.sqlite`);
}
