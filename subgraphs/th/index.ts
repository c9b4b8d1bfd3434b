import type { NationalSystem } from '../kit';
import {
  createReferenceSystem,
  nationalField,
  type NationalSystemOptions,
  type ReferenceRecords,
} from '../reference';

/**
 * The Royal Thai Police: the reference national system (synthetic, fictional records; subgraphs/reference/world/).
 * National-only fields (schema/national/TH.graphql): the suspect's Thai national identification number (Thai nationals).
 */
export const COUNTRY = 'TH';

export function createSystem(options: NationalSystemOptions): NationalSystem<ReferenceRecords> {
  return createReferenceSystem({
    country: COUNTRY,
    store: options.store,
    nationalResolvers: {
      THSuspect: { thaiIdNumber: nationalField('thaiIdNumber') },
    },
  });
}
