/**
 * Checks of what a person types into a legal tool (command line or page form). Each names what it
 * expected, the value it got and the nearest valid names, and throws LegalInputError. docs/style.md, rule 8.
 */
import type { AgreementSet } from '../policy/core';
import {
  CATEGORIES,
  PURPOSES,
  isCategory,
  isPurpose,
  nearestNames,
  type Category,
  type Purpose,
} from '../vocabulary';
import { LegalInputError } from './LegalInputError';

function hint(value: string, candidates: readonly string[]): string {
  const near = nearestNames(value, candidates);
  return near.length > 0 ? `did you mean ${near.join(', ')}? ` : '';
}

/** A member country of the set, by ISO code (case-insensitive input). */
export function parseCountry(value: string, set: AgreementSet, what = 'country'): string {
  const codes = set.members.map((member) => member.code);
  const upper = value.trim().toUpperCase();
  if (codes.includes(upper)) return upper;
  const byName = set.members.find((member) => member.name.toLowerCase() === value.trim().toLowerCase());
  if (byName !== undefined) return byName.code;
  throw new LegalInputError(`unknown ${what} '${value}' (${hint(upper, codes)}members: ${codes.join(', ')})`);
}

export function parsePurpose(value: string): Purpose {
  const trimmed = value.trim();
  if (isPurpose(trimmed)) return trimmed;
  throw new LegalInputError(
    `unknown purpose '${value}' (${hint(trimmed, PURPOSES)}purposes: ${PURPOSES.join(', ')})`,
  );
}

export function parseCategory(value: string): Category {
  const trimmed = value.trim();
  if (isCategory(trimmed)) return trimmed;
  throw new LegalInputError(
    `unknown category '${value}' (${hint(trimmed, CATEGORIES)}categories: ${CATEGORIES.join(', ')})`,
  );
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * An instant: a date ("2026-06-01", read as 12:00 UTC that day, well inside any UTC-day window) or a date
 * and time ("2026-06-01T08:30Z"; UTC unless an offset is given).
 */
export function parseInstant(value: string, what = 'date'): number {
  const trimmed = value.trim();
  let ms = Number.NaN;
  if (DATE.test(trimmed)) ms = Date.parse(`${trimmed}T12:00:00Z`);
  else if (DATE_TIME.test(trimmed))
    ms = Date.parse(
      /(Z|[+-]\d{2}:?\d{2})$/.test(trimmed) ? trimmed.replace(' ', 'T') : `${trimmed.replace(' ', 'T')}Z`,
    );
  if (Number.isNaN(ms) || (DATE.test(trimmed) && new Date(ms).toISOString().slice(0, 10) !== trimmed)) {
    throw new LegalInputError(
      `'${value}' is not a valid ${what}: write YYYY-MM-DD (read as 12:00 UTC) or YYYY-MM-DDTHH:MM[Z|±HH:MM]`,
    );
  }
  return ms;
}
