import type { NationalSystem } from '../kit';
import {
  createReferenceSystem,
  nationalField,
  type NationalSystemOptions,
  type ReferenceRecords,
} from '../reference';

/**
 * The Korean National Police Agency: the reference national system (synthetic, fictional records; subgraphs/reference/world/).
 * National-only fields (schema/national/KR.graphql): the suspect's resident registration number (Korean nationals) and the case's investigating unit.
 */
export const COUNTRY = 'KR';

export function createSystem(options: NationalSystemOptions): NationalSystem<ReferenceRecords> {
  return createReferenceSystem({
    country: COUNTRY,
    store: options.store,
    nationalResolvers: {
      KRSuspect: { residentRegistrationNumber: nationalField('residentRegistrationNumber') },
      KRCase: { investigatingUnit: nationalField('investigatingUnit') },
    },
  });
}
