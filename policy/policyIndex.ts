/**
 * The compiled form of an agreement set: for every ordered pair (owner → requester) a table of cells,
 * one per (purpose, category), each holding the clauses that could decide it, already ranked, with the
 * owner's domestic gate verdict and the decision they give prebuilt. Everything that does not depend on
 * the request is settled here, so decide() only checks the request's conditions and returns a shared,
 * frozen decision on the release path.
 *
 * Ranking of the clauses of a cell (the first that applies determines the decision):
 *   1. effect: release before hit-only (the most permissive effect wins);
 *   2. basis kind (evaluateClause.ts BASIS_RANK: MLAT, EXTRADITION, JIT, INTERPOL_NOTICE,
 *      POLICE_COOPERATION, HIT_ONLY, EMERGENCY);
 *   3. bilateral before multilateral (the specific instrument before the general one);
 *   4. agreement id, then clause id (plain string order), so the choice never depends on file order.
 */
import { CATEGORIES, META_REFERENCE, PURPOSES, type Category, type Purpose } from '../vocabulary';
import { BASIS_RANK, compileClause, type CompiledClause } from './evaluateClause';
import { gateVerdict } from './gateVerdict';
import type { ReasonCode } from './reasonCodes';
import type {
  AgreementSet,
  CategoryMode,
  Decision,
  DomesticGate,
  FailedCondition,
  GateRef,
  Obligations,
  Route,
} from './types';

export interface Candidate {
  readonly compiled: CompiledClause;
  readonly effect: CategoryMode;
  /** Undefined when the owner has no gate or the gate allows it (then `gate` is its reference). */
  readonly gateFailure: FailedCondition | undefined;
  readonly gate: GateRef | undefined;
  /** The decision when this candidate determines it and nothing ranked before it needs telling. */
  readonly success: Decision;
  /** Routes already written, by failure (failures are prebuilt objects, so identity is the key). */
  readonly routes: Map<FailedCondition, Route>;
}

export interface Cell {
  readonly candidates: readonly Candidate[];
  /** Clauses that cover the category for this pair but not this purpose. */
  readonly purposeRoutes: readonly Route[];
  /** The decision when no clause covers category and purpose (candidates is empty). */
  readonly empty: Decision | undefined;
}

export interface PolicyIndex {
  readonly set: AgreementSet;
  readonly revision: string;
  /** owner → requester → cells[purposeIndex * categoryCount + categoryIndex]. Absent: no agreement. */
  readonly pairs: ReadonlyMap<string, ReadonlyMap<string, readonly Cell[]>>;
  readonly purposeIndex: ReadonlyMap<string, number>;
  readonly categoryIndex: ReadonlyMap<string, number>;
  readonly categoryCount: number;
  /** Every clause of the set, in set order (files by name, clauses in file order). */
  readonly clauses: readonly CompiledClause[];
  readonly gates: ReadonlyMap<string, DomesticGate>;
  readonly fixed: {
    readonly domestic: Decision;
    readonly purposeRequired: Decision;
    readonly noAgreement: Decision;
    readonly unknownPurpose: Decision;
    readonly unknownCategory: Decision;
  };
}

const NONE: readonly never[] = Object.freeze([]);

export function buildPolicyIndex(set: AgreementSet): PolicyIndex {
  const { revision } = set;
  const clauses = set.agreements.flatMap((agreement) =>
    agreement.clauses.map((clause) => compileClause(agreement, clause)),
  );
  const gates = new Map(set.gates.map((gate) => [gate.owner, gate]));
  const fixedDecision = (effect: Decision['effect'], reason: ReasonCode): Decision =>
    Object.freeze({ effect, reason, clauses: NONE, routes: NONE, recordDependent: false, revision });

  const pairs = new Map<string, Map<string, Cell[]>>();
  for (const owner of set.members) {
    for (const requester of set.members) {
      const flowing = clauses.filter((compiled) => compiled.flows.has(`${owner.code}>${requester.code}`));
      if (owner.code === requester.code || flowing.length === 0) continue;
      const cells: Cell[] = [];
      for (const purpose of PURPOSES) {
        for (const category of CATEGORIES) {
          cells.push(buildCell(flowing, gates.get(owner.code), purpose, category, revision));
        }
      }
      let byRequester = pairs.get(owner.code);
      if (byRequester === undefined) pairs.set(owner.code, (byRequester = new Map<string, Cell[]>()));
      byRequester.set(requester.code, cells);
    }
  }

  return {
    set,
    revision,
    pairs,
    purposeIndex: new Map(PURPOSES.map((purpose, i) => [purpose, i])),
    categoryIndex: new Map(CATEGORIES.map((category, i) => [category, i])),
    categoryCount: CATEGORIES.length,
    clauses,
    gates,
    fixed: {
      domestic: fixedDecision('release', 'DOMESTIC'),
      purposeRequired: fixedDecision('withhold', 'PURPOSE_REQUIRED'),
      noAgreement: fixedDecision('withhold', 'NO_AGREEMENT'),
      unknownPurpose: fixedDecision('withhold', 'PURPOSE_NOT_COVERED'),
      unknownCategory: fixedDecision('withhold', 'CATEGORY_NOT_COVERED'),
    },
  };
}

function buildCell(
  flowing: readonly CompiledClause[],
  gate: DomesticGate | undefined,
  purpose: Purpose,
  category: Category,
  revision: string,
): Cell {
  // meta.reference goes wherever any basis allows at least a hit for any category (docs/domain.md).
  const modeOf = (compiled: CompiledClause): CategoryMode | undefined =>
    category === META_REFERENCE ? 'release' : compiled.clause.categories[category];
  const covering = flowing.filter((compiled) => modeOf(compiled) !== undefined);
  const purposeRoutes = Object.freeze(
    covering
      .filter((compiled) => !compiled.clause.purposes.includes(purpose))
      .map((compiled) => makeRoute(compiled, modeOf(compiled)!, compiled.purposeFailure)),
  );
  const releasePurposeRoutes = Object.freeze(purposeRoutes.filter((route) => route.effect === 'release'));

  const candidates = covering
    .filter((compiled) => compiled.clause.purposes.includes(purpose))
    .map((compiled) => ({ compiled, effect: modeOf(compiled)! }))
    .sort(byRank)
    .map(({ compiled, effect }): Candidate => {
      const verdict = gate === undefined ? undefined : gateVerdict(gate, compiled.clause.basis, purpose);
      const gateRef = verdict?.allowed === true ? verdict.ref : undefined;
      return {
        compiled,
        effect,
        gateFailure: verdict?.allowed === false ? verdict.failure : undefined,
        gate: gateRef,
        success: successDecision(
          effect,
          compiled.ref,
          compiled.obligations,
          gateRef,
          effect === 'hit-only' ? releasePurposeRoutes : NONE,
          revision,
        ),
        routes: new Map(),
      };
    });

  let empty: Decision | undefined;
  if (candidates.length === 0) {
    const reason: ReasonCode = covering.length === 0 ? 'CATEGORY_NOT_COVERED' : 'PURPOSE_NOT_COVERED';
    empty = Object.freeze({
      effect: 'withhold',
      reason,
      clauses: NONE,
      routes: purposeRoutes,
      recordDependent: false,
      revision,
    });
  }
  return { candidates, purposeRoutes, empty };
}

function successDecision(
  effect: CategoryMode,
  ref: Decision['clauses'][number],
  obligations: Obligations,
  gate: GateRef | undefined,
  routes: readonly Route[],
  revision: string,
): Decision {
  return Object.freeze({
    effect,
    reason: effect === 'release' ? 'RELEASED' : 'HIT_ONLY',
    clauses: Object.freeze([ref]),
    obligations,
    ...(gate !== undefined && { gate }),
    routes,
    recordDependent: false,
    revision,
  });
}

function byRank(
  a: { compiled: CompiledClause; effect: CategoryMode },
  b: { compiled: CompiledClause; effect: CategoryMode },
): number {
  const x = a.compiled;
  const y = b.compiled;
  return (
    (a.effect === b.effect ? 0 : a.effect === 'release' ? -1 : 1) ||
    BASIS_RANK[x.clause.basis] - BASIS_RANK[y.clause.basis] ||
    (x.agreement.kind === y.agreement.kind ? 0 : x.agreement.kind === 'bilateral' ? -1 : 1) ||
    compareStrings(x.agreement.id, y.agreement.id) ||
    compareStrings(x.clause.id, y.clause.id)
  );
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A route in a lawyer's words: "KR–KH MLAT 2021 art. 1(4)(b): needs a request reference". */
export function makeRoute(compiled: CompiledClause, effect: CategoryMode, needs: FailedCondition): Route {
  const { ref } = compiled;
  const hit = effect === 'hit-only' ? ' (hit only)' : '';
  return Object.freeze({ ...ref, effect, needs, text: `${ref.title} ${ref.citation}${hit}: ${needs.text}` });
}

/** The route of a candidate for a failure, written once and reused. */
export function routeOf(candidate: Candidate, needs: FailedCondition): Route {
  let route = candidate.routes.get(needs);
  if (route === undefined) {
    route = makeRoute(candidate.compiled, candidate.effect, needs);
    candidate.routes.set(needs, route);
  }
  return route;
}
