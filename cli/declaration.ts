import { REQUEST_HEADERS } from '../policy/requestHeaders';
import { PURPOSES, isPurpose, nearestNames } from '../vocabulary';
import { UsageError } from './CliError';
import type { Options, ParsedLine } from './commandLine';

/**
 * Why the analyst asks: the flags that become the `Accord-*` declaration headers (policy/requestHeaders.ts).
 * Who asks is the token, never a flag. The gateway checks every value; the purpose is also checked here,
 * so a typo is answered with the nearest purposes before anything is sent.
 */
export const DECLARATION_FLAGS = {
  purpose: { header: REQUEST_HEADERS.purpose, value: 'PURPOSE', help: `why you ask: ${PURPOSES.join(', ')}` },
  case: {
    header: REQUEST_HEADERS.caseReference,
    value: 'REF',
    help: 'your case reference (e.g. KR-CAS-000001)',
  },
  'request-ref': {
    header: REQUEST_HEADERS.requestReference,
    value: 'ID',
    help: "a formal request the owner approved (its grant's id)",
  },
  jit: {
    header: REQUEST_HEADERS.jointTeam,
    value: 'ID',
    help: 'the joint investigation team you act for (e.g. JTF-KR-KH-2025)',
  },
  emergency: {
    header: REQUEST_HEADERS.emergency,
    value: 'ID',
    help: 'an emergency registration, as declareEmergency returns it (EMG-…)',
  },
  notice: {
    header: REQUEST_HEADERS.interpolNotice,
    value: 'COLOUR:ID',
    help: 'an INTERPOL notice, colour first (e.g. red:A-1234/5-2026)',
  },
  warrant: {
    header: REQUEST_HEADERS.warrantReference,
    value: 'REF',
    help: 'an arrest warrant reference (extradition)',
  },
} as const;

export const DECLARATION_OPTIONS: Options = Object.fromEntries(
  Object.keys(DECLARATION_FLAGS).map((name) => [name, { type: 'string' as const }]),
);

/** The usage lines of the declaration flags. */
export function declarationUsage(): string {
  const rows = Object.entries(DECLARATION_FLAGS).map(
    ([flag, { value, help }]) => [`--${flag} ${value}`, help] as const,
  );
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, help]) => `  ${left.padEnd(width)}  ${help}`).join('\n');
}

/** The declaration headers the command line asks for. */
export function declarationHeaders(values: ParsedLine['values'], command: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [flag, { header }] of Object.entries(DECLARATION_FLAGS)) {
    const value = values[flag];
    if (typeof value === 'string') headers[header] = value;
  }
  const purpose = headers[REQUEST_HEADERS.purpose];
  if (purpose !== undefined) checkPurpose(purpose, command);
  return headers;
}

/** A purpose of the vocabulary, or a UsageError naming the nearest ones (`accord search`, `accord alerts`). */
export function checkPurpose(purpose: string, command: string): void {
  if (isPurpose(purpose)) return;
  const near = nearestNames(purpose, PURPOSES);
  throw new UsageError(
    `${JSON.stringify(purpose)} is not a purpose${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}; purposes: ${PURPOSES.join(', ')}.`,
    command,
  );
}
