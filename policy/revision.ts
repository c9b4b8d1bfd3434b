/**
 * The revision of an agreement set: sha256 over its canonical content, so it names what the rules say,
 * not how the files are laid out. Comments, key order, file names and clause order do not change it;
 * any change to what a clause says does.
 */
import { createHash } from 'node:crypto';
import type { Agreement, DomesticGate, Member } from './types';

export function revisionOf(content: {
  readonly members: readonly Member[];
  readonly agreements: readonly Agreement[];
  readonly gates: readonly DomesticGate[];
}): string {
  const byId = <T extends { readonly id: string }>(items: readonly T[]): T[] =>
    [...items].sort((a, b) => compare(a.id, b.id));
  const canonical = {
    members: [...content.members].sort((a, b) => compare(a.code, b.code)),
    agreements: byId(content.agreements).map((agreement) => ({
      ...agreement,
      clauses: byId(agreement.clauses),
    })),
    gates: [...content.gates].sort((a, b) => compare(a.owner, b.owner)),
  };
  return createHash('sha256').update(canonicalJson(canonical)).digest('hex');
}

/** JSON with object keys sorted and `source` locations left out (they say where, not what). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([key, item]) => key !== 'source' && item !== undefined)
    .sort(([a], [b]) => compare(a, b));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
