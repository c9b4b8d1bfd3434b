/**
 * The record fields of the supergraph as the legal tools use them (built by legal/fieldCatalog.ts on
 * Node; shipped as data to the page). Kept free of GraphQL so it runs in a browser too.
 */
import { nearestNames } from '../vocabulary';
import { LegalInputError } from './LegalInputError';

export interface FieldEntry {
  /** "KHSuspect.passportNumbers" */
  readonly coordinate: string;
  readonly type: string;
  readonly field: string;
  /** The member that owns records of this type. */
  readonly owner: string;
  /** The entity interface: Suspect, Compound, Case, Victim. */
  readonly kind: string;
  /** The data category; '' only in `uncategorized`. */
  readonly category: string;
  /** The named type the field returns (lists and non-null unwrapped). */
  readonly returns: string;
  /** True for `id`, the reference, which carries no `@category` and is `meta.reference`. */
  readonly implicit: boolean;
}

export interface FieldCatalog {
  readonly fields: readonly FieldEntry[];
  /** Fields of record types without a `@category` (other than `id`): lint reports them. */
  readonly uncategorized: readonly FieldEntry[];
}

/**
 * The field a coordinate names. Accepts a concrete coordinate ("KHSuspect.passportNumbers") or an
 * interface one ("Suspect.passportNumbers") with the owner given; anything else is a LegalInputError
 * with the nearest valid names.
 */
export function findField(catalog: FieldCatalog, coordinate: string, owner?: string): FieldEntry {
  const exact = catalog.fields.find((entry) => entry.coordinate === coordinate);
  if (exact !== undefined) {
    if (owner !== undefined && exact.owner !== owner) {
      throw new LegalInputError(
        `${coordinate} is a field of ${exact.owner} records, but the owner given is ${owner}: use ${owner}${exact.kind}.${exact.field}, or leave the owner out`,
      );
    }
    return exact;
  }
  const [typeName = '', fieldName = ''] = coordinate.split('.');
  if (owner !== undefined) {
    const viaInterface = catalog.fields.find(
      (entry) => entry.owner === owner && entry.kind === typeName && entry.field === fieldName,
    );
    if (viaInterface !== undefined) return viaInterface;
  }
  const types = [...new Set(catalog.fields.map((entry) => entry.type))];
  const typeKnown =
    types.includes(typeName) ||
    (owner !== undefined && catalog.fields.some((entry) => entry.kind === typeName));
  if (!typeKnown) {
    const near = nearestNames(typeName, [...types, ...new Set(catalog.fields.map((entry) => entry.kind))]);
    throw new LegalInputError(
      `unknown field '${coordinate}': no record type '${typeName}'${near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : ''}; a field is written Type.field, e.g. KHSuspect.passportNumbers`,
    );
  }
  const sameType = catalog.fields.filter(
    (entry) =>
      entry.type === typeName || (owner !== undefined && entry.owner === owner && entry.kind === typeName),
  );
  const near = nearestNames(
    fieldName,
    sameType.map((entry) => entry.field),
  );
  throw new LegalInputError(
    `unknown field '${coordinate}'${near.length > 0 ? ` (did you mean ${near.map((name) => `${typeName}.${name}`).join(', ')}?)` : ''}; fields of ${typeName}: ${sameType.map((entry) => entry.field).join(', ')}`,
  );
}
