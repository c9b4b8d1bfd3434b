/**
 * Global ids carry their owner: "KR-SUS-000123" is suspect 123 of Korea. The hub routes by the prefix;
 * every member turns a foreign id into a reference to the owner's concrete type (KHSuspect, ...).
 */

export const RECORD_KINDS = {
  SUS: 'Suspect',
  CMP: 'Compound',
  CAS: 'Case',
  VIC: 'Victim',
} as const;
export type KindCode = keyof typeof RECORD_KINDS;
export type EntityInterface = (typeof RECORD_KINDS)[KindCode];

export const ENTITY_INTERFACES: readonly EntityInterface[] = Object.values(RECORD_KINDS);

const GLOBAL_ID = /^([A-Z]{2})-(SUS|CMP|CAS|VIC)-(\d{6,9})$/;

export interface GlobalId {
  readonly owner: string;
  readonly kind: EntityInterface;
  readonly serial: number;
}

/** Parses a global id, or returns undefined when it does not have the `CC-KIND-NNNNNN` shape. */
export function parseGlobalId(id: string): GlobalId | undefined {
  const match = GLOBAL_ID.exec(id);
  if (!match) return undefined;
  return { owner: match[1]!, kind: RECORD_KINDS[match[2] as KindCode], serial: Number(match[3]) };
}

export function formatGlobalId(owner: string, kind: EntityInterface, serial: number): string {
  const code = (Object.keys(RECORD_KINDS) as KindCode[]).find((key) => RECORD_KINDS[key] === kind)!;
  return `${owner}-${code}-${String(serial).padStart(6, '0')}`;
}

/** The concrete type a member serves for an interface: KR + Suspect = KRSuspect. */
export function concreteTypeName(owner: string, kind: EntityInterface | 'Search'): string {
  return `${owner}${kind}`;
}

/** The inverse of concreteTypeName, for type names of the supergraph: "KHCompound" → KH, Compound. */
export function splitConcreteTypeName(
  typeName: string,
): { owner: string; kind: EntityInterface | 'Search' } | undefined {
  const match = /^([A-Z]{2})(Suspect|Compound|Case|Victim|Search)$/.exec(typeName);
  return match ? { owner: match[1]!, kind: match[2] as EntityInterface | 'Search' } : undefined;
}
