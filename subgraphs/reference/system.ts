import { concreteTypeName, ENTITY_INTERFACES } from '../../schema';
import type { NationalSystem } from '../kit';
import {
  createRequestRecords,
  referenceResolvers,
  type ReferenceRecords,
  type ReferenceResolverMap,
} from './resolvers';
import type { ReferenceStore } from './store';

/** What each member's `createSystem` takes: an open store of that member's share of the world. */
export interface NationalSystemOptions {
  readonly store: ReferenceStore;
}

export interface ReferenceSystemOptions {
  /** The member this system serves; the store must hold that member's share. */
  readonly country: string;
  readonly store: ReferenceStore;
  /**
   * Resolvers of the member's national-only fields (schema/national/<CC>.graphql), merged over the
   * shared ones, e.g. `{ KRSuspect: { residentRegistrationNumber: nationalField('residentRegistrationNumber') } }`.
   * Only the member's own types may appear here.
   */
  readonly nationalResolvers?: ReferenceResolverMap;
}

/** A reference national system: the member's records from its store, served through the kit. */
export function createReferenceSystem(options: ReferenceSystemOptions): NationalSystem<ReferenceRecords> {
  const { country, store } = options;
  if (store.country !== country) {
    throw new Error(`createReferenceSystem: the store holds ${store.country}'s records, not ${country}'s.`);
  }
  const resolvers = referenceResolvers(country);
  const ownTypes = new Set(
    [...ENTITY_INTERFACES, 'Search' as const].map((kind) => concreteTypeName(country, kind)),
  );
  for (const [typeName, fields] of Object.entries(options.nationalResolvers ?? {})) {
    if (!ownTypes.has(typeName)) {
      throw new Error(
        `createReferenceSystem: national resolvers for ${typeName}; ${country} resolves only its own types (${[...ownTypes].join(', ')}).`,
      );
    }
    resolvers[typeName] = { ...(resolvers[typeName] as object), ...(fields as object) };
  }
  return {
    country,
    resolvers,
    createRequestRecords: () => createRequestRecords(store),
    close: () => store.close(),
  };
}
