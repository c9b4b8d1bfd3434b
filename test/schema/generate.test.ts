import { Kind, parse, type FieldDefinitionNode, type ObjectTypeDefinitionNode } from 'graphql';
import {
  CompositionError,
  MEMBERS,
  SchemaGenerationError,
  buildSupergraph,
  composeSupergraph,
  defaultSubgraphUrl,
  generateSubgraphs,
  readCommittedSupergraph,
  readFieldCategories,
  splitConcreteTypeName,
  type Member,
} from '../../schema';
import { isCategory } from '../../vocabulary';

const committed = readCommittedSupergraph();

function objectTypes(sdl: string): ObjectTypeDefinitionNode[] {
  return parse(sdl).definitions.filter(
    (d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION,
  );
}

function nationalFields(field: FieldDefinitionNode[], kind: string): FieldDefinitionNode[] {
  const keys = kind === 'Search' ? ['term', 'country'] : ['id'];
  return field.filter((f) => !keys.includes(f.name.value));
}

describe('the committed supergraph', () => {
  it('is what the generator and composition produce now (run npm run schema:generate when this fails)', () => {
    expect(buildSupergraph()).toBe(committed);
  });

  it('gives every non-key field of every national type a known category', () => {
    const categories = readFieldCategories(committed);
    const missing: string[] = [];
    let checked = 0;
    for (const type of objectTypes(committed)) {
      const split = splitConcreteTypeName(type.name.value);
      if (!split) continue;
      for (const field of nationalFields([...(type.fields ?? [])], split.kind)) {
        checked++;
        const category = categories.get(`${type.name.value}.${field.name.value}`);
        if (!category || !isCategory(category))
          missing.push(`${type.name.value}.${field.name.value} (${category ?? 'none'})`);
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(MEMBERS.length * 60);
  });

  it('has a concrete type of every interface for every member, national-only fields on the owner only', () => {
    const names = new Set(objectTypes(committed).map((t) => t.name.value));
    for (const member of MEMBERS) {
      for (const kind of ['Suspect', 'Compound', 'Case', 'Victim', 'Search'])
        expect(names).toContain(`${member.code}${kind}`);
    }
    const categories = readFieldCategories(committed);
    expect(categories.get('KRSuspect.residentRegistrationNumber')).toBe('person.identity');
    expect(categories.has('KHSuspect.residentRegistrationNumber')).toBe(false);
    expect(categories.get('KHCompound.commune')).toBe('compound.location');
  });
});

describe('the generator', () => {
  // A member the registry does not hold yet (Laos, unless it has been admitted since), on the next port.
  const code = ['LA', 'MM', 'MY', 'BN'].find(
    (candidate) => !MEMBERS.some((member) => member.code === candidate),
  )!;
  const newcomer: Member = {
    code,
    name: `Member ${code}`,
    authority: `${code} Police`,
    defaultPort: Math.max(...MEMBERS.map((member) => member.defaultPort)) + 1,
  };

  it('adds a member with one registry entry, and the hub lists its types', () => {
    const members = [...MEMBERS, newcomer];
    const supergraph = composeSupergraph(generateSubgraphs(members), (name) =>
      defaultSubgraphUrl(name, members),
    );
    const types = objectTypes(supergraph).map((t) => t.name.value);
    expect(types).toEqual(
      expect.arrayContaining(
        ['Suspect', 'Compound', 'Case', 'Victim', 'Search'].map((kind) => `${code}${kind}`),
      ),
    );
    expect(supergraph).toMatch(
      new RegExp(
        `type ${code}Suspect implements Suspect[\\s\\S]*?@join__implements\\(graph: ALLIANCE, interface: "Suspect"\\)`,
      ),
    );
  });

  it('names the subgraph and the field of a national field with an unknown category, with a suggestion', () => {
    const national = () =>
      new Map([['Suspect', fieldsOf('type Suspect { shoeSize: Int @category(name: "person.identiy") }')]]);
    expect(() => generateSubgraphs(MEMBERS, { nationalFields: national })).toThrow(SchemaGenerationError);
    expect(() => generateSubgraphs(MEMBERS, { nationalFields: national })).toThrow(
      'subgraph "kr", field KRSuspect.shoeSize: unknown category "person.identiy"; did you mean person.identity?',
    );
  });

  it('refuses a national field without a category', () => {
    const national = () => new Map([['Case', fieldsOf('type Case { notes: String }')]]);
    expect(() => generateSubgraphs(MEMBERS, { nationalFields: national })).toThrow(
      'subgraph "kr", field KRCase.notes: every non-key field needs exactly one @category(name: ...)',
    );
  });

  it('refuses a national field that redefines a contract field', () => {
    const national = () =>
      new Map([['Suspect', fieldsOf('type Suspect { fullName: Int @category(name: "person.identity") }')]]);
    expect(() => generateSubgraphs(MEMBERS, { nationalFields: national })).toThrow(
      'KRSuspect.fullName: a national-only field may not redefine',
    );
  });

  it('refuses a national field that points to records (the hub serves only the contract references)', () => {
    const national = () =>
      new Map([
        ['Suspect', fieldsOf('type Suspect { handlers: [Suspect!] @category(name: "person.identity") }')],
      ]);
    expect(() => generateSubgraphs(MEMBERS, { nationalFields: national })).toThrow(
      'subgraph "kr", field KRSuspect.handlers: a national-only field may not point to records',
    );
  });

  // docs/decisions/0020-references-through-the-hub.md: only the hub grows with the registry.
  it("writes a member's SDL without a type of any other member, the same whatever the registry holds", () => {
    const members = [...MEMBERS, newcomer];
    const before = generateSubgraphs(MEMBERS);
    const after = generateSubgraphs(members);
    for (const member of MEMBERS) {
      const name = member.code.toLowerCase();
      const sdl = after.find((s) => s.name === name)!.typeDefs;
      expect(sdl).toBe(before.find((s) => s.name === name)!.typeDefs);
      const owners = new Set(
        objectTypes(sdl).flatMap((t) => splitConcreteTypeName(t.name.value)?.owner ?? []),
      );
      expect([...owners]).toEqual([member.code]);
    }
  });

  it('reports a composition error with the subgraph and the field', () => {
    const subgraphs = generateSubgraphs(MEMBERS).map((s) =>
      s.name === 'kh'
        ? {
            ...s,
            typeDefs: s.typeDefs.replace(/(type KHSuspect[^{]*\{[^}]*?)fullName: String/, '$1fullName: Int'),
          }
        : s,
    );
    let error: unknown;
    try {
      composeSupergraph(subgraphs, (name) => defaultSubgraphUrl(name));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CompositionError);
    const problems = (error as CompositionError).problems;
    expect(problems.some((p) => p.message.includes('KHSuspect.fullName') && p.message.includes('"kh"'))).toBe(
      true,
    );
  });
});

function fieldsOf(sdl: string): FieldDefinitionNode[] {
  const definition = parse(sdl).definitions[0] as ObjectTypeDefinitionNode;
  return [...(definition.fields ?? [])];
}
