import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, type ObjectTypeDefinitionNode } from 'graphql';
import { MEMBERS, formatGlobalId, type EntityInterface } from '../../schema';
import { DEMO_BIOMETRIC_TEMPLATE_HASH, DEMO_IDS, DEMO_SEARCH_TERMS } from '../../subgraphs/reference';
import {
  REFERENCE_MEMBERS,
  entitiesQuery,
  referenceSubgraph,
  type ReferenceSubgraph,
} from './referenceHarness';

interface ScenarioCase {
  readonly tiger: string;
  readonly national: readonly (readonly [typeName: string, id: string, field: string, expected: string])[];
}

/**
 * The hand-written scenario's records (subgraphs/reference/world/scenario/), by member: its Tiger record, and one
 * record with each national-only field set. Only the members the scenario was written for have them; a
 * member added later gets the tests every member gets, from the registry.
 */
const CASES: Readonly<Record<string, ScenarioCase>> = {
  KR: {
    tiger: DEMO_IDS.tigerKR,
    national: [
      ['KRSuspect', 'KR-SUS-000001', 'residentRegistrationNumber', '790614-1555014'],
      [
        'KRCase',
        'KR-CAS-000001',
        'investigatingUnit',
        'Financial Crime Investigation Unit 2, Haeryong Central Police Station',
      ],
    ],
  },
  KH: {
    tiger: DEMO_IDS.tigerKH,
    national: [
      ['KHSuspect', 'KH-SUS-000002', 'khmerName', 'សុខ វណ្ណៈ'],
      ['KHCompound', 'KH-CMP-000001', 'commune', 'Sangkat Koh Sla Muoy'],
    ],
  },
  TH: {
    tiger: DEMO_IDS.tigerTH,
    national: [['THSuspect', 'TH-SUS-000001', 'thaiIdNumber', '3-5501-55501-23-2']],
  },
  PH: {
    tiger: DEMO_IDS.tigerPH,
    national: [['PHSuspect', 'PH-SUS-000002', 'philsysNumber', '5550-2290-3318-0417']],
  },
  VN: {
    tiger: DEMO_IDS.tigerVN,
    national: [['VNSuspect', 'VN-SUS-000002', 'citizenIdNumber', '079088555021']],
  },
};

/** The national-only fields a member declares (schema/national/<CODE>.graphql): [interface, field]. */
function nationalFields(country: string): [EntityInterface, string][] {
  const file = join(__dirname, '..', '..', 'schema', 'national', `${country}.graphql`);
  if (!existsSync(file)) return [];
  return parse(readFileSync(file, 'utf8'))
    .definitions.filter((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION)
    .flatMap((d) =>
      (d.fields ?? []).map((f): [EntityInterface, string] => [d.name.value as EntityInterface, f.name.value]),
    );
}

/** Another member than `country`, from the registry. */
const otherThan = (country: string): string => MEMBERS.find((member) => member.code !== country)!.code;

describe.each(REFERENCE_MEMBERS.map((member) => [member.COUNTRY, member] as const))(
  'the %s reference subgraph',
  (country, member) => {
    const scenario = CASES[country];
    let subgraph: ReferenceSubgraph;
    beforeAll(() => {
      subgraph = referenceSubgraph(member);
    });
    afterAll(() => subgraph.system.close?.());

    it('resolves its own records through _entities, each of its own type, and a missing record as null', async () => {
      const representations = [
        { __typename: `${country}Suspect`, id: `${country}-SUS-000001` },
        { __typename: `${country}Case`, id: `${country}-CAS-000001` },
        { __typename: `${country}Victim`, id: `${country}-VIC-000001` },
        { __typename: `${country}Compound`, id: `${country}-CMP-000001` },
        { __typename: `${country}Suspect`, id: `${country}-SUS-999999` },
      ];
      const result = await subgraph.run(
        entitiesQuery(`
        ... on ${country}Suspect { id country fullName aliases wantedStatus { wanted } }
        ... on ${country}Case { id country caseNumber lossAmount { currency } }
        ... on ${country}Victim { id country fullName status }
        ... on ${country}Compound { id country name coordinates { latitude } }`),
        { representations },
      );
      expect(result.errors).toBeUndefined();
      const entities = result.data!['_entities'] as ({
        __typename: string;
        id: string;
        country: string;
      } | null)[];
      expect(
        entities.slice(0, 4).map((entity) => entity && [entity.__typename, entity.id, entity.country]),
      ).toEqual(representations.slice(0, 4).map((r) => [r.__typename, r.id, country]));
      expect(entities[4]).toBeNull();
    });

    it("answers a reference with another member's id, or of another kind, with null", async () => {
      const other = otherThan(country);
      const result = await subgraph.run(entitiesQuery(`... on ${country}Suspect { id }`), {
        representations: [
          { __typename: `${country}Suspect`, id: `${other}-SUS-000001` },
          { __typename: `${country}Suspect`, id: `${country}-CAS-000001` },
        ],
      });
      expect(result).toEqual({ data: { _entities: [null, null] } });
    });

    // Every member, from its national file: each national-only field is served on its first record (the
    // value may be null where the synthetic world has none for it).
    const declared = nationalFields(country);
    if (declared.length > 0) {
      it.each(declared)('serves its national-only field on %s.%s', async (kind, field) => {
        const typeName = `${country}${kind}`;
        const result = await subgraph.run(entitiesQuery(`... on ${typeName} { id ${field} }`), {
          representations: [{ __typename: typeName, id: formatGlobalId(country, kind, 1) }],
        });
        expect(result.errors).toBeUndefined();
        const [entity] = result.data!['_entities'] as Record<string, unknown>[];
        expect(entity).toMatchObject({ __typename: typeName, id: formatGlobalId(country, kind, 1) });
        expect(Object.keys(entity!)).toContain(field);
      });
    }

    // The scenario's records, where the scenario has this member.
    if (scenario) {
      it.each(scenario.national.map(([typeName, id, field, expected]) => [typeName, field, id, expected]))(
        'serves the national-only field %s.%s (%s)',
        async (typeName, field, id, expected) => {
          const result = await subgraph.run(entitiesQuery(`... on ${typeName} { ${field} }`), {
            representations: [{ __typename: typeName, id }],
          });
          expect(result).toEqual({ data: { _entities: [{ __typename: typeName, [field]: expected }] } });
        },
      );

      it('answers a search for the shared alias with its Tiger record, through the loaders', async () => {
        const result = await subgraph.run(
          entitiesQuery(
            `... on ${country}Search { term country suspects { __typename id aliases } compounds { id } cases { id } victims { id } }`,
          ),
          {
            representations: [
              { __typename: `${country}Search`, term: DEMO_SEARCH_TERMS.sharedAlias, country },
            ],
          },
        );
        expect(result.errors).toBeUndefined();
        const [search] = result.data!['_entities'] as {
          suspects: { __typename: string; id: string; aliases: string[] }[];
        }[];
        expect(search).toMatchObject({
          __typename: `${country}Search`,
          term: 'Tiger',
          country,
          compounds: [],
          cases: [],
          victims: [],
        });
        expect(search!.suspects).toEqual([
          { __typename: `${country}Suspect`, id: scenario.tiger, aliases: expect.arrayContaining(['Tiger']) },
        ]);
      });
    }

    it('does not answer a search keyed to another member', async () => {
      const result = await subgraph.run(entitiesQuery(`... on ${country}Search { term }`), {
        representations: [{ __typename: `${country}Search`, term: 'Tiger', country: otherThan(country) }],
      });
      expect(result).toEqual({ data: { _entities: [null] } });
    });
  },
);

describe('cross-border references', () => {
  const subgraphs = new Map<string, ReferenceSubgraph>();
  const on = (country: string): ReferenceSubgraph => {
    let subgraph = subgraphs.get(country);
    if (!subgraph)
      subgraphs.set(
        country,
        (subgraph = referenceSubgraph(REFERENCE_MEMBERS.find((m) => m.COUNTRY === country)!)),
      );
    return subgraph;
  };
  afterAll(() => {
    for (const subgraph of subgraphs.values()) subgraph.system.close?.();
  });

  // Another member's ids are that member's to release: the analyst declares a purpose it covers.
  const investigating = (country: string) => ({
    country,
    analyst: 'test-analyst',
    roles: [],
    purpose: 'investigation' as const,
    caseReference: `${country}-CAS-000001`,
  });

  // A member answers the ids its records point to; the hub turns them into typed references
  // (docs/decisions/0020-references-through-the-hub.md, test/hub/hub.test.ts).
  it("gives a KH compound's operators as the ids of its own and of KR and TH suspects", async () => {
    const query = entitiesQuery('... on KHCompound { name operatorIds linkedCaseIds }');
    const variables = { representations: [{ __typename: 'KHCompound', id: DEMO_IDS.goldenCraneCompound }] };
    // Without a purpose, nothing of another member crosses, not even the ids of its records.
    const domestic = (await on('KH').run(query, variables)).data!['_entities'] as {
      operatorIds: string[];
      linkedCaseIds: string[];
    }[];
    expect([...domestic[0]!.operatorIds, ...domestic[0]!.linkedCaseIds]).toEqual([
      'KH-SUS-000001',
      'KH-SUS-000002',
      'KH-CAS-000001',
    ]);
    const result = await on('KH').run(query, variables, investigating('KH'));
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      _entities: [
        {
          __typename: 'KHCompound',
          name: 'Golden Crane Resort',
          operatorIds: ['KH-SUS-000001', 'KR-SUS-000002', 'TH-SUS-000001', 'KH-SUS-000002'],
          linkedCaseIds: ['KH-CAS-000001', 'KR-CAS-000001', 'KR-CAS-000002'],
        },
      ],
    });
  });

  it("gives a KR case's suspects, compounds and victims of every owner by id, and a KR victim's confinement in KH", async () => {
    const result = await on('KR').run(
      entitiesQuery(`
        ... on KRCase { suspectIds compoundIds victimIds proceedsAccounts { country number } }
        ... on KRVictim { status confinedAtId }`),
      {
        representations: [
          { __typename: 'KRCase', id: DEMO_IDS.voicePhishingCaseKR },
          { __typename: 'KRVictim', id: DEMO_IDS.confinedVictimKR },
        ],
      },
      investigating('KR'),
    );
    expect(result.errors).toBeUndefined();
    const [krCase, victim] = result.data!['_entities'] as Record<string, unknown>[];
    expect(krCase!['suspectIds']).toEqual([
      'KR-SUS-000001',
      'KR-SUS-000002',
      'TH-SUS-000001',
      'KH-SUS-000001',
      'PH-SUS-000002',
    ]);
    expect(krCase!['compoundIds']).toEqual(['KH-CMP-000001']);
    expect(krCase!['victimIds']).toEqual(['KR-VIC-000001', 'KR-VIC-000006']);
    expect(krCase!['proceedsAccounts']).toContainEqual({ country: 'PH', number: DEMO_SEARCH_TERMS.account });
    expect(victim).toEqual({ __typename: 'KRVictim', status: 'CONFINED', confinedAtId: 'KH-CMP-000001' });
  });

  it('gives a missing victim no confinement, and a victim confined at home its own compound', async () => {
    const kr = await on('KR').run(entitiesQuery('... on KRVictim { confinedAtId }'), {
      representations: [{ __typename: 'KRVictim', id: DEMO_IDS.missingVictimKR }],
    });
    expect(kr).toEqual({ data: { _entities: [{ __typename: 'KRVictim', confinedAtId: null }] } });
    const kh = await on('KH').run(entitiesQuery('... on KHVictim { confinedAtId }'), {
      representations: [{ __typename: 'KHVictim', id: 'KH-VIC-000002' }],
    });
    expect(kh).toEqual({ data: { _entities: [{ __typename: 'KHVictim', confinedAtId: 'KH-CMP-000001' }] } });
  });

  it('answers biometrics only as match or no match', async () => {
    const query =
      'query ($representations: [_Any!]!, $hash: String!) { _entities(representations: $representations) { ... on KRSuspect { biometricMatch(templateHash: $hash) } } }';
    const ask = async (id: string, hash: string): Promise<unknown> =>
      (await on('KR').run(query, { representations: [{ __typename: 'KRSuspect', id }], hash })).data;
    expect(await ask(DEMO_IDS.tigerKR, DEMO_BIOMETRIC_TEMPLATE_HASH)).toEqual({
      _entities: [{ biometricMatch: true }],
    });
    expect(await ask(DEMO_IDS.tigerKR, `${DEMO_BIOMETRIC_TEMPLATE_HASH}0`)).toEqual({
      _entities: [{ biometricMatch: false }],
    });
    expect(await ask(DEMO_IDS.recruiterKR, DEMO_BIOMETRIC_TEMPLATE_HASH)).toEqual({
      _entities: [{ biometricMatch: false }],
    });
  });
});
