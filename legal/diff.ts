/**
 * Semantic comparison of two agreement sets: every question of the joint finite domain (legal/domain.ts,
 * with the conditions and validity edges of *both* sets) is put to both compiled policies, and every
 * (pair, purpose, category, what the request carries) whose effect changed is reported:
 *   - wider: a request now gets more (withhold → hit-only → release);
 *   - narrower: it now gets less;
 *   - rebased: the same effect under another clause (other citation, other obligations).
 * Each change is attributed to a clause (wider: the clause that now gives more; narrower: the clause
 * that gave more before), carries the least demanding request that shows it as a concrete example, and
 * the stretches of time in which it holds. Two sets with different file layouts but the same rules have
 * no changes.
 */
import type {
  ClauseRef,
  Decision,
  DecisionInput,
  Effect,
  JointTeam,
  Obligations,
  Policy,
  ReasonCode,
} from '../policy/core';
import { PURPOSES, CATEGORIES, type Category, type Purpose } from '../vocabulary';
import {
  candidatesOf,
  cellsOf,
  describeProfile,
  describeQuestion,
  dimensionsOf,
  edgesOf,
  inputOf,
  profilesOf,
  stretchAt,
  timePointsOf,
  weightOf,
  type Cell,
  type Profile,
  type TimePoint,
} from './domain';
import { diffClauses, obligationsDirection, type ClauseChange } from './clauseDiff';
import { EFFECT_RANK } from './standing';

export type ChangeDirection = 'wider' | 'narrower' | 'rebased';

export interface DiffOutcome {
  readonly effect: Effect;
  readonly reason: ReasonCode;
  readonly clause?: ClauseRef;
  readonly obligations?: Obligations;
}

export interface DiffChange {
  readonly requester: string;
  readonly owner: string;
  readonly purpose: Purpose;
  readonly category: Category;
  readonly direction: ChangeDirection;
  readonly before: DiffOutcome;
  readonly after: DiffOutcome;
  /** The least a request carries to show the change. */
  readonly profile: Profile;
  readonly needs: string;
  /** When the change holds: merged stretches [from, until) in epoch ms. */
  readonly stretches: readonly { readonly from: number; readonly until: number }[];
  /** How many combinations of what a request carries (and times) show it. */
  readonly combinations: number;
  readonly example: { readonly input: DecisionInput; readonly text: string };
  /** The clause the change is attributed to. */
  readonly clause?: ClauseRef;
}

export interface DiffGroup {
  /** "agreement/clause", or "(none)". */
  readonly key: string;
  readonly clause?: ClauseRef;
  /** Which set the clause is read from: the new one for wider and rebased changes, the old one for narrower. */
  readonly side: 'before' | 'after';
  readonly changes: readonly DiffChange[];
}

export interface PolicyDiff {
  readonly before: string;
  readonly after: string;
  readonly changes: readonly DiffChange[];
  readonly groups: readonly DiffGroup[];
  readonly counts: Readonly<Record<ChangeDirection, number>>;
  /** Questions put to each policy. */
  readonly questions: number;
  /** What changed in the text, clause by clause and gate by gate (legal/clauseDiff.ts). */
  readonly clauseChanges: readonly ClauseChange[];
}

export interface DiffOptions {
  /** Compare at this instant only (default: every stretch of time between validity edges). */
  readonly at?: number;
  /** Prefer examples at this instant's stretch (default: the latest stretch). */
  readonly reference?: number;
}

interface Collected {
  change: Omit<DiffChange, 'stretches' | 'combinations' | 'example' | 'profile' | 'needs'>;
  profile: Profile;
  weight: number;
  time: TimePoint;
  stretches: { from: number; until: number }[];
  combinations: number;
  teams: readonly JointTeam[];
}

export function diffPolicies(before: Policy, after: Policy, options: DiffOptions = {}): PolicyDiff {
  const members = [
    ...new Set([...before.set.members, ...after.set.members].map((member) => member.code)),
  ].sort();
  const collected = new Map<string, Collected>();
  let questions = 0;
  for (const cell of cellsOf(members, members, PURPOSES, CATEGORIES) as Generator<
    Cell & { purpose: Purpose }
  >) {
    const candidates = [...candidatesOf(before, cell), ...candidatesOf(after, cell)];
    if (candidates.length === 0) continue;
    const dimensions = dimensionsOf(candidates);
    const edges = edgesOf(candidates);
    const times = options.at === undefined ? timePointsOf(edges) : [stretchAt(edges, options.at)];
    const profiles = profilesOf(dimensions, cell.requester);
    for (const time of times) {
      for (const profile of profiles) {
        const input = inputOf(cell, profile, time.at, dimensions.teams);
        const old = before.decide(input);
        const now = after.decide(input);
        questions++;
        const direction = directionOf(old, now);
        if (direction === undefined) continue;
        const change = {
          requester: cell.requester,
          owner: cell.owner,
          purpose: cell.purpose,
          category: cell.category,
          direction,
          before: outcomeOf(old),
          after: outcomeOf(now),
          ...(attributed(direction, old, now) !== undefined && { clause: attributed(direction, old, now)! }),
        };
        const key = [
          cell.requester,
          cell.owner,
          cell.purpose,
          cell.category,
          direction,
          keyOf(old),
          keyOf(now),
        ].join('|');
        const weight = weightOf(profile);
        const known = collected.get(key);
        if (known === undefined) {
          collected.set(key, {
            change,
            profile,
            weight,
            time,
            stretches: [{ from: time.from, until: time.until }],
            combinations: 1,
            teams: dimensions.teams,
          });
          continue;
        }
        known.combinations++;
        if (!known.stretches.some((stretch) => stretch.from === time.from && stretch.until === time.until))
          known.stretches.push({ from: time.from, until: time.until });
        if (
          weight < known.weight ||
          (weight === known.weight && preferTime(time, known.time, options.reference))
        ) {
          known.profile = profile;
          known.weight = weight;
          known.time = time;
        }
      }
    }
  }

  const changes: DiffChange[] = [...collected.values()].map(
    ({ change, profile, time, stretches, combinations, teams }) => {
      const cell: Cell = {
        requester: change.requester,
        owner: change.owner,
        purpose: change.purpose,
        category: change.category,
      };
      return {
        ...change,
        profile,
        needs: describeProfile(profile),
        stretches: mergeStretches(stretches),
        combinations,
        example: {
          input: inputOf(cell, profile, exampleAt(time, options.reference), teams),
          text: describeQuestion(cell, profile, exampleAt(time, options.reference)),
        },
      };
    },
  );
  changes.sort(
    (a, b) =>
      compare(a.requester, b.requester) ||
      compare(a.owner, b.owner) ||
      PURPOSES.indexOf(a.purpose) - PURPOSES.indexOf(b.purpose) ||
      CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category),
  );

  const groups = new Map<string, { clause?: ClauseRef; side: 'before' | 'after'; changes: DiffChange[] }>();
  for (const change of changes) {
    const side = change.direction === 'narrower' ? 'before' : 'after';
    const key = `${change.clause === undefined ? '(none)' : `${change.clause.agreement}/${change.clause.clause}`}|${side}`;
    let group = groups.get(key);
    if (group === undefined)
      groups.set(
        key,
        (group = { ...(change.clause !== undefined && { clause: change.clause }), side, changes: [] }),
      );
    group.changes.push(change);
  }
  const counts = { wider: 0, narrower: 0, rebased: 0 };
  for (const change of changes) counts[change.direction]++;
  return {
    before: before.revision,
    after: after.revision,
    changes,
    groups: [...groups.entries()]
      .sort(([a], [b]) => compare(a, b))
      .map(([key, group]) => ({ key: key.split('|')[0]!, ...group })),
    counts,
    questions,
    clauseChanges: diffClauses(before.set, after.set),
  };
}

function directionOf(old: Decision, now: Decision): ChangeDirection | undefined {
  const delta = EFFECT_RANK[now.effect] - EFFECT_RANK[old.effect];
  if (delta > 0) return 'wider';
  if (delta < 0) return 'narrower';
  if (now.effect === 'withhold') return undefined;
  if (keyOf(old) !== keyOf(now)) return 'rebased';
  // The same effect under the same clause, whose obligations changed: looser (a longer retention,
  // evidentiary use allowed, a lower handling code) lets the data be used more, wider; tighter only,
  // narrower. (Under another clause it is a rebase: that clause's own obligations apply.)
  const duties =
    old.obligations !== undefined && now.obligations !== undefined
      ? obligationsDirection(old.obligations, now.obligations)
      : undefined;
  if (duties === 'wider' || duties === 'narrower') return duties;
  return sameObligations(old.obligations, now.obligations) ? undefined : 'rebased';
}

function attributed(direction: ChangeDirection, old: Decision, now: Decision): ClauseRef | undefined {
  return direction === 'narrower' ? old.clauses[0] : now.clauses[0];
}

function outcomeOf(decision: Decision): DiffOutcome {
  const clause = decision.clauses[0];
  return {
    effect: decision.effect,
    reason: decision.reason,
    ...(clause !== undefined && { clause }),
    ...(decision.obligations !== undefined && { obligations: decision.obligations }),
  };
}

function keyOf(decision: Decision): string {
  const clause = decision.clauses[0];
  return `${decision.effect}:${clause === undefined ? '' : `${clause.agreement}/${clause.clause}`}`;
}

function sameObligations(a: Obligations | undefined, b: Obligations | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Examples from the reference instant's stretch, else from the latest stretch. */
function preferTime(candidate: TimePoint, current: TimePoint, reference: number | undefined): boolean {
  if (reference !== undefined) {
    const inCandidate = reference >= candidate.from && reference < candidate.until;
    const inCurrent = reference >= current.from && reference < current.until;
    if (inCandidate !== inCurrent) return inCandidate;
  }
  return candidate.from > current.from;
}

/** The reference instant when it lies in the example's stretch (a date the reader knows), else the stretch's own. */
function exampleAt(time: TimePoint, reference: number | undefined): number {
  return reference !== undefined &&
    reference >= time.from &&
    reference < time.until &&
    time.until - time.from > 1
    ? reference
    : time.at;
}

function mergeStretches(
  stretches: readonly { from: number; until: number }[],
): { from: number; until: number }[] {
  const sorted = [...stretches].sort((a, b) => a.from - b.from);
  const merged: { from: number; until: number }[] = [];
  for (const stretch of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && stretch.from <= last.until) last.until = Math.max(last.until, stretch.until);
    else merged.push({ ...stretch });
  }
  return merged;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
