import { readHits, readObligations } from './documents';
import type { GraphQLBody } from './gateway';

/**
 * What an answer carries besides its data, for people: the hit tokens (the proof to file a follow-up
 * request with) and the obligations each owner attached to what it released.
 */
export function hitLines(body: GraphQLBody): string[] {
  const hits = Object.entries(readHits(body.extensions));
  if (hits.length === 0) return [];
  return [
    'Hit tokens (give one in hitTokens when you file a follow-up request about its record):',
    ...hits.map(([id, token]) => `  ${id}  ${token}`),
  ];
}

export function obligationLines(body: GraphQLBody): string[] {
  const lines: string[] = [];
  for (const [owner, { releases = [] }] of Object.entries(readObligations(body.extensions))) {
    for (const release of releases) {
      const clause = [release['agreement'], release['clause']]
        .filter((part) => typeof part === 'string')
        .join(' / ');
      const categories = Array.isArray(release['categories'])
        ? (release['categories'] as string[]).join(', ')
        : '';
      const terms = Object.entries((release['obligations'] ?? {}) as Record<string, unknown>)
        .filter(([, value]) => value !== null && value !== undefined)
        .map(([name, value]) => `${name} ${typeof value === 'string' ? value : JSON.stringify(value)}`);
      lines.push(`  ${owner}: ${categories} under ${clause}${terms.length ? ` — ${terms.join('; ')}` : ''}`);
    }
  }
  return lines.length ? ['Obligations (what you must do with what was released):', ...lines] : [];
}
