import type { NationalSystem } from '../kit';
import {
  createReferenceSystem,
  nationalField,
  type NationalSystemOptions,
  type ReferenceRecords,
} from '../reference';

/**
 * Cambodia's General Commissariat of National Police: the reference national system (synthetic, fictional records; subgraphs/reference/world/).
 * National-only fields (schema/national/KH.graphql): the suspect's name in Khmer script (Cambodian nationals) and the compound's commune.
 */
export const COUNTRY = 'KH';

export function createSystem(options: NationalSystemOptions): NationalSystem<ReferenceRecords> {
  return createReferenceSystem({
    country: COUNTRY,
    store: options.store,
    nationalResolvers: {
      KHSuspect: { khmerName: nationalField('khmerName') },
      KHCompound: { commune: nationalField('commune') },
    },
  });
}
