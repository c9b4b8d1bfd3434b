// The typenames pair of the gateway pipeline (gateway/pipeline.ts, gateway/typenames.ts): every abstract
// selection set gets a `__typename` before planning; the restore takes it out where the analyst did not
// ask for one (and keeps the analyst's own, as the variables decide it).
import { MEMBERS } from '../../schema';
import { restoreOne, rewrite, rewriteOne, type Answer } from '../../gateway/pipeline';
import { analyst, apiSchema, printed, request } from './pipelineSupport';

const [A] = MEMBERS.map((member) => member.code) as [string];

const SOURCE = `query T($own: Boolean = false) {
  suspect(id: "${A}-SUS-000001") { ... on ${A}Suspect { fullName } }
  case(id: "${A}-CAS-000001") { __typename caseNumber }
  compound(id: "${A}-CMP-000001") { __typename @include(if: $own) name }
}`;

it('adds a __typename to every abstract selection set without an unconditional one', async () => {
  const api = await apiSchema();
  const req = request(api, SOURCE, { requester: analyst(A, 'investigation') });
  const { typenames } = rewriteOne('typenames', req, req.document);
  expect(printed(typenames!.document)).toBe(`query T($own: Boolean = false) {
  suspect(id: "${A}-SUS-000001") {
    __typename
    ... on ${A}Suspect {
      fullName
    }
  }
  case(id: "${A}-CAS-000001") {
    __typename
    caseNumber
  }
  compound(id: "${A}-CMP-000001") {
    __typename
    __typename @include(if: $own)
    name
  }
}`);
  expect(typenames!.injected.size).toBe(2);
});

function answer(): Answer {
  return {
    data: {
      suspect: { __typename: `${A}Suspect`, fullName: 'One' },
      case: { __typename: `${A}Case`, caseNumber: 'N-1' },
      compound: { __typename: `${A}Compound`, name: 'Site' },
    },
    errors: [],
    inAnswer: new Set(),
  };
}

it("takes out the __typenames the gateway added, and keeps the analyst's own", async () => {
  const api = await apiSchema();
  const req = request(api, SOURCE, { requester: analyst(A, 'investigation') });
  const { rewritten } = rewrite(req);
  const skipped = answer();
  restoreOne('typenames', req, rewritten, skipped);
  expect(skipped.data).toEqual({
    suspect: { fullName: 'One' },
    case: { __typename: `${A}Case`, caseNumber: 'N-1' },
    compound: { name: 'Site' },
  });
});

it("keeps an analyst's conditional __typename where the variables include it", async () => {
  const api = await apiSchema();
  const req = request(api, SOURCE, { requester: analyst(A, 'investigation'), variables: { own: true } });
  const { rewritten } = rewrite(req);
  const included = answer();
  restoreOne('typenames', req, rewritten, included);
  expect(included.data).toEqual({
    suspect: { fullName: 'One' },
    case: { __typename: `${A}Case`, caseNumber: 'N-1' },
    compound: { __typename: `${A}Compound`, name: 'Site' },
  });
});

it("keeps the analyst's __typename when another selection of the same field lacks one", async () => {
  // Both selections are one field of the answer: the gateway added a __typename to the second only, and
  // the analyst asked for one in the first. (Walked selection by selection, the second walk took it out.)
  const api = await apiSchema();
  const id = `${A}-SUS-000001`;
  const source = `{ suspect(id: "${id}") { __typename id } suspect(id: "${id}") { ... on ${A}Suspect { fullName } } }`;
  const req = request(api, source, { requester: analyst(A, 'investigation') });
  const { rewritten } = rewrite(req);
  const restored: Answer = {
    data: { suspect: { __typename: `${A}Suspect`, id, fullName: 'One' } },
    errors: [],
    inAnswer: new Set(),
  };
  restoreOne('typenames', req, rewritten, restored);
  expect(restored.data).toEqual({ suspect: { __typename: `${A}Suspect`, id, fullName: 'One' } });
});
