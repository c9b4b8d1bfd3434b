import type { NationalSystem } from '../kit';
import {
  createReferenceSystem,
  nationalField,
  type NationalSystemOptions,
  type ReferenceRecords,
} from '../reference';

/**
 * The Philippine National Police: the reference national system (synthetic, fictional records; subgraphs/reference/world/).
 * National-only fields (schema/national/PH.graphql): the suspect's PhilSys number (Philippine nationals).
 */
export const COUNTRY = 'PH';

export function createSystem(options: NationalSystemOptions): NationalSystem<ReferenceRecords> {
  return createReferenceSystem({
    country: COUNTRY,
    store: options.store,
    nationalResolvers: {
      PHSuspect: { philsysNumber: nationalField('philsysNumber') },
    },
  });
}
