import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Kind,
  parse,
  print,
  type FieldDefinitionNode,
  type InterfaceTypeDefinitionNode,
  type ObjectTypeDefinitionNode,
  type DefinitionNode,
  type TypeNode,
} from 'graphql';
import { isCategory, nearestNames, CATEGORIES } from '../vocabulary';
import { ENTITY_INTERFACES, concreteTypeName, type EntityInterface } from './ids';
import { HUB_NAME, type Member } from './members';
import { FOLLOW_UP_SHARED_SDL, followUpMemberSdl } from './followUp';
import { SEARCH_PAGE_SIZE, connectionFieldName, connectionTypeName, edgeTypeName } from './searchPages';
import { SEARCH_INTERFACE, SEARCH_KEY_FIELDS } from './searchType';
import { referenceIdsFieldName } from './referenceIds';

/**
 * Writes every subgraph's SDL from the contract (schema/contract.graphql), the member registry and the
 * members' national-only fields (schema/national/<CODE>.graphql).
 *
 * Why this shape (measured with @apollo/composition 2.14, docs/architecture.md#federation-pitfalls-measured-with-the-pinned-versions-and-where-each-is-handled):
 * - `@key` on interfaces needs federation v2.3+.
 * - Each member declares the interfaces (without @key) and its own types only, nothing of the other
 *   members: its size does not depend on how many members there are (docs/decisions/0020). With @key on
 *   the members' interfaces, a member would have to resolve every other member's types, and composition's
 *   satisfiability check fails at 10 members (MAX_VALIDATION_SUBGRAPH_PATHS_EXCEEDED, measured).
 * - A reference field of the contract (`operators: [Suspect!]`) is not declared by the member: it answers
 *   the ids (`operatorIds: [ID!]`, same category, `@inaccessible`: clients never see it), and the hub,
 *   which declares every member's types anyway, serves the typed field with `@requires` on the ids
 *   (schema/referenceIds.ts). A member declaring `[Suspect!]` itself would need a stub of every other
 *   member's types, and the supergraph would grow with the square of the members (docs/decisions/0002).
 * - The hub declares the interfaces in full and a stub of every implementation whose non-key fields are
 *   `@external`, except the reference fields it serves; without a stub, a member composes but is silently
 *   unreachable through the interface.
 * - `@category` survives composition only through a `@link` to its spec plus `@composeDirective`.
 */

export const CATEGORY_SPEC_URL = 'https://specs.accord.example/category/v0.1';
const FEDERATION_LINK = 'https://specs.apollo.dev/federation/v2.3';

export interface SubgraphDefinition {
  /** The subgraph's name in the supergraph: the hub's name, or the member code in lower case. */
  readonly name: string;
  readonly typeDefs: string;
}

/** A contract or national file that the generator cannot turn into a valid subgraph. */
export class SchemaGenerationError extends Error {
  constructor(
    readonly subgraph: string,
    readonly coordinate: string,
    detail: string,
  ) {
    super(`subgraph "${subgraph}", field ${coordinate}: ${detail}`);
    this.name = 'SchemaGenerationError';
  }
}

/** The contract as parsed: the entity interfaces (and NationalSearch) and the shared value types/enums. */
export interface Contract {
  readonly interfaces: ReadonlyMap<string, InterfaceTypeDefinitionNode>;
  readonly valueTypes: readonly DefinitionNode[];
}

const SCHEMA_DIR = __dirname;

export function subgraphName(memberCode: string): string {
  return memberCode.toLowerCase();
}

export function loadContract(file = join(SCHEMA_DIR, 'contract.graphql')): Contract {
  const document = parse(readFileSync(file, 'utf8'), { noLocation: true });
  const interfaces = new Map<string, InterfaceTypeDefinitionNode>();
  const valueTypes: DefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.INTERFACE_TYPE_DEFINITION) interfaces.set(definition.name.value, definition);
    else valueTypes.push(definition);
  }
  for (const name of [...ENTITY_INTERFACES, SEARCH_INTERFACE]) {
    if (!interfaces.has(name))
      throw new SchemaGenerationError('contract', name, 'the contract must declare this interface');
  }
  return { interfaces: withSearchConnections(interfaces), valueTypes };
}

/**
 * Beside each list of records of `NationalSearch` (`suspects: [Suspect!]`), its connection
 * (`suspectsConnection(first, after): SuspectConnection`) under the list's category, derived here so that
 * a list added to the contract pages too (schema/searchPages.ts). The list stays: it is the first page.
 */
function withSearchConnections(
  interfaces: Map<string, InterfaceTypeDefinitionNode>,
): Map<string, InterfaceTypeDefinitionNode> {
  const search = interfaces.get(SEARCH_INTERFACE)!;
  const connections: FieldDefinitionNode[] = [];
  for (const field of search.fields ?? []) {
    const kind = listedKind(field);
    if (!kind) continue;
    const category = (field.directives ?? []).filter((d) => d.name.value === 'category');
    const text = `"The ${field.name.value} that match, a page at a time (best first: an exact token, then by id), and how many of them you may see."
      ${connectionFieldName(field.name.value)}("How many (at most ${SEARCH_PAGE_SIZE}, the default)." first: Int = ${SEARCH_PAGE_SIZE}, "The endCursor of the page before." after: String): ${connectionTypeName(kind)}`;
    const parsed = (
      parse(`interface X { ${text} }`, { noLocation: true }).definitions[0] as InterfaceTypeDefinitionNode
    ).fields![0]!;
    connections.push({ ...parsed, directives: category });
  }
  const out = new Map(interfaces);
  out.set(SEARCH_INTERFACE, { ...search, fields: [...(search.fields ?? []), ...connections] });
  return out;
}

/** A reference field of the contract: `Suspect.associates: [Suspect!]`, served by the hub from `associateIds`. */
export interface ReferenceField {
  /** The interface whose records hold it (`Suspect`). */
  readonly kind: EntityInterface;
  /** The field clients ask for (`associates`), served by the hub. */
  readonly field: string;
  /** The field the owner answers, the ids (`associateIds`; schema/referenceIds.ts). */
  readonly idsField: string;
  /** The kind of the records it points to, and whether it is a list. */
  readonly target: EntityInterface;
  readonly list: boolean;
}

let contractReferences: readonly ReferenceField[] | undefined;

/** Every reference field of the contract, derived from its types (schema/contract.graphql). */
export function referenceFields(contract?: Contract): readonly ReferenceField[] {
  if (!contract && contractReferences) return contractReferences;
  const source = contract ?? loadContract();
  const fields: ReferenceField[] = [];
  for (const kind of ENTITY_INTERFACES) {
    for (const field of source.interfaces.get(kind)!.fields ?? []) {
      const reference = listedOrSingleKind(field);
      if (!reference) continue;
      fields.push({
        kind,
        field: field.name.value,
        idsField: referenceIdsFieldName(field.name.value, reference.list),
        target: reference.kind,
        list: reference.list,
      });
    }
  }
  if (!contract) contractReferences = fields;
  return fields;
}

/** `[Suspect!]` → Suspect; undefined for a field that is not a list of records. */
function listedKind(field: FieldDefinitionNode): EntityInterface | undefined {
  let type = field.type;
  if (type.kind === Kind.NON_NULL_TYPE) type = type.type;
  if (type.kind !== Kind.LIST_TYPE) return undefined;
  const named = namedTypeOf(type);
  return (ENTITY_INTERFACES as readonly string[]).includes(named) ? (named as EntityInterface) : undefined;
}

/** The page interfaces of every kind (`SuspectConnection`, `SuspectEdge`), the same in every subgraph. */
function pageInterfacesSdl(): string {
  return ENTITY_INTERFACES.map(
    (kind) => `interface ${connectionTypeName(kind)} {
  "How many match in all, of the records you may see: never one you may not know of."
  totalCount: Int!
  pageInfo: PageInfo!
  edges: [${edgeTypeName(kind)}!]!
  nodes: [${kind}!]!
}

interface ${edgeTypeName(kind)} {
  "Opaque: give it as after for the matches that follow this one."
  cursor: String!
  node: ${kind}!
}`,
  ).join('\n\n');
}

/** A member's pages of its own records (`KRSuspectConnection`, `KRSuspectEdge`): @shareable with the hub's copy. */
function pageTypesSdl(owner: string): string {
  return ENTITY_INTERFACES.map(
    (kind) => `type ${connectionTypeName(kind, owner)} implements ${connectionTypeName(kind)} @shareable {
  totalCount: Int!
  pageInfo: PageInfo!
  edges: [${edgeTypeName(kind, owner)}!]!
  nodes: [${concreteTypeName(owner, kind)}!]!
}

type ${edgeTypeName(kind, owner)} implements ${edgeTypeName(kind)} @shareable {
  cursor: String!
  node: ${concreteTypeName(owner, kind)}!
}`,
  ).join('\n\n');
}

/** National-only fields a member adds to its own types, keyed by interface name. */
export function loadNationalFields(
  memberCode: string,
  dir = join(SCHEMA_DIR, 'national'),
): Map<string, FieldDefinitionNode[]> {
  const fields = new Map<string, FieldDefinitionNode[]>();
  let source: string;
  try {
    source = readFileSync(join(dir, `${memberCode}.graphql`), 'utf8');
  } catch {
    return fields; // a member without national-only fields serves the contract alone
  }
  for (const definition of parse(source, { noLocation: true }).definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION ||
      !ENTITY_INTERFACES.includes(definition.name.value as EntityInterface)
    ) {
      throw new SchemaGenerationError(
        subgraphName(memberCode),
        'name' in definition && definition.name ? definition.name.value : definition.kind,
        `national files may only add fields to ${ENTITY_INTERFACES.join(', ')} (schema/national/${memberCode}.graphql)`,
      );
    }
    fields.set(definition.name.value, [
      ...(fields.get(definition.name.value) ?? []),
      ...(definition.fields ?? []),
    ]);
  }
  return fields;
}

export interface GenerateOptions {
  readonly contract?: Contract;
  /** National-only fields per member code; defaults to schema/national/<CODE>.graphql. */
  readonly nationalFields?: (memberCode: string) => Map<string, FieldDefinitionNode[]>;
}

/** Every subgraph of the alliance: the hub first, then one per member. */
export function generateSubgraphs(
  members: readonly Member[],
  options: GenerateOptions = {},
): SubgraphDefinition[] {
  const contract = options.contract ?? loadContract();
  const national = options.nationalFields ?? ((code: string) => loadNationalFields(code));
  return [
    { name: HUB_NAME, typeDefs: generateHubSdl(members, contract) },
    ...members.map((member) => ({
      name: subgraphName(member.code),
      typeDefs: generateMemberSdl(member, members, contract, national(member.code)),
    })),
  ];
}

function header(): string {
  return [
    'extend schema',
    `  @link(url: "${FEDERATION_LINK}", import: ["@key", "@shareable", "@external", "@requires", "@inaccessible", "@composeDirective"])`,
    `  @link(url: "${CATEGORY_SPEC_URL}", import: ["@category"])`,
    '  @composeDirective(name: "@category")',
    '',
    '"The data category an agreement must cover for this field to cross a border (vocabulary/index.ts)."',
    'directive @category(name: String!) on FIELD_DEFINITION',
  ].join('\n');
}

/** Value types and enums, identical in every subgraph; object types are @shareable. */
function valueTypesSdl(contract: Contract): string {
  return contract.valueTypes
    .map((definition) => {
      if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) return print(definition);
      return print({ ...definition, directives: [...(definition.directives ?? []), directive('shareable')] });
    })
    .join('\n\n');
}

function generateMemberSdl(
  member: Member,
  members: readonly Member[],
  contract: Contract,
  nationalFields: Map<string, FieldDefinitionNode[]>,
): string {
  const name = subgraphName(member.code);
  const parts = [header()];
  // The interfaces without @key: an entity interface would oblige this subgraph to resolve every other
  // member's types, and composition's satisfiability check explodes with the number of members.
  for (const kind of ENTITY_INTERFACES) parts.push(`interface ${kind} {\n  id: ID!\n}`);

  for (const kind of ENTITY_INTERFACES) {
    const typeName = concreteTypeName(member.code, kind);
    const contractFields = nonKeyFields(contract, kind);
    const extra = nationalFields.get(kind) ?? [];
    for (const field of extra) {
      if (contractFields.some((f) => f.name.value === field.name.value)) {
        throw new SchemaGenerationError(
          name,
          `${typeName}.${field.name.value}`,
          'a national-only field may not redefine a contract field',
        );
      }
    }
    for (const field of extra) {
      if (listedOrSingleKind(field)) {
        throw new SchemaGenerationError(
          name,
          `${typeName}.${field.name.value}`,
          'a national-only field may not point to records: the hub serves references from the contract only',
        );
      }
    }
    const fields = [...contractFields, ...extra];
    for (const field of fields) checkCategory(name, `${typeName}.${field.name.value}`, field);
    parts.push(objectType(typeName, [kind], 'id', ['id: ID!', ...fields.map(memberField)]));
  }

  const search = concreteTypeName(member.code, 'Search');
  const searchFields = nonKeyFields(contract, SEARCH_INTERFACE, SEARCH_KEY_FIELDS);
  for (const field of searchFields) checkCategory(name, `${search}.${field.name.value}`, field);
  // A member's search answers only its own records, so its lists are typed with its concrete types: the
  // planner then knows no second hop is needed (one parallel step, docs/architecture.md). The supergraph keeps
  // the interface type, which is why the gateway always selects __typename there (gateway/typenames.ts).
  const ownSearchFields = searchFields.map((field) => ownSearchList(printField(field), member.code));
  parts.push(
    objectType(search, [], SEARCH_KEY_FIELDS.join(' '), [...searchKeyFieldsSdl(), ...ownSearchFields]),
  );
  parts.push(pageInterfacesSdl(), pageTypesSdl(member.code));

  parts.push(valueTypesSdl(contract));
  // The formal follow-up request goes to this owner alone (schema/followUp.ts).
  parts.push(FOLLOW_UP_SHARED_SDL, followUpMemberSdl(member.code));
  return parts.join('\n\n') + '\n';
}

function generateHubSdl(members: readonly Member[], contract: Contract): string {
  const parts = [header()];
  for (const kind of [...ENTITY_INTERFACES, SEARCH_INTERFACE]) {
    const definition = contract.interfaces.get(kind)!;
    const key = kind === SEARCH_INTERFACE ? SEARCH_KEY_FIELDS.join(' ') : 'id';
    parts.push(print({ ...definition, directives: [directive('key', key)] }));
    for (const member of members) {
      const keyFields = kind === SEARCH_INTERFACE ? searchKeyFieldsSdl() : ['id: ID!'];
      const external = nonKeyFields(
        contract,
        kind,
        kind === SEARCH_INTERFACE ? SEARCH_KEY_FIELDS : ['id'],
      ).flatMap((field) => {
        if (kind !== SEARCH_INTERFACE && listedOrSingleKind(field)) return hubReferenceFields(field);
        const printed = printField({ ...field, description: undefined, directives: [directive('external')] });
        return [kind === SEARCH_INTERFACE ? ownSearchList(printed, member.code) : printed];
      });
      const typeName = concreteTypeName(
        member.code,
        kind === SEARCH_INTERFACE ? 'Search' : (kind as EntityInterface),
      );
      parts.push(objectType(typeName, [kind], key, [...keyFields, ...external]));
    }
  }
  parts.push(pageInterfacesSdl(), ...members.map((member) => pageTypesSdl(member.code)));
  parts.push(`"A member of the alliance: a country that serves its own records."
type Member {
  "ISO 3166-1 alpha-2 code: the prefix of every id the member owns."
  code: String!
  name: String!
  authority: String!
}

type Query {
  "Searches names, aliases, passport, phone and account numbers in the members asked (default: all). One result per member."
  search(term: String!, countries: [String!]): [NationalSearch!]!
  "A suspect by global id (KR-SUS-000123); the prefix names the owner."
  suspect(id: ID!): Suspect
  "A compound by global id (KH-CMP-000001)."
  compound(id: ID!): Compound
  "A case by global id (KR-CAS-000001)."
  case(id: ID!): Case
  "A victim by global id (KR-VIC-000001)."
  victim(id: ID!): Victim
  "The members of the alliance."
  members: [Member!]!
}

"An emergency registered with the alliance hub. Its window runs from registeredAt; declaring again does not restart it."
type EmergencyRegistration {
  "Name it in Accord-Emergency on each request that relies on it: EMG-KR-0123456789."
  id: ID!
  "The requester's country, from the verified identity."
  country: String!
  analyst: String!
  caseReference: String!
  justification: String!
  "ISO 8601: when the hub registered it."
  registeredAt: String!
  "ISO 8601: registeredAt plus the longest emergency window of the agreements; each clause applies its own maximum."
  expiresAt: String!
}

type Mutation {
  "Registers an emergency (imminent risk to life or safety) for a case, or returns the registration your country already holds for that case while its window runs."
  declareEmergency(caseReference: String!, justification: String!): EmergencyRegistration!
}`);
  parts.push(valueTypesSdl(contract));
  return parts.join('\n\n') + '\n';
}

/** `[Suspect!]` or `Compound` → the interface and whether it is a list; undefined for a field that points to no record. */
function listedOrSingleKind(
  field: FieldDefinitionNode,
): { kind: EntityInterface; list: boolean } | undefined {
  const list = listedKind(field);
  if (list) return { kind: list, list: true };
  const named = namedTypeOf(field.type);
  return (ENTITY_INTERFACES as readonly string[]).includes(named)
    ? { kind: named as EntityInterface, list: false }
    : undefined;
}

/**
 * A field of a member's own type as the member declares it: a reference field becomes the ids it points
 * to (`operators: [Suspect!]` → `operatorIds: [ID!]`), under the same category, hidden from clients: the
 * hub serves the typed field from it (hubReferenceFields).
 */
function memberField(field: FieldDefinitionNode): string {
  const reference = listedOrSingleKind(field);
  if (!reference) return printField(field);
  const type = reference.list ? '[ID!]' : 'ID';
  const category = (field.directives ?? []).find((d) => d.name.value === 'category')!;
  return `${referenceIdsFieldName(field.name.value, reference.list)}: ${type} ${print(category)} @inaccessible`;
}

/** The hub's side of a reference field: the member's ids, external, and the typed field served from them. */
function hubReferenceFields(field: FieldDefinitionNode): string[] {
  const reference = listedOrSingleKind(field)!;
  const ids = referenceIdsFieldName(field.name.value, reference.list);
  return [
    `${ids}: ${reference.list ? '[ID!]' : 'ID'} @external`,
    `${printField(field)} @requires(fields: "${ids}")`,
  ];
}

/** `suspects: [Suspect!]` → `suspects: [KRSuspect!]`: a member's search lists only its own records. */
function ownSearchList(printedField: string, memberCode: string): string {
  return printedField
    .replace(/\[(Suspect|Compound|Case|Victim)!\]/, (_, kind: string) => `[${memberCode}${kind}!]`)
    .replace(
      /: (Suspect|Compound|Case|Victim)Connection\b/,
      (_, kind: EntityInterface) => `: ${connectionTypeName(kind, memberCode)}`,
    );
}

function nonKeyFields(
  contract: Contract,
  interfaceName: string,
  keys: readonly string[] = ['id'],
): FieldDefinitionNode[] {
  const definition = contract.interfaces.get(interfaceName)!;
  return (definition.fields ?? []).filter((field) => !keys.includes(field.name.value));
}

function checkCategory(subgraph: string, coordinate: string, field: FieldDefinitionNode): void {
  const categories = (field.directives ?? []).filter((d) => d.name.value === 'category');
  if (categories.length !== 1) {
    throw new SchemaGenerationError(
      subgraph,
      coordinate,
      'every non-key field needs exactly one @category(name: ...)',
    );
  }
  const argument = categories[0]!.arguments?.find((a) => a.name.value === 'name');
  const value = argument?.value.kind === Kind.STRING ? argument.value.value : undefined;
  if (value === undefined || !isCategory(value)) {
    const near = value ? nearestNames(value, CATEGORIES) : [];
    throw new SchemaGenerationError(
      subgraph,
      coordinate,
      `unknown category ${JSON.stringify(value ?? null)}${near.length ? `; did you mean ${near.join(' or ')}?` : ''}`,
    );
  }
}

function objectType(
  name: string,
  interfaces: readonly string[],
  key: string,
  fields: readonly string[],
): string {
  const implementsClause = interfaces.length ? ` implements ${interfaces.join(' & ')}` : '';
  return `type ${name}${implementsClause} @key(fields: "${key}") {\n${fields.map((f) => `  ${f}`).join('\n')}\n}`;
}

function printField(field: FieldDefinitionNode): string {
  return print({ ...field, description: undefined }).replace(/\n\s*/g, ' ');
}

function directive(
  name: string,
  fields?: string,
): NonNullable<ObjectTypeDefinitionNode['directives']>[number] {
  return {
    kind: Kind.DIRECTIVE,
    name: { kind: Kind.NAME, value: name },
    arguments: fields
      ? [
          {
            kind: Kind.ARGUMENT,
            name: { kind: Kind.NAME, value: 'fields' },
            value: { kind: Kind.STRING, value: fields },
          },
        ]
      : [],
  };
}

/** The named type at the bottom of a list/non-null wrapper. */
export function namedTypeOf(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type);
}

/** The key fields of a member's search answer, as SDL (`term: String!`). */
function searchKeyFieldsSdl(): string[] {
  return SEARCH_KEY_FIELDS.map((field) => `${field}: String!`);
}
