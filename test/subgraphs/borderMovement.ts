import type { RecordChange, ReferenceStore, SuspectRecord } from '../../subgraphs/reference';
import { TEST_NOW } from '../support/alliance';

/**
 * The n-th border movement of a suspect with a travel document, recorded by `store`'s member: distinct for
 * each n (its crossing point and time), on the suspect's first document, so each one matches a watch on it.
 */
export function borderMovement(store: ReferenceStore, suspect: SuspectRecord, n: number): RecordChange {
  return {
    kind: 'border_movement',
    suspect: suspect.id,
    movement: {
      direction: n % 2 === 0 ? 'EXIT' : 'ENTRY',
      crossingPoint: `Test crossing ${n}`,
      country: store.country,
      at: new Date(TEST_NOW - 3_600_000 + n * 1000).toISOString(),
      documentNumber: suspect.travelDocuments[0]!.number,
    },
  };
}
