/**
 * The permission matrix: for each pair (requester country, owner country), each data category × purpose,
 * what can cross at a given date, under which clause, and what the request must carry for it.
 *
 * A cell is computed by asking the engine every question of its domain (legal/domain.ts) at that date:
 * every outcome that some request gets (release or hit-only under a clause) is listed with the least a
 * request must carry to get it. A cell nobody can get anything from says why, in the words of
 * legal/standing.ts: not covered, forbidden by domestic law, not in force, or conditions never met.
 */
import type { ClauseRef, Decision, Effect, Obligations, Policy, ReasonCode, Route } from '../policy/core';
import { CATEGORIES, PURPOSES, type Category, type LegalBasisKind, type Purpose } from '../vocabulary';
import {
  candidatesOf,
  describeProfile,
  dimensionsOf,
  inputOf,
  profilesOf,
  weightOf,
  clauseOf,
  type Cell,
  type Profile,
} from './domain';
import type { FieldCatalog, FieldEntry } from './fields';
import { EFFECT_RANK, reasonStage, standingOf, type Standing } from './standing';

/** One way to get something out of a cell. */
export interface MatrixOutcome {
  readonly effect: 'release' | 'hit-only';
  readonly clause: ClauseRef;
  readonly basis: LegalBasisKind;
  /** The least a request carries to get it, in words. */
  readonly needs: string;
  readonly profile: Profile;
  readonly obligations?: Obligations;
}

export interface MatrixCell {
  readonly purpose: Purpose;
  readonly category: Category;
  /** The most any request gets. */
  readonly effect: Effect;
  /** The standing of the most any request gets ("not covered", "forbidden", …). */
  readonly standing: Standing;
  readonly reason: ReasonCode;
  /** What a request carrying nothing gets. */
  readonly unconditional: Effect;
  /** Ways to get something, widest first. */
  readonly outcomes: readonly MatrixOutcome[];
  /** For a cell nobody gets anything from: what the clauses would need (the engine's routes). */
  readonly blocked: readonly Route[];
}

export interface MatrixField {
  readonly entry: FieldEntry;
  /** By purpose, in PURPOSES order: the cell of the field's category. */
  readonly cells: readonly MatrixCell[];
}

export interface MatrixPair {
  readonly requester: string;
  readonly owner: string;
  /** purpose-major: cells[purposeIndex * CATEGORIES.length + categoryIndex]. */
  readonly cells: readonly MatrixCell[];
  readonly fields: readonly MatrixField[];
}

export interface Matrix {
  readonly revision: string;
  readonly at: number;
  readonly purposes: readonly Purpose[];
  readonly categories: readonly Category[];
  readonly pairs: readonly MatrixPair[];
}

export interface MatrixOptions {
  readonly at: number;
  /** Requester countries (default: every member). */
  readonly requesters?: readonly string[];
  /** Owner countries (default: every member). */
  readonly owners?: readonly string[];
  /** The supergraph's record fields, for the per-field view. */
  readonly fields?: FieldCatalog;
}

export function buildMatrix(policy: Policy, options: MatrixOptions): Matrix {
  const members = policy.set.members.map((member) => member.code);
  const requesters = options.requesters ?? members;
  const owners = options.owners ?? members;
  const pairs: MatrixPair[] = [];
  for (const requester of requesters) {
    for (const owner of owners) {
      if (requester === owner) continue;
      const cells: MatrixCell[] = [];
      for (const purpose of PURPOSES)
        for (const category of CATEGORIES)
          cells.push(matrixCell(policy, { requester, owner, purpose, category }, options.at));
      const fields = (options.fields?.fields ?? [])
        .filter((entry) => entry.owner === owner)
        .map((entry) => ({
          entry,
          cells: PURPOSES.map(
            (_, p) => cells[p * CATEGORIES.length + CATEGORIES.indexOf(entry.category as Category)]!,
          ),
        }));
      pairs.push({ requester, owner, cells, fields });
    }
  }
  return { revision: policy.revision, at: options.at, purposes: PURPOSES, categories: CATEGORIES, pairs };
}

/** The cell of a matrix for one purpose and category. */
export function cellOf(pair: MatrixPair, purpose: Purpose, category: Category): MatrixCell {
  return pair.cells[PURPOSES.indexOf(purpose) * CATEGORIES.length + CATEGORIES.indexOf(category)]!;
}

function looseness(profile: Profile): number {
  const grade = profile.record?.grade;
  return grade === undefined ? Number.MAX_SAFE_INTEGER : grade.charCodeAt(0);
}

function matrixCell(policy: Policy, cell: Cell & { purpose: Purpose }, at: number): MatrixCell {
  const candidates = candidatesOf(policy, cell);
  const dimensions = dimensionsOf(candidates);
  const teams = dimensions.teams;
  const outcomes = new Map<string, MatrixOutcome & { weight: number }>();
  let furthest: Decision | undefined;
  let unconditional: Effect = 'withhold';
  for (const profile of profilesOf(dimensions, cell.requester)) {
    const decision = policy.decide(inputOf(cell, profile, at, teams));
    const weight = weightOf(profile);
    if (weight === 0 && profile.record === undefined) unconditional = decision.effect;
    if (decision.effect === 'withhold') {
      if (furthest === undefined || reasonStage(decision.reason) > reasonStage(furthest.reason))
        furthest = decision;
      continue;
    }
    const clause = decision.clauses[0]!;
    const key = `${decision.effect}\0${clause.agreement}/${clause.clause}`;
    const known = outcomes.get(key);
    // Of equally demanding profiles keep the loosest record grade: "source grade B" says the minimum.
    if (
      known !== undefined &&
      (known.weight < weight || (known.weight === weight && looseness(known.profile) >= looseness(profile)))
    )
      continue;
    outcomes.set(key, {
      effect: decision.effect,
      clause,
      basis: clauseOf(policy, clause).clause.basis,
      needs: describeProfile(profile),
      profile,
      ...(decision.obligations !== undefined && { obligations: decision.obligations }),
      weight,
    });
  }
  const sorted = [...outcomes.values()]
    .sort((a, b) => EFFECT_RANK[b.effect] - EFFECT_RANK[a.effect] || a.weight - b.weight)
    .map(({ weight: _weight, ...outcome }) => outcome);
  const best = sorted[0];
  if (best !== undefined) {
    return {
      purpose: cell.purpose,
      category: cell.category,
      effect: best.effect,
      standing: best.effect === 'release' ? 'released' : 'hit-only',
      reason: best.effect === 'release' ? 'RELEASED' : 'HIT_ONLY',
      unconditional,
      outcomes: sorted,
      blocked: [],
    };
  }
  // No candidates: decide once to get the engine's reason (not covered / no agreement) and its routes.
  const decision =
    furthest ?? policy.decide(inputOf(cell, profilesOf(dimensions, cell.requester)[0]!, at, teams));
  return {
    purpose: cell.purpose,
    category: cell.category,
    effect: 'withhold',
    standing: standingOf(decision),
    reason: decision.reason,
    unconditional,
    outcomes: [],
    blocked: decision.routes,
  };
}
