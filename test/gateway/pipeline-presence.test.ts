// The presence pair of the gateway pipeline (gateway/pipeline.ts, gateway/recordPresence.ts): every
// record's owner is asked for the record's `country` under an alias of the gateway's; the restore takes
// the records no owner confirmed out of the answer, and the checks with them.
import { GraphQLError } from 'graphql';
import { MEMBERS, ERROR_CODES } from '../../schema';
import { restoreOne, rewrite, rewriteOne, type Answer } from '../../gateway/pipeline';
import { ABSENCE } from '../../gateway/recordPresence';
import { analyst, apiSchema, printed, request } from './pipelineSupport';

const [A, B] = MEMBERS.map((member) => member.code) as [string, string];

const SOURCE = `{
  suspect(id: "${B}-SUS-000009") { fullName }
  case(id: "${A}-CAS-000001") { suspects { id } }
}`;

it('asks every record for its country under an alias of its own, nowhere else', async () => {
  const api = await apiSchema();
  const req = request(api, SOURCE, { requester: analyst(A, 'investigation') });
  const { presence } = rewriteOne('presence', req, req.document);
  expect(presence?.added).toBe(true);
  expect(printed(presence!.document)).toBe(`{
  suspect(id: "${B}-SUS-000009") {
    fullName
    _accordPresent: country
  }
  case(id: "${A}-CAS-000001") {
    suspects {
      id
      _accordPresent: country
    }
    _accordPresent: country
  }
}`);
});

it("chooses an alias the analyst's operation does not use", async () => {
  const api = await apiSchema();
  const source = `{ case(id: "${A}-CAS-000001") { _accordPresent: caseNumber } }`;
  const req = request(api, source, { requester: analyst(A, 'investigation') });
  expect(printed(rewriteOne('presence', req, req.document).presence!.document)).toBe(`{
  case(id: "${A}-CAS-000001") {
    _accordPresent: caseNumber
    _accordPresent1: country
  }
}`);
});

it('takes out the records no owner confirmed: null at a lookup (NOT_FOUND), left out of a list; errors move with the records', async () => {
  const api = await apiSchema();
  const req = request(api, SOURCE, { requester: analyst(A, 'investigation') });
  const { rewritten } = rewrite(req);
  const answer: Answer = {
    data: {
      suspect: { __typename: `${B}Suspect`, fullName: null, _accordPresent: ABSENCE.notFound },
      case: {
        __typename: `${A}Case`,
        _accordPresent: A,
        suspects: [
          { __typename: `${A}Suspect`, id: `${A}-SUS-000002`, _accordPresent: A },
          { __typename: `${B}Suspect`, id: `${B}-SUS-000003`, _accordPresent: ABSENCE.notFound },
          { __typename: `${B}Suspect`, id: `${B}-SUS-000004`, _accordPresent: B },
        ],
      },
    },
    errors: [
      new GraphQLError('about the third suspect', { path: ['case', 'suspects', 2, 'id'] }),
      new GraphQLError('about the second suspect', { path: ['case', 'suspects', 1, 'id'] }),
      new GraphQLError('about no place'),
    ],
    inAnswer: new Set(),
  };
  restoreOne('presence', req, rewritten, answer);
  expect(answer.data).toEqual({
    suspect: null,
    case: {
      __typename: `${A}Case`,
      suspects: [
        { __typename: `${A}Suspect`, id: `${A}-SUS-000002` },
        { __typename: `${B}Suspect`, id: `${B}-SUS-000004` },
      ],
    },
  });
  expect(answer.errors.map((e) => [e.message, e.path, e.extensions])).toEqual([
    ['about the third suspect', ['case', 'suspects', 1, 'id'], {}],
    ['about no place', undefined, {}],
    [
      `suspect: no record answers this id for ${A}: it does not exist, or no basis lets ${A} know of it.`,
      ['suspect'],
      { code: ERROR_CODES.NOT_FOUND },
    ],
  ]);
});

it('takes the checks out of an answer it cannot walk along the operation', async () => {
  const api = await apiSchema();
  const req = request(api, `{ case(id: "${A}-CAS-000001") { id } }`, { requester: analyst(A) });
  const { rewritten } = rewrite(req);
  const answer: Answer = {
    data: { case: { id: `${A}-CAS-000001`, _accordPresent: A } },
    errors: [],
    inAnswer: new Set(),
  };
  // An operation name the document does not hold: there is no operation to walk along.
  restoreOne('presence', { ...req, operationName: 'Elsewhere' }, rewritten, answer);
  expect(answer.data).toEqual({ case: { id: `${A}-CAS-000001` } });
});
