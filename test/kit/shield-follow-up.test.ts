// The follow-up request's fields in the owner's guard (schema/followUp.ts): explicit rules for the
// filing mutation and the status query, and deny by default for any other root field or type the kit
// does not know, so that a new field is never allowed by accident.
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse } from 'graphql';
import { loadDefaultPolicy } from '../../policy';
import {
  fileFollowUpRequestField,
  followUpRequestsField,
  memberSubgraphSdl,
  supplyFollowUpInformationField,
} from '../../schema';
import { AuthorizationState } from '../../subgraphs/kit/authorization/state';
import { shieldSchema } from '../../subgraphs/kit/authorization/shieldSchema';
import { TEST_NOW } from '../support/alliance';

const policy = loadDefaultPolicy();
const OWNER = 'KH';
const FOREIGN = { country: 'KR', analyst: 'lee.h', roles: [], purpose: 'investigation' } as const;

/** The owner's generated SDL with a stray root field on Mutation and Query, of a type the kit does not know. */
function strayed() {
  const sdl = `${memberSubgraphSdl(OWNER)}
type StrayNote { secret: String }
extend type Mutation { strayMutation: StrayNote }
extend type Query { strayQuery: StrayNote }
`;
  const stray = () => ({ secret: 'x' });
  return shieldSchema(
    buildSubgraphSchema([
      {
        typeDefs: parse(sdl),
        resolvers: { Mutation: { strayMutation: stray }, Query: { strayQuery: stray } } as never,
      },
    ]),
    OWNER,
  );
}

async function run(document: string, accord: AuthorizationState) {
  return Promise.resolve(
    execute({ schema: strayed(), document: parse(document), contextValue: { accord, country: OWNER } }),
  );
}

describe('deny by default around the follow-up request', () => {
  test('a root field the kit gave no rule is withheld, on Mutation as on Query', async () => {
    const accord = new AuthorizationState(policy, OWNER, FOREIGN, TEST_NOW);
    for (const field of ['mutation { strayMutation { secret } }', '{ strayQuery { secret } }']) {
      const answer = await run(field, accord);
      expect(answer.errors?.map((e) => [e.extensions['code'], e.extensions['reason']])).toEqual([
        ['WITHHELD', 'NO_RULE'],
      ]);
    }
  });

  test("the gateway's own schema calls cannot file or read requests", async () => {
    const accord = new AuthorizationState(
      policy,
      OWNER,
      { country: 'GATEWAY', analyst: 'gateway', roles: ['service'] },
      TEST_NOW,
      'schema',
    );
    const file = await run(
      `mutation { ${fileFollowUpRequestField(OWNER)}(input: { authority: "a", caseReference: "KR-CAS-000001", offences: [], facts: "f", subjects: [], categories: [], purpose: "investigation", agreement: "a", clauses: ["c"], urgency: NORMAL, intendedUse: INTELLIGENCE, confidentiality: "c", hitTokens: [] }) { id } }`,
      accord,
    );
    expect(file.errors?.map((e) => e.extensions['code'])).toEqual(['UNAUTHENTICATED']);
    const status = await run(`{ ${followUpRequestsField(OWNER)} { id } }`, accord);
    expect(status.errors?.map((e) => e.extensions['code'])).toEqual(['UNAUTHENTICATED']);
    const supply = await run(
      `mutation { ${supplyFollowUpInformationField(OWNER)}(id: "${OWNER}-FUR-2026-000001", information: "The accounts are listed in the bank records.") { id } }`,
      accord,
    );
    expect(supply.errors?.map((e) => e.extensions['code'])).toEqual(['UNAUTHENTICATED']);
  });
});
