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
 * panel, the documentation). Who asks is never a header: the country and the analyst come from the
 * token. One entry per header of REQUEST_HEADERS the analyst sends: a header added there without its
 * meaning here is a compile error.
 */
const MEANINGS: Readonly<Record<AnalystHeaderKey, Omit<AnalystHeader, 'name'>>> = {
  purpose: { meaning: 'Why you ask: one purpose per request. Most clauses release data for some purposes only.', example: 'investigation' },
  caseReference: { meaning: "Your service's case the request belongs to; police-cooperation clauses need one.", example: 'KR-CAS-000001' },
  requestReference: { meaning: 'A formal request the owner approved at its desk (a grant): opens what that grant covers.', example: 'the id fileFollowUpRequest returned' },
  jointTeam: { meaning: 'The joint investigation team you act for; you must be one of its named members.', example: 'JTF-KR-KH-2025' },
  emergency: { meaning: 'An emergency your country registered (declareEmergency returns its id): a life is at risk now.', example: 'EMG-KR-0123456789' },
  interpolNotice: { meaning: "An INTERPOL notice, its colour and id; the colour limits the purposes it serves.", example: 'red:A-1234/5-2026' },
  warrantReference: { meaning: 'An arrest warrant, for an extradition clause.', example: 'KR-WARRANT-2026-0001' },
};

/** `accord-jit` → `Accord-JIT`, `accord-request-ref` → `Accord-Request-Ref`. */
function displayName(wire: string): string {
  return wire
    .split('-')
    .map((part) => (part === 'jit' ? 'JIT' : part.charAt(0).toUpperCase() + part.slice(1)))
    .join('-');
}

export const ANALYST_HEADERS: readonly AnalystHeader[] = (Object.keys(MEANINGS) as AnalystHeaderKey[]).map((key) => ({
  name: displayName(REQUEST_HEADERS[key]),
  ...MEANINGS[key],
}));
