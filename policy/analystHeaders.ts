import { REQUEST_HEADERS } from './requestHeaders';

/** The headers only the gateway sends (to owners), or that come from the analyst's token, never from the analyst. */
type NotFromAnalyst = 'country' | 'analyst' | 'roles' | 'emergencyRegisteredAt' | 'justification';
export type AnalystHeaderKey = Exclude<keyof typeof REQUEST_HEADERS, NotFromAnalyst>;

export interface AnalystHeader {
  /** The header's name as an analyst writes it (`Accord-Purpose`); HTTP header names are case-insensitive. */
  readonly name: string;
  readonly meaning: string;
  readonly example: string;
}

/**
 * The `Accord-*` headers an analyst sends to say why they ask, with what each means (the explorer's headers
 * panel; docs/analysts.md "The headers" says the same for people). Who asks is never a header: the country and the analyst come from the
 * token. One entry per header of REQUEST_HEADERS the analyst sends: a header added there without its
 * meaning here is a compile error.
 */
const MEANINGS: Readonly<Record<AnalystHeaderKey, Omit<AnalystHeader, 'name'>>> = {
  purpose: {
    meaning:
      'why you ask: one of the purposes; always, for without a purpose nothing crosses a border (PURPOSE_REQUIRED)',
    example: 'investigation',
  },
  caseReference: {
    meaning:
      'your case reference; police-to-police clauses (memoranda, liaison desks) release only for a case',
    example: 'KR-CAS-000001',
  },
  requestReference: {
    meaning:
      "a formal request the owner approved (the grant's id): it opens only what the grant covers, until it expires or is revoked",
    example: 'KH-FUR-…',
  },
  jointTeam: {
    meaning:
      'the joint investigation team you act for: you are a named member and the record belongs to its operation',
    example: 'JTF-…',
  },
  emergency: {
    meaning:
      'an emergency registration, as declareEmergency returns it: an imminent risk to life or safety, within its window, with the purpose victim_rescue',
    example: 'EMG-KR-0123456789',
  },
  interpolNotice: {
    meaning:
      'an INTERPOL notice, colour first: clauses that release on a notice of that colour, for the purposes the colour serves',
    example: 'red:A-1234/5-2026',
  },
  warrantReference: {
    meaning: "an arrest warrant reference: extradition clauses' identity-confirming match of a wanted person",
    example: 'KR-WARRANT-2026-0001',
  },
};

/** `accord-jit` → `Accord-JIT`, `accord-request-ref` → `Accord-Request-Ref`. */
function displayName(wire: string): string {
  return wire
    .split('-')
    .map((part) => (part === 'jit' ? 'JIT' : part.charAt(0).toUpperCase() + part.slice(1)))
    .join('-');
}

export const ANALYST_HEADERS: readonly AnalystHeader[] = (Object.keys(MEANINGS) as AnalystHeaderKey[]).map(
  (key) => ({
    name: displayName(REQUEST_HEADERS[key]),
    ...MEANINGS[key],
  }),
);
