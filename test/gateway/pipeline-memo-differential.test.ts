// The operation memos against a fresh process (gateway/redaction.ts, rewriteMemo.ts, answerWalker.ts):
// whatever requests came before on the same parsed document, a request must get exactly what a rewrite
// of its text parsed anew gives it (a new document: nothing kept can serve it), its own decisions in
// every cut, and a walker that collects the fields its own variables select.
//
// Three sources of requests, each in many orders on one parsed document per operation:
// - decisions drawn at random (seeded) for every (owner, category) pair the categories of the supergraph
//   name, with each effect and with and without record dependence: more distinct effects than a document
//   keeps (eviction), pair lists that grow as a release opens a nested selection, and the same effects
//   coming back after others;
// - the agreements as they stand, for every member's analyst and purpose, with and without a case, a
//   request reference, a joint team and an emergency, at instants on both sides of every date the
//   agreements and their joint teams start or end;
// - variables that turn `@skip`/`@include` on fields, inline fragments and fragment spreads.
import {
  isObjectType,
  parse,
  print,
  validate,
  visit,
  Kind,
  type DocumentNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { rewrite, type PipelineRequest, type Rewritten } from '../../gateway/pipeline';
import { MAX_PER_DOCUMENT } from '../../gateway/rewriteMemo';
import { AnswerWalker } from '../../gateway/answerWalker';
import { coerceVariables } from '../../gateway/variables';
import { findOperation } from '../../gateway/pipeline';
import { MEMBERS, splitConcreteTypeName } from '../../schema';
import { CATEGORIES, META_REFERENCE, PURPOSES, type Category } from '../../vocabulary';
import type { Decision, Effect, Policy, RequestContext } from '../../policy';
import { createLogger } from '../../lib/logger';
import { AT, analyst, apiSchema, categories, policy } from './pipelineSupport';
import { mulberry32 } from '../../subgraphs/reference/world/random';
import { shuffled } from '../support/shuffled';

const logger = createLogger('test');

let api: GraphQLSchema;

/** Every member's own suspect type gets a fragment of its own: redaction's per-type expansion meets it. */
const perMember = (field: string): string =>
  MEMBERS.map((member) => `... on ${member.code}Suspect { ${field} }`).join(' ');

/** Operations over the contract's interfaces: nesting, fragments, aliases, `__typename`. */
const OPERATIONS: Record<string, string> = {
  search: `query Search($term: String!) { search(term: $term) { country suspects { fullName aliases dateOfBirth
    nationality passportNumbers phones wantedStatus { wanted } associates { fullName phones } linkedCases { caseNumber
    suspects { fullName dateOfBirth } } } compounds { name operators { fullName } } } }`,
  suspect: `query One($id: ID!) { suspect(id: $id) { __typename ...Who known: fullName ${perMember('passportNumbers')}
    associates { ... on Suspect { fullName dateOfBirth } } } } fragment Who on Suspect { country phones
    criminalRecord { court } lastKnownLocation { __typename } }`,
  case: `query Case($id: ID!) { case(id: $id) { caseNumber status suspects { fullName ${perMember('phones')} }
    compounds { name address operators { nationality } } victims { __typename } } }`,
};

/** Operations whose selections turn on the request's variables, each in one place only. */
const CONDITIONAL: Record<string, string> = {
  field: `query F($id: ID!, $s: Boolean = false) { suspect(id: $id) { country hidden: fullName @skip(if: $s)
    phones associates { fullName } } }`,
  inline: `query I($id: ID!, $s: Boolean!) { suspect(id: $id) { country ... on Suspect @skip(if: $s) {
    fullName dateOfBirth } ${perMember('phones')} } }`,
  spread: `query S($id: ID!, $s: Boolean!) { suspect(id: $id) { country ...More @include(if: $s) } }
    fragment More on Suspect { fullName associates { phones } }`,
};

beforeAll(async () => {
  api = await apiSchema();
  for (const source of [...Object.values(OPERATIONS), ...Object.values(CONDITIONAL)])
    expect(validate(api, parse(source)).map((e) => e.message)).toEqual([]);
});

/** A small seeded generator: the same orders every run, many of them. */
const random = mulberry32;

function variablesOf(source: string): Record<string, unknown> {
  return source.includes('$term') ? { term: 'x' } : { id: 'x' };
}

/** The request's variables, coerced as the gateway does (defaults applied). */
function coerced(source: string, s = false): PipelineRequest['variables'] {
  const parsed = parse(source);
  const coercion = coerceVariables(api, parsed, findOperation(parsed, undefined)!, {
    ...variablesOf(source),
    ...(source.includes('$s') ? { s } : {}),
  });
  if (!coercion.ok) throw new Error(coercion.errors.map((e) => e.message).join('; '));
  return coercion.values;
}

function pipelineRequest(
  document: DocumentNode,
  source: string,
  requester: RequestContext,
  options: { at?: number; policy?: Policy } = {},
): PipelineRequest {
  return {
    schema: api,
    document,
    operationName: undefined,
    source,
    variables: coerced(source),
    requester,
    at: options.at ?? AT,
    consultation: undefined,
    policy: options.policy ?? policy,
    categories,
    logger,
    redactBeforePlanning: true,
  };
}

/** Everything a rewrite gives the rest of the request, as text: the cuts with their decisions. */
function described(rewritten: Rewritten, withGrant = true): unknown {
  const { redaction } = rewritten;
  return {
    signature: redaction.signature,
    cuts: [...redaction.redactions.values()].flatMap((byField) =>
      [...byField.values()].map((r) => ({
        at: `${r.typeName}.${r.fieldName}`,
        owner: r.owner,
        category: r.category,
        hidesRecord: r.hidesRecord,
        decision: {
          effect: r.decision.effect,
          reason: r.decision.reason,
          recordDependent: r.decision.recordDependent,
          ...(withGrant ? { grant: r.decision.grant } : {}),
          emergency: r.decision.emergency,
          clauses: r.decision.clauses.map((c) => `${c.agreement}/${c.clause}`),
        },
      })),
    ),
    released: [...redaction.released].sort(),
    redacted: print(redaction.document),
    injected: rewritten.typenames.injected.size,
    planned: print(rewritten.document),
  };
}

/** The rewrite of `source` for this request on the shared document, and on the same text parsed anew. */
function both(
  shared: DocumentNode,
  source: string,
  requester: RequestContext,
  options: { at?: number; policy?: Policy } = {},
): { kept: Rewritten; fresh: Rewritten } {
  return {
    kept: rewrite(pipelineRequest(shared, source, requester, options)).rewritten,
    fresh: rewrite(pipelineRequest(parse(source), source, requester, options)).rewritten,
  };
}

// ---- Decisions drawn at random ----------------------------------------------------------------------------

/** Every (owner, category) pair a field of the supergraph belongs to. */
function pairsOfSupergraph(): [string, Category][] {
  const pairs = new Map<string, [string, Category]>();
  for (const [key, category] of categories) {
    const owner = splitConcreteTypeName(key.split('.')[0]!)?.owner;
    if (owner && CATEGORIES.includes(category as Category))
      pairs.set(`${owner}\0${category}`, [owner, category as Category]);
  }
  return [...pairs.values()];
}

type World = ReadonlyMap<string, { readonly effect: Effect; readonly recordDependent: boolean }>;

/**
 * A policy that decides every pair as `world` says, and marks each decision with the request it was made
 * for (as `grant`): a cut served with another request's decision shows it.
 */
function policyOf(world: World): Policy {
  return {
    ...policy,
    decide: (input) => {
      const drawn = world.get(`${input.owner}\0${input.category}`);
      const decision: Decision = policy.decide(input);
      if (!drawn) return decision;
      return {
        ...decision,
        effect: drawn.effect,
        recordDependent: drawn.recordDependent,
        grant: input.requester.requestReference,
      };
    },
  };
}

const EFFECTS: readonly Effect[] = ['release', 'hit-only', 'withhold'];

/** One decision drawn at random: any effect, and now and then the owner's to make record by record. */
function drawn(next: () => number, bias: number) {
  const effect = next() < bias ? 'release' : EFFECTS[Math.floor(next() * EFFECTS.length)]!;
  return { effect, recordDependent: next() < 0.15 };
}

/**
 * `count` worlds: a few drawn whole (some releasing most, some little), the first with every reference
 * withheld (nothing below the search's lists is consulted: the pair list grows later), and the others
 * each one of these with a few pairs drawn again, so that worlds agree on most pairs and differ on a few
 * that only some of them consult.
 */
function worldsDrawn(count: number, next: () => number): World[] {
  const pairs = pairsOfSupergraph();
  const bases: World[] = [0.2, 0.5, 0.8].map((bias, i) => {
    const world = new Map(pairs.map(([owner, category]) => [`${owner}\0${category}`, drawn(next, bias)]));
    if (i === 0)
      for (const key of world.keys())
        if (key.endsWith(`\0${META_REFERENCE}`))
          world.set(key, { effect: 'withhold', recordDependent: false });
    return world;
  });
  return Array.from({ length: count }, (_, i) => {
    const world = new Map(bases[i % bases.length]);
    for (let k = 0; k < (i < bases.length ? 0 : 1 + (i % 4)); k++) {
      const [owner, category] = pairs[Math.floor(next() * pairs.length)]!;
      world.set(`${owner}\0${category}`, drawn(next, 0.5));
    }
    return world;
  });
}

describe('with decisions drawn at random for every pair', () => {
  it.each(Object.keys(OPERATIONS))(
    'gives every request of %s its own cut and decisions, as pair lists grow',
    (name) => {
      const source = OPERATIONS[name]!;
      const next = random(0x5eed + name.length);
      // Worlds that agree on most pairs, each asked twice or three times, in a seeded order.
      const worlds = worldsDrawn(48, next);
      // The first request withholds every reference; the rest come in a seeded order.
      const order = [
        0,
        ...shuffled(
          worlds.flatMap((_, i) => (i % 3 === 0 ? [i, i, i] : [i, i])),
          next,
        ),
      ];
      // What a fresh process gives each world, but for the request each decision is marked with.
      const fresh = new Map<number, unknown>();
      const shared = parse(source);
      const seen = new Map<number, DocumentNode>();
      let served = 0;
      order.forEach((w, n) => {
        const requester = { ...analyst(MEMBERS[w % MEMBERS.length]!.code), requestReference: `REQ-${n}` };
        const options = { policy: policyOf(worlds[w]!) };
        const kept = rewrite(pipelineRequest(shared, source, requester, options)).rewritten;
        if (!fresh.has(w))
          fresh.set(
            w,
            described(rewrite(pipelineRequest(parse(source), source, requester, options)).rewritten, false),
          );
        expect(described(kept, false)).toEqual(fresh.get(w));
        // Every decision a cut carries was made for this request.
        for (const byField of kept.redaction.redactions.values())
          for (const cut of byField.values()) expect(cut.decision.grant).toBe(requester.requestReference);
        if (seen.get(w) === kept.redaction.document && kept.redaction.redactions.size > 0) served++;
        seen.set(w, kept.redaction.document);
      });
      // The memo did serve some of them (otherwise this compares two fresh rewrites).
      expect(served).toBeGreaterThan(0);
    },
  );

  it('gives a request whose cut was evicted its own cut again, made anew', () => {
    // Everything released first: every pair the operation can reach is consulted, and the pair list is
    // whole. Then more worlds than a document keeps, each withholding one pair or two more (distinct
    // cuts), in turn and again: the second round asks for cuts the first pushed out.
    const source = OPERATIONS['search']!;
    const shared = parse(source);
    const requester = analyst(MEMBERS[0]!.code);
    const freshFor = (world: World) =>
      described(
        rewrite(pipelineRequest(parse(source), source, requester, { policy: policyOf(world) })).rewritten,
      );
    const all = pairsOfSupergraph().map(([owner, category]) => `${owner}\0${category}`);
    const released: World = new Map(all.map((key) => [key, { effect: 'release', recordDependent: false }]));
    const withholding = (...keys: string[]): World =>
      new Map([
        ...released,
        ...keys.map((key) => [key, { effect: 'withhold', recordDependent: false }] as const),
      ]);
    // The pairs the operation consults, all released (the most it can consult).
    const consulted = new Set<string>();
    const recording: Policy = {
      ...policy,
      decide: (input) => {
        consulted.add(`${input.owner}\0${input.category}`);
        return policyOf(released).decide(input);
      },
    };
    rewrite(pipelineRequest(parse(source), source, requester, { policy: recording }));
    const pairs = [...consulted];
    // Worlds withholding one consulted pair, then two, as long as each cuts something no other does.
    const worlds = [released];
    const fresh = [freshFor(released)];
    const known = new Set(fresh.map((f) => JSON.stringify(f)));
    const candidates = [
      ...pairs.map((p) => [p]),
      ...pairs.flatMap((p, i) => pairs.slice(i + 1).map((q) => [p, q])),
    ];
    for (const keys of candidates) {
      if (worlds.length >= MAX_PER_DOCUMENT + 8) break;
      const world = withholding(...keys);
      const made = freshFor(world);
      if (known.has(JSON.stringify(made))) continue;
      known.add(JSON.stringify(made));
      worlds.push(world);
      fresh.push(made);
    }
    expect(worlds.length).toBeGreaterThan(MAX_PER_DOCUMENT + 1);
    for (const round of [1, 2])
      worlds.forEach((world, i) => {
        const kept = rewrite(
          pipelineRequest(shared, source, analyst(MEMBERS[0]!.code), { policy: policyOf(world) }),
        );
        expect([round, i, described(kept.rewritten)]).toEqual([round, i, fresh[i]]);
      });
  });

  it('gives a request the cut of its own effects after the pair list grew under a kept cut', () => {
    // Every reference withheld: the search's lists are cut and nothing below them is consulted. Then the
    // references released, the fields below withheld or released: the pair list grows under the cut kept
    // for the first, which must still serve only requests with its effects.
    const source = OPERATIONS['search']!;
    const next = random(7);
    const shared = parse(source);
    const [base] = worldsDrawn(1, next);
    const references = [...base!.keys()].filter((key) => key.endsWith('\0meta.reference'));
    const withheld = new Map(base);
    for (const key of references) withheld.set(key, { effect: 'withhold', recordDependent: false });
    const released = new Map(base);
    for (const key of references) released.set(key, { effect: 'release', recordDependent: false });
    // The nested pairs, withheld in one variant and released in the other.
    const nestedWithheld = new Map(released);
    for (const [key, drawn] of released)
      if (!key.endsWith('\0meta.reference')) nestedWithheld.set(key, { ...drawn, effect: 'withhold' });
    const nestedReleased = new Map(released);
    for (const [key, drawn] of released)
      if (!key.endsWith('\0meta.reference')) nestedReleased.set(key, { ...drawn, effect: 'release' });
    let n = 0;
    for (const world of [withheld, nestedWithheld, withheld, nestedReleased, nestedWithheld, withheld]) {
      const requester = { ...analyst(MEMBERS[0]!.code), requestReference: `REQ-${n++}` };
      const { kept, fresh } = both(shared, source, requester, { policy: policyOf(world) });
      expect(described(kept)).toEqual(described(fresh));
    }
  });
});

// ---- The agreements as they stand -------------------------------------------------------------------------

/** Instants on both sides of every date an agreement or a joint team starts or ends, and AT. */
function instantsOfAgreements(): number[] {
  const day = 24 * 60 * 60 * 1000;
  const dates = new Set<number>([AT]);
  const around = (iso: string | undefined, inclusiveEnd: boolean) => {
    if (!iso) return;
    const start = Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);
    if (Number.isNaN(start)) return;
    if (inclusiveEnd) {
      dates.add(start + day - 1);
      dates.add(start + day);
    } else {
      dates.add(start - 1);
      dates.add(start);
    }
  };
  for (const agreement of policy.set.agreements) {
    around(agreement.inForce.from, false);
    around(agreement.inForce.until, true);
    for (const clause of agreement.clauses) {
      const team = clause.conditions?.jointTeam;
      around(team?.validFrom, false);
      around(team?.validUntil, true);
    }
  }
  return [...dates].sort((a, b) => a - b);
}

/** Every member's analyst for every purpose, as is and with each thing a clause may ask of a request. */
function requestersOfAgreements(at: number): RequestContext[] {
  const teams = policy.set.agreements.flatMap((a) =>
    a.clauses.flatMap((c) => (c.conditions?.jointTeam ? [c.conditions.jointTeam] : [])),
  );
  return MEMBERS.flatMap((member) =>
    PURPOSES.flatMap((purpose) => {
      const plain = analyst(member.code, purpose);
      const team = teams.find((t) => t.members[member.code]?.length);
      return [
        plain,
        { ...plain, caseReference: 'CASE-1', requestReference: 'REF-1' },
        {
          ...plain,
          caseReference: 'CASE-1',
          emergency: { id: 'EMG-1', declaredAt: at - 60_000, justification: 'a life at risk' },
        },
        ...(team
          ? [
              {
                ...plain,
                analyst: team.members[member.code]![0]!,
                caseReference: 'CASE-1',
                jointTeam: team.id,
              },
            ]
          : []),
      ];
    }),
  );
}

describe('with the agreements as they stand', () => {
  it.each(Object.keys(OPERATIONS))(
    'gives every requester of %s, at every instant, its own rewrite in any order',
    (name) => {
      const source = OPERATIONS[name]!;
      const next = random(0xacc0 + name.length);
      // A seeded sample of every requester at every instant (all of them take a minute), each asked
      // twice, in two orders.
      const asks = shuffled(
        instantsOfAgreements().flatMap((at) =>
          requestersOfAgreements(at).map((requester) => ({ requester, at })),
        ),
        next,
      ).slice(0, 60);
      const fresh = asks.map(({ requester, at }) =>
        described(rewrite(pipelineRequest(parse(source), source, requester, { at })).rewritten),
      );
      const shared = parse(source);
      const signatures = new Set<string>();
      for (const i of [...shuffled(asks.keys(), next), ...shuffled(asks.keys(), next)]) {
        const { requester, at } = asks[i]!;
        const kept = rewrite(pipelineRequest(shared, source, requester, { at })).rewritten;
        expect(described(kept)).toEqual(fresh[i]);
        signatures.add(kept.redaction.signature);
      }
      // The requesters differ in what is cut: the memo has more than one cut to confuse.
      expect(signatures.size).toBeGreaterThanOrEqual(2);
    },
  );
});

// ---- Walkers and variables --------------------------------------------------------------------------------

/** The selection sets of a document in the order a visit meets them (the same for the same text). */
function selectionSets(document: DocumentNode): SelectionSetNode[] {
  const sets: SelectionSetNode[] = [];
  visit(document, { [Kind.SELECTION_SET]: (node: SelectionSetNode) => void sets.push(node) });
  return sets;
}

/** What a walker collects along every selection set of `document`, for every object type of the schema. */
function collectedAlong(document: DocumentNode, source: string, s: boolean): string[] {
  const walker = new AnswerWalker(api, document, coerced(source, s));
  const types = Object.values(api.getTypeMap()).filter(
    (type) => isObjectType(type) && !type.name.startsWith('__'),
  );
  return selectionSets(document).flatMap((set, i) =>
    types.map(
      (type) =>
        `${i} ${type.name}: ${walker
          .fieldsOf(type.name, set)
          .map((f) => `${f.key}=${f.name}${f.selectionSet ? ` ${print(f.selectionSet)}` : ''}`)
          .join(' ')}`,
    ),
  );
}

describe('walkers along a document whose selections turn on variables', () => {
  it.each(Object.keys(CONDITIONAL))(
    'collects, with @skip/@include on a %s, the fields of each request’s own variables',
    (name) => {
      const source = CONDITIONAL[name]!;
      const shared = parse(source);
      const requester = analyst(MEMBERS[0]!.code);
      // Along the analyst's document and along the rewritten one the restores walk, in turn.
      for (const s of [false, true, true, false, true]) {
        const { kept } = both(shared, source, requester);
        const fresh = both(parse(source), source, requester).fresh;
        expect(collectedAlong(shared, source, s)).toEqual(collectedAlong(parse(source), source, s));
        expect(collectedAlong(kept.typenames.document, source, s)).toEqual(
          collectedAlong(fresh.typenames.document, source, s),
        );
      }
      // The variable does change what is collected: the test can tell one request's from another's.
      expect(collectedAlong(parse(source), source, true)).not.toEqual(
        collectedAlong(parse(source), source, false),
      );
    },
  );
});
