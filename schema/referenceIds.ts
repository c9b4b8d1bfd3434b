/**
 * A reference field of the contract (`associates: [Suspect!]`, `confinedAt: Compound`) is served in two
 * parts (docs/decisions/0020-references-through-the-hub.md): the owner of the referring record answers the
 * referenced records' ids in a field of its own (`associateIds: [ID!]`, hidden from clients), and the hub
 * turns those ids into typed references (`associates`, `@requires` on the ids). This module names the
 * id field of a reference field, in one place for the generator, the members and the hub.
 */

/** `associates` → `associateIds`, `linkedCases` → `linkedCaseIds`; a single reference `confinedAt` → `confinedAtId`. */
export function referenceIdsFieldName(field: string, list: boolean): string {
  if (!list) return `${field}Id`;
  return `${field.endsWith('s') ? field.slice(0, -1) : field}Ids`;
}
