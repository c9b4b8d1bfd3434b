// gateway/answerWalker.ts: the one walk of an answer along a document that the pipeline's restores share
// (gateway/pipeline.ts). On the API schema of the committed supergraph; answers written by hand.
import { parse, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { MEMBERS } from '../../schema';
import { AnswerWalker, keptEntriesOf } from '../../gateway/answerWalker';
import { coerceVariables } from '../../gateway/variables';
import { apiSchema } from './pipelineSupport';

const [A, B] = MEMBERS.map((member) => member.code) as [string, string];

const SOURCE = `
  query Walk($withId: Boolean = false, $skipName: Boolean!) {
    case(id: "${A}-CAS-000001") {
      caseNumber
      ...CaseSuspects
      caseId: id @include(if: $withId)
    }
  }
  fragment CaseSuspects on Case {
    suspects {
      fullName @skip(if: $skipName)
      ... on ${A}Suspect { nationality }
    }
  }`;

let api: GraphQLSchema;
beforeAll(async () => {
  api = await apiSchema();
});

function walkerFor(
  variables: Record<string, unknown>,
  document = parse(SOURCE),
): {
  walker: AnswerWalker;
  operation: OperationDefinitionNode;
} {
  const operation = document.definitions[0] as OperationDefinitionNode;
  const coercion = coerceVariables(api, document, operation, variables);
  if (!coercion.ok) throw new Error('variables');
  return { walker: new AnswerWalker(api, document, coercion.values), operation };
}

function answer(): Record<string, unknown> {
  return {
    case: {
      __typename: `${A}Case`,
      caseNumber: 'N-1',
      suspects: [
        { __typename: `${A}Suspect`, fullName: 'One', nationality: A },
        { __typename: `${B}Suspect`, fullName: 'Two' },
      ],
    },
  };
}

/** Every object the walk visits: its place, its type, and the keys of the fields that apply to it. */
function visits(
  variables: Record<string, unknown>,
  data = answer(),
  document = parse(SOURCE),
): [string, string, string[]][] {
  const { walker, operation } = walkerFor(variables, document);
  const seen: [string, string, string[]][] = [];
  walker.walk(data, operation, {
    object: ({ path, typename, fields }) => {
      seen.push([path.join('.'), typename, fields.map((f) => f.key)]);
    },
  });
  return seen;
}

it('visits every object along the operation, fragments resolved, parents first, list items in order', () => {
  expect(visits({ skipName: false })).toEqual([
    ['', 'Query', ['case']],
    ['case', `${A}Case`, ['caseNumber', 'suspects']],
    ['case.suspects.0', `${A}Suspect`, ['fullName', 'nationality']],
    ['case.suspects.1', `${B}Suspect`, ['fullName']],
  ]);
});

it('evaluates @skip and @include with the coerced variables: a default the client left out counts', () => {
  expect(visits({ skipName: true, withId: true })).toEqual([
    ['', 'Query', ['case']],
    ['case', `${A}Case`, ['caseNumber', 'suspects', 'caseId']],
    ['case.suspects.0', `${A}Suspect`, ['nationality']],
    ['case.suspects.1', `${B}Suspect`, []],
  ]);
});

it('walks one parsed document as each request’s variables say, request after request', () => {
  // Apollo Server hands every request with the same text the same parsed document: what one request's
  // variables selected must not stand for the next one's.
  const document = parse(SOURCE);
  for (let round = 0; round < 2; round++) {
    expect(visits({ skipName: false }, answer(), document)).toEqual([
      ['', 'Query', ['case']],
      ['case', `${A}Case`, ['caseNumber', 'suspects']],
      ['case.suspects.0', `${A}Suspect`, ['fullName', 'nationality']],
      ['case.suspects.1', `${B}Suspect`, ['fullName']],
    ]);
    expect(visits({ skipName: true, withId: true }, answer(), document)).toEqual([
      ['', 'Query', ['case']],
      ['case', `${A}Case`, ['caseNumber', 'suspects', 'caseId']],
      ['case.suspects.0', `${A}Suspect`, ['nationality']],
      ['case.suspects.1', `${B}Suspect`, []],
    ]);
  }
});

it('collects the fields along a document without conditions once, for every walker along it', () => {
  const document = parse(SOURCE.replace(' @skip(if: $skipName)', '').replace(' @include(if: $withId)', ''));
  const set = (document.definitions[0] as OperationDefinitionNode).selectionSet;
  const first = walkerFor({ skipName: false }, document).walker.fieldsOf('Query', set);
  const second = walkerFor({ skipName: true, withId: true }, document).walker.fieldsOf('Query', set);
  expect(second).toBe(first);
  expect(visits({ skipName: true, withId: true }, answer(), document)).toEqual([
    ['', 'Query', ['case']],
    ['case', `${A}Case`, ['caseNumber', 'suspects', 'caseId']],
    ['case.suspects.0', `${A}Suspect`, ['fullName', 'nationality']],
    ['case.suspects.1', `${B}Suspect`, ['fullName']],
  ]);
});

it("takes an object without __typename for its position's type", () => {
  const data = { case: { caseNumber: 'N-1', suspects: [{ fullName: 'One' }] } };
  expect(visits({ skipName: false }, data)).toEqual([
    ['', 'Query', ['case']],
    ['case', 'Case', ['caseNumber', 'suspects']],
    ['case.suspects.0', 'Suspect', ['fullName']],
  ]);
});

it('gives each field its name in the schema, its definition and the selections below it', () => {
  const { walker } = walkerFor({ skipName: false, withId: true });
  const set = (parse(SOURCE).definitions[0] as OperationDefinitionNode).selectionSet;
  const [caseField] = walker.fieldsOf('Query', set);
  const fields = walker.fieldsOf(`${A}Case`, caseField!.selectionSet!);
  expect(
    fields.map((f) => [f.key, f.name, String(f.definition?.type), f.selectionSet?.selections.length ?? 0]),
  ).toEqual([
    ['caseNumber', 'caseNumber', 'String', 0],
    ['suspects', 'suspects', '[Suspect!]', 2],
    ['caseId', 'id', 'ID!', 0],
  ]);
});

it('does not walk into an object whose visitor says no, nor into a field whose visitor says no', () => {
  const { walker, operation } = walkerFor({ skipName: false });
  const left: string[] = [];
  walker.walk(answer(), operation, {
    object: ({ path }) => {
      left.push(path.join('.'));
      return path.length === 0;
    },
  });
  expect(left).toEqual(['', 'case']);
  const fields: string[] = [];
  walker.walk(answer(), operation, {
    object: ({ path }) => {
      fields.push(path.join('.'));
    },
    field: (_visit, field) => field.key !== 'suspects',
  });
  expect(fields).toEqual(['', 'case']);
});

it('walks fields in the order the document gives them, each field before the next one (depth first)', () => {
  const { walker, operation } = walkerFor({ skipName: false });
  const order: string[] = [];
  walker.walk(answer(), operation, {
    object: ({ path }) => {
      order.push(`object ${path.join('.')}`);
    },
    field: ({ path }, field) => {
      order.push(`field ${[...path, field.key].join('.')}`);
    },
  });
  expect(order).toEqual([
    'object ',
    'field case',
    'object case',
    'field case.caseNumber',
    'field case.suspects',
    'object case.suspects.0',
    'field case.suspects.0.fullName',
    'field case.suspects.0.nationality',
    'object case.suspects.1',
    'field case.suspects.1.fullName',
  ]);
});

it("keeps with a document only the schema's types: a made-up __typename from an answer adds nothing", () => {
  const document = parse(`query Plain { case(id: "${A}-CAS-000001") { caseNumber suspects { fullName } } }`);
  const made = (typename: string): Record<string, unknown> => ({
    case: { __typename: `${A}Case`, caseNumber: 'N-1', suspects: [{ __typename: typename, fullName: 'x' }] },
  });
  visits({}, made(`${A}Suspect`), document);
  const kept = keptEntriesOf(api, document);
  expect(kept).toBeGreaterThan(0);
  for (let i = 0; i < 50; i++) visits({}, made(`Invented${i}`), document);
  expect(keptEntriesOf(api, document)).toBe(kept);
});
