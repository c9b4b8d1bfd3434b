// The rewrites kept with their operation (gateway/rewriteMemo.ts): Apollo Server hands the executor one
// parsed document per operation text, and a request whose document was rewritten before gets the
// documents a first rewrite would make for it, for its own redaction and not another requester's. The
// requesters and fields come from the agreements; the oracle is a rewrite of the same text parsed anew,
// which nothing kept can serve.
import {
  Kind,
  getNamedType,
  isInterfaceType,
  isLeafType,
  parse,
  visit,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { rewrite, type PipelineRequest, type Rewritten } from '../../gateway/pipeline';
import { Consultation } from '../../gateway/consultation';
import { MEMBERS } from '../../schema';
import { PURPOSES } from '../../vocabulary';
import type { RequestContext } from '../../policy';
import { analyst, apiSchema, printed, request } from './pipelineSupport';

let api: GraphQLSchema;
let source: string;
/** Requesters whose redactions of `source` cut something, not all alike. */
let requesters: RequestContext[];

beforeAll(async () => {
  api = await apiSchema();
  // Every field of a suspect that takes no argument and needs no selection, from every member's search.
  const suspect = api.getType('Suspect');
  if (!isInterfaceType(suspect)) throw new Error('the contract has no Suspect interface');
  const leaves = Object.values(suspect.getFields())
    .filter((field) => field.args.length === 0 && isLeafType(getNamedType(field.type)))
    .map((field) => field.name);
  source = `query Search($term: String!) { search(term: $term) { country suspects { ${leaves.join(' ')} } } }`;
  // Every member's analyst for every purpose, with and without a case and a request reference (which
  // makes some decisions the owner's, record by record): all whose redaction cuts something.
  requesters = MEMBERS.flatMap((member) =>
    PURPOSES.flatMap((purpose) => [
      analyst(member.code, purpose),
      { ...analyst(member.code, purpose), caseReference: 'CASE-1', requestReference: 'REF-1' },
    ]),
  ).filter((requester) => rewrite(requestFor(parse(source), requester)).rewritten.redaction.signature !== '');
});

function requestFor(
  document: ReturnType<typeof parse>,
  requester: RequestContext,
  audit = true,
): PipelineRequest {
  return {
    ...request(api, source, {
      requester,
      variables: { term: 'x' },
      ...(audit ? { consultation: new Consultation() } : {}),
    }),
    document,
  };
}

/** What a redaction cut, field by field, with the decision's effect, reason and clauses. */
function cuts(redactions: Rewritten['redaction']['redactions']): unknown[] {
  return [...redactions.values()].flatMap((byField) =>
    [...byField.values()].map((r) => [
      r.typeName,
      r.fieldName,
      r.owner,
      r.category,
      r.hidesRecord,
      r.decision.effect,
      r.decision.reason,
      r.decision.clauses.map((c) => `${c.agreement}/${c.clause}`),
    ]),
  );
}

/** The selection sets of a document, by identity. */
function selectionSets(document: ReturnType<typeof parse>): Set<SelectionSetNode> {
  const sets = new Set<SelectionSetNode>();
  visit(document, { [Kind.SELECTION_SET]: (node: SelectionSetNode) => void sets.add(node) });
  return sets;
}

it('gives each requester the rewrite of its own redaction, in any order, for one parsed document', () => {
  const signatures = new Set(
    requesters.map((r) => rewrite(requestFor(parse(source), r)).rewritten.redaction.signature),
  );
  expect(signatures.size).toBeGreaterThanOrEqual(2);
  const shared = parse(source);
  // Twice round, so that the second round is served from what the first kept.
  for (const requester of [...requesters, ...requesters]) {
    const kept = rewrite(requestFor(shared, requester)).rewritten;
    const fresh = rewrite(requestFor(parse(source), requester)).rewritten;
    expect(kept.redaction.signature).toBe(fresh.redaction.signature);
    // What was cut, and the decisions each cut rests on, are this requester's.
    expect(cuts(kept.redaction.redactions)).toEqual(cuts(fresh.redaction.redactions));
    expect([...kept.redaction.released].sort()).toEqual([...fresh.redaction.released].sort());
    expect(printed(kept.presence.document)).toBe(printed(fresh.presence.document));
    expect(printed(kept.redaction.document)).toBe(printed(fresh.redaction.document));
    expect(printed(kept.typenames.document)).toBe(printed(fresh.typenames.document));
    expect(printed(kept.document)).toBe(printed(fresh.document));
    expect(kept.typenames.injected.size).toBe(fresh.typenames.injected.size);
    // The `__typename`s the restore takes out are known by the selection sets of the document kept with them.
    const sets = selectionSets(kept.typenames.document);
    for (const injected of kept.typenames.injected) expect(sets.has(injected)).toBe(true);
  }
});

it('keeps the documents: a second request with the same operation and redaction gets the same objects', () => {
  const shared = parse(source);
  const [requester] = requesters;
  const first = rewrite(requestFor(shared, requester!)).rewritten;
  const second = rewrite(requestFor(shared, requester!)).rewritten;
  expect(second.presence.document).toBe(first.presence.document);
  expect(second.redaction.document).toBe(first.redaction.document);
  expect(second.typenames.document).toBe(first.typenames.document);
  expect(second.document).toBe(first.document);
  // The redaction's decisions are the request's own, never kept.
  expect(second.redaction.redactions).not.toBe(first.redaction.redactions);
});
