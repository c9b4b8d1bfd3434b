import type { NationalSystem } from '../kit';
import {
  createReferenceSystem,
  nationalField,
  type NationalSystemOptions,
  type ReferenceRecords,
} from '../reference';

/**
 * Viet Nam's Ministry of Public Security: the reference national system (synthetic, fictional records; subgraphs/reference/world/).
 * National-only fields (schema/national/VN.graphql): the suspect's citizen identity card number (Vietnamese nationals).
 */
export const COUNTRY = 'VN';

export function createSystem(options: NationalSystemOptions): NationalSystem<ReferenceRecords> {
  return createReferenceSystem({
    country: COUNTRY,
    store: options.store,
    nationalResolvers: {
      VNSuspect: { citizenIdNumber: nationalField('citizenIdNumber') },
    },
  });
}
