/**
 * Grants given to the workbench in a file (`npm run policy -- explain --grants FILE`): a JSON array of
 * grants, one grant, or JSON lines as `npm run desk -- list` prints them. Times are epoch milliseconds or
 * ISO 8601. The file is the reviewer's copy: its grants are taken as written (the owner's store, read with
 * --data-dir, is where signatures are checked). A grant that does not have the model's shape is refused
 * with the line and the field, and nothing is explained.
 */
import { readFileSync } from 'node:fs';
import type { Grant } from '../policy/core';
import { isCategory, isPurpose } from '../vocabulary';
import { LegalInputError } from './LegalInputError';
import { whyUnreadable } from '../lib/unreadable';

export function readGrantFile(file: string): Grant[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new LegalInputError(`cannot read the grants file ${file}: ${whyUnreadable(error)}`);
  }
  let items: { value: unknown; where: string }[];
  try {
    const whole = JSON.parse(text) as unknown;
    const list: unknown[] = Array.isArray(whole) ? (whole as unknown[]) : [whole];
    items = list.map((value, i) => ({ value, where: `${file} item ${i + 1}` }));
  } catch {
    // Not one JSON document: JSON lines, as the desk lists grants.
    items = text
      .split('\n')
      .map((line, i) => ({ line: line.trim(), n: i + 1 }))
      .filter(({ line }) => line !== '')
      .map(({ line, n }) => {
        try {
          return { value: JSON.parse(line) as unknown, where: `${file} line ${n}` };
        } catch {
          throw new LegalInputError(
            `${file} line ${n} is not JSON (give a JSON array of grants, or one grant per line as npm run desk -- list prints them)`,
          );
        }
      });
  }
  return items.map(({ value, where }) => grantOf(value, where));
}

function grantOf(value: unknown, where: string): Grant {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new LegalInputError(`${where} is not a grant (a JSON object)`);
  const g = value as Record<string, unknown>;
  const text = (key: string): string => {
    const v = g[key];
    if (typeof v !== 'string' || v.trim() === '')
      throw new LegalInputError(`${where}: ${key} must be a non-empty string`);
    return v;
  };
  const list = (key: string): string[] => {
    const v = g[key];
    if (!Array.isArray(v) || v.some((item) => typeof item !== 'string'))
      throw new LegalInputError(`${where}: ${key} must be a list of strings`);
    return v as string[];
  };
  const instant = (key: string): number => {
    const v = g[key];
    const ms =
      typeof v === 'number'
        ? v
        : typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)
          ? Date.parse(v)
          : Number.NaN;
    if (!Number.isFinite(ms))
      throw new LegalInputError(`${where}: ${key} must be epoch milliseconds or an ISO 8601 time`);
    return ms;
  };
  const purpose = text('purpose');
  if (!isPurpose(purpose)) throw new LegalInputError(`${where}: "${purpose}" is not a purpose`);
  const categories = list('categories');
  for (const category of categories)
    if (!isCategory(category)) throw new LegalInputError(`${where}: "${category}" is not a data category`);
  if (typeof g['evidentiaryUse'] !== 'boolean')
    throw new LegalInputError(`${where}: evidentiaryUse must be true or false`);
  return {
    id: text('id'),
    owner: text('owner').toUpperCase(),
    requesterCountry: text('requesterCountry').toUpperCase(),
    analysts: list('analysts'),
    caseReference: text('caseReference'),
    purpose,
    agreement: text('agreement'),
    clauses: list('clauses'),
    subjects: list('subjects'),
    categories: categories as Grant['categories'],
    validFrom: instant('validFrom'),
    validUntil: instant('validUntil'),
    ...(g['revokedAt'] !== undefined && g['revokedAt'] !== null && { revokedAt: instant('revokedAt') }),
    evidentiaryUse: g['evidentiaryUse'],
  };
}
