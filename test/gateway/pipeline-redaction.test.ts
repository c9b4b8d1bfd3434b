// The redaction pair of the gateway pipeline (gateway/pipeline.ts, gateway/redaction.ts): a field the
// requester's decision withholds whatever the record is cut before planning; the restore puts back the
// null and the error its owner would have given. The requester, owner and field come from the agreements.
import type { GraphQLSchema } from 'graphql';
import { restoreOne, rewrite, rewriteOne, type Answer } from '../../gateway/pipeline';
import type { RequestContext } from '../../policy';
import { ERROR_CODES } from '../../schema';
import { apiSchema, fieldCutForRequester, printed, request } from './pipelineSupport';

let api: GraphQLSchema;
let requester: RequestContext;
let owner: string;
let field: string;
let category: string;
beforeAll(async () => {
  api = await apiSchema();
  const found = fieldCutForRequester(api);
  if (!found) throw new Error('the agreements withhold no field whatever the record: nothing to cut');
  ({ requester, owner, field, category } = found);
});

const source = () => `{ suspect(id: "${owner}-SUS-000001") { ... on ${owner}Suspect { id ${field} } } }`;

it('cuts the withheld field from the operation and records what it cut', () => {
  const req = request(api, source(), { requester });
  const { redaction } = rewriteOne('redaction', req, req.document);
  expect(printed(redaction!.document)).toBe(`{
  suspect(id: "${owner}-SUS-000001") {
    ... on ${owner}Suspect {
      id
    }
  }
}`);
  expect(
    [...redaction!.redactions.values()].flatMap((byField) =>
      [...byField.values()].map((r) => [r.typeName, r.fieldName, r.owner, r.category, r.hidesRecord]),
    ),
  ).toEqual([[`${owner}Suspect`, field, owner, category, false]]);
  expect(redaction!.signature).toBe(`${owner}Suspect.${field}`);
});

it('leaves a __typename where every selected field is cut, so that the selection set stays valid', () => {
  const req = request(api, `{ suspect(id: "${owner}-SUS-000001") { ... on ${owner}Suspect { ${field} } } }`, {
    requester,
  });
  const { redaction } = rewriteOne('redaction', req, req.document);
  expect(printed(redaction!.document)).toBe(`{
  suspect(id: "${owner}-SUS-000001") {
    ... on ${owner}Suspect {
      __typename
    }
  }
}`);
});

it('puts back the null and the owner’s error at the field’s place', () => {
  const req = request(api, source(), { requester });
  const { rewritten } = rewrite(req);
  const answer: Answer = {
    data: { suspect: { __typename: `${owner}Suspect`, id: `${owner}-SUS-000001` } },
    errors: [],
    inAnswer: new Set(),
  };
  restoreOne('redaction', req, rewritten, answer);
  expect(answer.data).toEqual({
    suspect: { __typename: `${owner}Suspect`, id: `${owner}-SUS-000001`, [field]: null },
  });
  expect(answer.errors).toHaveLength(1);
  const [error] = answer.errors;
  expect(error!.path).toEqual(['suspect', field]);
  expect(
    error!.message.startsWith(
      `${owner}Suspect.${field}: ${owner} withholds ${category} from ${requester.country}`,
    ),
  ).toBe(true);
  expect(error!.extensions).toMatchObject({
    code: ERROR_CODES.WITHHELD,
    owner,
    category,
    field: `${owner}Suspect.${field}`,
  });
});

it('restores nothing where nothing was cut', () => {
  const req = request(api, `{ suspect(id: "${owner}-SUS-000001") { id } }`, { requester });
  const { rewritten } = rewrite(req);
  const data = { suspect: { __typename: `${owner}Suspect`, id: `${owner}-SUS-000001` } };
  const answer: Answer = { data, errors: [], inAnswer: new Set() };
  restoreOne('redaction', req, rewritten, answer);
  expect(answer.data).toEqual({ suspect: { __typename: `${owner}Suspect`, id: `${owner}-SUS-000001` } });
  expect(answer.errors).toEqual([]);
});
