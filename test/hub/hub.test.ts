import { execute, parse } from 'graphql';
import { MEMBERS, formatGlobalId, referenceFields } from '../../schema';
import { buildHubSchema } from '../../subgraphs/alliance';

/** The registry's members as the hub lists them in its messages. */
const MEMBER_LIST = MEMBERS.map((member) => member.code).join(', ');

const schema = buildHubSchema();

async function run(query: string, variables?: Record<string, unknown>) {
  return execute({ schema, document: parse(query), variableValues: variables });
}

describe('the alliance hub', () => {
  it('returns one search reference per member, all members by default', async () => {
    const result = await run('{ search(term: " Tiger ") { __typename term country } }');
    expect(result.errors).toBeUndefined();
    // One per member of the registry, in its order.
    expect(result.data?.['search']).toEqual(
      MEMBERS.map((member) => ({ __typename: `${member.code}Search`, term: 'Tiger', country: member.code })),
    );
  });

  it('asks only the members named, once each', async () => {
    const result = await run('{ search(term: "xy", countries: ["TH", "KH", "TH"]) { country } }');
    expect(result.data?.['search']).toEqual([{ country: 'TH' }, { country: 'KH' }]);
  });

  it.each([
    [
      '{ search(term: "xy", countries: ["KP", "KX"]) { country } }',
      `Not members of the alliance: KP (did you mean KH or KR?), KX (did you mean KH or KR?). Members: ${MEMBER_LIST}.`,
    ],
    ['{ search(term: "   ") { country } }', 'The search term is empty.'],
    [`{ search(term: "${'a'.repeat(101)}") { country } }`, 'longer than 100 characters'],
    ['{ suspect(id: "12345") { id } }', '"12345" is not a global id'],
    [
      '{ suspect(id: "JP-SUS-000001") { id } }',
      `names owner JP, which is not a member of the alliance (members: ${MEMBER_LIST})`,
    ],
    [
      '{ suspect(id: "KH-CMP-000001") { id } }',
      '"KH-CMP-000001" is the id of a Compound, not a Suspect: ask compound(id:) for it.',
    ],
  ])('refuses %s with a clear BAD_USER_INPUT', async (query, message) => {
    const result = await run(query);
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.message).toContain(message);
    expect(result.errors![0]!.extensions['code']).toBe('BAD_USER_INPUT');
  });

  it("routes an id to its owner's type", async () => {
    const result = await run(
      '{ compound(id: "KH-CMP-000001") { __typename id } case(id: "KR-CAS-000002") { __typename id } }',
    );
    expect(result.data).toEqual({
      compound: { __typename: 'KHCompound', id: 'KH-CMP-000001' },
      case: { __typename: 'KRCase', id: 'KR-CAS-000002' },
    });
  });

  // A member answers the ids its records point to; the hub serves the typed field from them
  // (docs/decisions/0020-references-through-the-hub.md): every reference field of the contract, every member.
  const owners = MEMBERS.map((member) => member.code);
  it.each(owners.flatMap((owner) => referenceFields().map((reference) => [owner, reference] as const)))(
    "turns %s's ids into typed references: %p",
    async (owner, reference) => {
      const pointedTo = owners.map((code, i) => formatGlobalId(code, reference.target, i + 1));
      const otherKind = reference.target === 'Suspect' ? 'Case' : 'Suspect';
      // Of another kind, of no member, or not a global id: not reachable, left out.
      const unreachable = [formatGlobalId(owners[0]!, otherKind, 1), 'JP-SUS-000001', 'not-an-id'];
      const typeName = `${owner}${reference.kind}`;
      const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${typeName} { ${reference.field} { __typename id } } } }`;
      const representation = (ids: unknown) => ({
        __typename: typeName,
        id: `${owner}-X`,
        [reference.idsField]: ids,
      });
      const typed = (id: string) => ({ __typename: `${id.slice(0, 2)}${reference.target}`, id });
      if (reference.list) {
        const result = await run(query, {
          r: [representation([...pointedTo, ...unreachable]), representation(null)],
        });
        expect(result.errors).toBeUndefined();
        expect(result.data?.['_entities']).toEqual([
          { [reference.field]: pointedTo.map(typed) },
          { [reference.field]: null },
        ]);
      } else {
        const ids = [pointedTo[1]!, unreachable[0]!, null];
        const result = await run(query, { r: ids.map(representation) });
        expect(result.errors).toBeUndefined();
        expect(result.data?.['_entities']).toEqual([
          { [reference.field]: typed(pointedTo[1]!) },
          { [reference.field]: null },
          { [reference.field]: null },
        ]);
      }
    },
  );
});
