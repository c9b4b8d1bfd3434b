import type { EntityInterface } from '../schema/ids';
import { SEARCH_PAGE_SIZE } from '../schema/searchPages';

export { SEARCH_PAGE_SIZE };

/**
 * Every GraphQL document the CLI sends, and the readers of their answers, in one module: when the schema
 * changes shape (search results paging, say), this is the one file to adapt. `accord query` sends the
 * analyst's own document and reads nothing of it.
 */

// ---------------------------------------------------------------------------------------------------------
// search

export const SEARCH_DOCUMENT = `query AccordSearch($term: String!, $countries: [String!]) {
  search(term: $term, countries: $countries) {
    country
    suspects { id fullName nationality }
    compounds { id name province }
    cases { id caseNumber status }
    victims { id fullName nationality }
  }
}`;

export function searchVariables(
  term: string,
  countries: readonly string[] | undefined,
): Record<string, unknown> {
  return { term, ...(countries ? { countries } : {}) };
}

/** One record a search found. */
export interface SearchRow {
  /** The member that answered (the owner of the record). */
  readonly country: string;
  readonly kind: EntityInterface;
  readonly id: string;
  /** The record's name (a person's full name, a compound's name, a case's number), null when withheld. */
  readonly name: string | null;
  /** One more fact to tell records apart (nationality, province, status), null when withheld or empty. */
  readonly detail: string | null;
  /** Where the name is in the answer: an error on this path says why it is null. */
  readonly namePath: readonly (string | number)[];
}

export interface SearchReading {
  /** The members that answered, in the hub's order. */
  readonly countries: readonly string[];
  readonly rows: readonly SearchRow[];
}

const SEARCH_LISTS: readonly { list: string; kind: EntityInterface; name: string; detail: string }[] = [
  { list: 'suspects', kind: 'Suspect', name: 'fullName', detail: 'nationality' },
  { list: 'compounds', kind: 'Compound', name: 'name', detail: 'province' },
  { list: 'cases', kind: 'Case', name: 'caseNumber', detail: 'status' },
  { list: 'victims', kind: 'Victim', name: 'fullName', detail: 'nationality' },
];

/** The lists a search answers, in the order the table shows them (`--kind`). */
export const SEARCH_KINDS: readonly string[] = SEARCH_LISTS.map((entry) => entry.list);

/** One kind's page from every member asked: `<list>Connection(first, after)`, with its count and cursor. */
export function searchPageDocument(list: string): string {
  const entry = SEARCH_LISTS.find((candidate) => candidate.list === list)!;
  return `query AccordSearchPage($term: String!, $countries: [String!], $first: Int, $after: String) {
  search(term: $term, countries: $countries) {
    country
    ${list}Connection(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id ${entry.name} ${entry.detail} }
    }
  }
}`;
}

export function searchPageVariables(
  term: string,
  countries: readonly string[] | undefined,
  first: number | undefined,
  after: string | undefined,
): Record<string, unknown> {
  return {
    ...searchVariables(term, countries),
    ...(first !== undefined ? { first } : {}),
    ...(after !== undefined ? { after } : {}),
  };
}

/** One member's page: its rows, how many records it matched that you may see, and where the next page starts. */
export interface SearchPage {
  readonly country: string;
  readonly shown: number;
  readonly totalCount: number | null;
  /** The cursor to pass as `--after` for the next page; undefined on the last page. */
  readonly next?: string;
}

export function readSearchPage(
  data: Json | null | undefined,
  list: string,
): SearchReading & { readonly pages: readonly SearchPage[] } {
  const entry = SEARCH_LISTS.find((candidate) => candidate.list === list)!;
  const field = `${list}Connection`;
  const answers = (data?.['search'] ?? []) as readonly (Json | null)[];
  const countries: string[] = [];
  const rows: SearchRow[] = [];
  const pages: SearchPage[] = [];
  answers.forEach((answer, index) => {
    if (!answer) return;
    const country = String(answer['country']);
    countries.push(country);
    const connection = answer[field] as Json | null | undefined;
    if (!connection) return;
    const nodes = (connection['nodes'] ?? []) as readonly (Json | null)[];
    nodes.forEach((record, position) => {
      if (!record) return;
      rows.push({
        country,
        kind: entry.kind,
        id: String(record['id']),
        name: text(record[entry.name]),
        detail: text(record[entry.detail]),
        namePath: ['search', index, field, 'nodes', position, entry.name],
      });
    });
    const info = connection['pageInfo'] as Json | null | undefined;
    const total = connection['totalCount'];
    pages.push({
      country,
      shown: nodes.length,
      totalCount: typeof total === 'number' ? total : null,
      ...(info?.['hasNextPage'] === true && typeof info['endCursor'] === 'string'
        ? { next: info['endCursor'] }
        : {}),
    });
  });
  return { countries, rows, pages };
}

type Json = Readonly<Record<string, unknown>>;

export function readSearch(data: Json | null | undefined): SearchReading {
  const answers = (data?.['search'] ?? []) as readonly (Json | null)[];
  const countries: string[] = [];
  const rows: SearchRow[] = [];
  answers.forEach((answer, index) => {
    if (!answer) return;
    const country = String(answer['country']);
    countries.push(country);
    for (const { list, kind, name, detail } of SEARCH_LISTS) {
      const records = (answer[list] ?? []) as readonly (Json | null)[];
      records.forEach((record, position) => {
        if (!record) return;
        rows.push({
          country,
          kind,
          id: String(record['id']),
          name: text(record[name]),
          detail: text(record[detail]),
          namePath: ['search', index, list, position, name],
        });
      });
    }
  });
  return { countries, rows };
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

// ---------------------------------------------------------------------------------------------------------
// record

/**
 * One record with every field of the contract's interface (schema/contract.graphql; a test checks none is
 * missing), the records it points to by id, country and name. National-only fields are left to `accord query`.
 */
const LOCATION = 'description country point { latitude longitude } observedAt';
const MONEY = 'amount currency';
const ACCOUNT = 'kind institution number country holderName';

export const RECORD_SELECTIONS: Readonly<Record<EntityInterface, string>> = {
  Suspect: `id country fullName aliases dateOfBirth nationality passportNumbers phones messengerHandles
    wantedStatus { wanted warrants { reference issuedBy issuedOn offence } interpolNotice { colour id } }
    criminalRecord { court date offence sentence }
    lastKnownLocation { ${LOCATION} }
    borderMovements { direction crossingPoint country at documentNumber }
    travelDocuments { kind number issuingCountry expiresOn }
    financialAccounts { ${ACCOUNT} }
    subscriberRecords { phone operator registeredName activatedOn }
    callRecords { from to at durationSeconds }
    interceptedMessages { at channel from to content }
    associates { id country fullName }
    linkedCases { id country caseNumber }`,
  Compound: `id country name address province coordinates { latitude longitude } status estimatedWorkers security
    operators { id country fullName }
    raids { date leadAgency outcome workersFreed arrests }
    linkedCases { id country caseNumber }`,
  Case: `id country caseNumber leadAgency operations offences status modusOperandi lossAmount { ${MONEY} }
    suspects { id country fullName }
    compounds { id country name }
    victims { id country fullName }
    evidence { reference description custodian seizedOn }
    proceedsAccounts { ${ACCOUNT} }
    transactions { at fromAccount toAccount amount { ${MONEY} } }
    frozenAmount { ${MONEY} }
    recoveredAmount { ${MONEY} }`,
  Victim: `id country fullName dateOfBirth nationality status lastKnownLocation { ${LOCATION} }
    confinedAt { id country name }
    injuries needs
    linkedCases { id country caseNumber }`,
};

/** The root field that answers a record of `kind` (`suspect(id:)`, …). */
export function recordField(kind: EntityInterface): string {
  return kind.charAt(0).toLowerCase() + kind.slice(1);
}

export function recordDocument(kind: EntityInterface): string {
  return `query AccordRecord($id: ID!) {\n  ${recordField(kind)}(id: $id) {\n    ${RECORD_SELECTIONS[kind]}\n  }\n}`;
}

/** The record in an answer to recordDocument, or null (not found, or refused). */
export function readRecord(kind: EntityInterface, data: Json | null | undefined): Json | null {
  return (data?.[recordField(kind)] ?? null) as Json | null;
}

// ---------------------------------------------------------------------------------------------------------
// what every answer carries

/** The hit tokens an answer gave (record id → token), for filing a follow-up request. */
export function readHits(extensions: Json | undefined): Readonly<Record<string, string>> {
  const hits = (extensions?.['accord'] as Json | undefined)?.['hits'];
  return hits && typeof hits === 'object' ? (hits as Record<string, string>) : {};
}

/** The obligations each owner attached to what it released (owner → releases). */
export function readObligations(
  extensions: Json | undefined,
): Readonly<Record<string, { releases?: readonly Json[] }>> {
  const obligations = extensions?.['obligations'];
  return obligations && typeof obligations === 'object'
    ? (obligations as Record<string, { releases?: readonly Json[] }>)
    : {};
}
