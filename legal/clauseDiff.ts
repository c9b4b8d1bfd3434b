/**
 * What changed in the text of two agreement sets, clause by clause and gate by gate, each change with
 * its concrete before → after and whether it lets more cross or be used (wider), less (narrower), or
 * neither can be said (changed). It complements the question-by-question diff (legal/diff.ts): that one
 * shows the effect on requests, this one names the line a lawyer changed, including obligations and
 * conditions that change no effect (a longer retention, evidentiary use allowed).
 *
 * Wider, as docs/domain.md#obligations states it: a longer retention; a looser onward transfer or
 * evidentiary use; a lower handling code; no longer notifying the source; a later or dropped review; an
 * earlier `from` or a later (or dropped) `until`; a dropped condition or a lower minimum grade; a longer
 * emergency; a new category, purpose, direction, clause or agreement; a relaxed domestic gate.
 */
import type {
  Agreement,
  AgreementSet,
  Clause,
  DomesticGate,
  GateGround,
  JointTeam,
  Obligations,
} from '../policy/core';

export type ClauseChangeDirection = 'wider' | 'narrower' | 'changed';

export interface ClauseChange {
  /** `agreement/clause`, `agreement`, or `gate OWNER`. */
  readonly where: string;
  readonly what: string;
  readonly before: string;
  readonly after: string;
  readonly direction: ClauseChangeDirection;
}

const USE_ORDER = ['forbidden', 'with_consent', 'allowed'];
const HANDLING_ORDER = ['H0', 'H1', 'H2', 'H3'];

/** Wider when `after` is larger on a scale where larger lets more through; equal: undefined. */
function byScale(before: number, after: number): ClauseChangeDirection | undefined {
  return after > before ? 'wider' : after < before ? 'narrower' : undefined;
}

const text = (value: unknown): string =>
  value === undefined
    ? '(none)'
    : Array.isArray(value)
      ? `[${value.join(', ')}]`
      : typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : JSON.stringify(value);

export function diffClauses(before: AgreementSet, after: AgreementSet): ClauseChange[] {
  const changes: ClauseChange[] = [];
  const push = (
    where: string,
    what: string,
    old: unknown,
    now: unknown,
    direction: ClauseChangeDirection | undefined,
  ): void => {
    if (direction !== undefined)
      changes.push({ where, what, before: text(old), after: text(now), direction });
  };
  const oldAgreements = new Map(before.agreements.map((agreement) => [agreement.id, agreement]));
  const newAgreements = new Map(after.agreements.map((agreement) => [agreement.id, agreement]));
  for (const [id, old] of oldAgreements)
    if (!newAgreements.has(id)) push(id, 'agreement', old.title, undefined, 'narrower');
  for (const [id, now] of newAgreements) {
    const old = oldAgreements.get(id);
    if (old === undefined) push(id, 'agreement', undefined, now.title, 'wider');
    else agreementChanges(old, now, push);
  }
  const oldGates = new Map(before.gates.map((gate) => [gate.owner, gate]));
  const newGates = new Map(after.gates.map((gate) => [gate.owner, gate]));
  for (const owner of new Set([...oldGates.keys(), ...newGates.keys()]))
    gateChanges(owner, oldGates.get(owner), newGates.get(owner), push);
  return changes;
}

type Push = (
  where: string,
  what: string,
  old: unknown,
  now: unknown,
  direction: ClauseChangeDirection | undefined,
) => void;

function agreementChanges(old: Agreement, now: Agreement, push: Push): void {
  const where = old.id;
  push(
    where,
    'inForce.from',
    old.inForce.from,
    now.inForce.from,
    old.inForce.from === now.inForce.from
      ? undefined
      : now.inForce.from < old.inForce.from
        ? 'wider'
        : 'narrower',
  );
  const [oldUntil, newUntil] = [old.inForce.until, now.inForce.until];
  if (oldUntil !== newUntil)
    push(
      where,
      'inForce.until',
      oldUntil,
      newUntil,
      newUntil === undefined || (oldUntil !== undefined && newUntil > oldUntil) ? 'wider' : 'narrower',
    );
  push(where, 'parties', old.parties, now.parties, setDirection(old.parties, now.parties));
  const oldClauses = new Map(old.clauses.map((clause) => [clause.id, clause]));
  const newClauses = new Map(now.clauses.map((clause) => [clause.id, clause]));
  for (const [id, clause] of oldClauses)
    if (!newClauses.has(id)) push(`${where}/${id}`, 'clause', clause.citation, undefined, 'narrower');
  for (const [id, clause] of newClauses) {
    const previous = oldClauses.get(id);
    if (previous === undefined) push(`${where}/${id}`, 'clause', undefined, clause.citation, 'wider');
    else clauseChanges(`${where}/${id}`, old, previous, now, clause, push);
  }
}

/** A list that gains members is wider, one that loses them narrower, one that does both changed. */
function setDirection(
  old: readonly string[] | undefined,
  now: readonly string[] | undefined,
): ClauseChangeDirection | undefined {
  // An absent list (a gate ground's) matches everything.
  if (old === undefined || now === undefined)
    return old === now ? undefined : old === undefined ? 'narrower' : 'wider';
  const added = now.some((item) => !old.includes(item));
  const removed = old.some((item) => !now.includes(item));
  return added && removed ? 'changed' : added ? 'wider' : removed ? 'narrower' : undefined;
}

function flows(agreement: Agreement, clause: Clause): string[] {
  const { from, to } =
    clause.direction === 'both' ? { from: agreement.parties, to: agreement.parties } : clause.direction;
  return from.flatMap((sender) =>
    to.filter((receiver) => receiver !== sender).map((receiver) => `${sender}→${receiver}`),
  );
}

function clauseChanges(
  where: string,
  oldAgreement: Agreement,
  old: Clause,
  newAgreement: Agreement,
  now: Clause,
  push: Push,
): void {
  push(where, 'basis', old.basis, now.basis, old.basis === now.basis ? undefined : 'changed');
  push(where, 'purposes', old.purposes, now.purposes, setDirection(old.purposes, now.purposes));
  push(
    where,
    'direction',
    flows(oldAgreement, old),
    flows(newAgreement, now),
    setDirection(flows(oldAgreement, old), flows(newAgreement, now)),
  );
  for (const category of new Set([...Object.keys(old.categories), ...Object.keys(now.categories)]) as Set<
    keyof Clause['categories']
  >) {
    const rank = (mode: string | undefined): number => (mode === undefined ? 0 : mode === 'hit-only' ? 1 : 2);
    const [a, b] = [old.categories[category], now.categories[category]];
    push(where, `categories.${category}`, a, b, byScale(rank(a), rank(b)));
  }
  obligationChanges(where, old.obligations, now.obligations, push);
  const [c, d] = [old.conditions, now.conditions];
  for (const flag of ['caseReference', 'requestReference', 'warrantReference', 'interpolNotice'] as const) {
    // A condition dropped lets more through.
    push(
      where,
      `conditions.${flag}`,
      c[flag],
      d[flag],
      byScale(c[flag] === true ? 1 : 0, d[flag] === true ? 1 : 0) === 'wider'
        ? 'narrower'
        : c[flag] === true && d[flag] !== true
          ? 'wider'
          : undefined,
    );
  }
  const grade = (value: string | undefined): number =>
    value === undefined ? 4 : ['A', 'B', 'C', 'X'].indexOf(value);
  push(
    where,
    'conditions.minimumSourceGrade',
    c.minimumSourceGrade,
    d.minimumSourceGrade,
    byScale(grade(c.minimumSourceGrade), grade(d.minimumSourceGrade)),
  );
  const hours = (value: { maxDurationHours: number } | undefined): number =>
    value?.maxDurationHours ?? Infinity;
  if (JSON.stringify(c.emergency) !== JSON.stringify(d.emergency))
    push(
      where,
      'conditions.emergency.maxDurationHours',
      c.emergency?.maxDurationHours,
      d.emergency?.maxDurationHours,
      byScale(hours(c.emergency), hours(d.emergency)) ?? 'changed',
    );
  if (JSON.stringify(c.jointTeam) !== JSON.stringify(d.jointTeam))
    push(
      where,
      'conditions.jointTeam',
      c.jointTeam,
      d.jointTeam,
      d.jointTeam === undefined
        ? 'wider'
        : c.jointTeam === undefined
          ? 'narrower'
          : teamChange(c.jointTeam, d.jointTeam),
    );
}

/**
 * A team that only gained named members (same id, operation and window) lets more analysts receive: wider;
 * one that only lost some: narrower. Anything else (a renamed member, a moved window) is both at once.
 */
function teamChange(old: JointTeam, now: JointTeam): 'wider' | 'narrower' | 'changed' {
  const same =
    old.id === now.id &&
    old.operation === now.operation &&
    old.validFrom === now.validFrom &&
    old.validUntil === now.validUntil;
  if (!same) return 'changed';
  const names = (team: JointTeam): Set<string> =>
    new Set(
      Object.entries(team.members).flatMap(([country, list]) => list.map((name) => `${country}:${name}`)),
    );
  const before = names(old);
  const after = names(now);
  const gained = [...after].some((name) => !before.has(name));
  const lost = [...before].some((name) => !after.has(name));
  return gained && !lost ? 'wider' : lost && !gained ? 'narrower' : 'changed';
}

export function obligationChanges(where: string, old: Obligations, now: Obligations, push: Push): void {
  push(
    where,
    'obligations.retentionDays',
    old.retentionDays,
    now.retentionDays,
    byScale(old.retentionDays, now.retentionDays),
  );
  push(
    where,
    'obligations.onwardTransfer',
    old.onwardTransfer,
    now.onwardTransfer,
    byScale(USE_ORDER.indexOf(old.onwardTransfer), USE_ORDER.indexOf(now.onwardTransfer)),
  );
  push(
    where,
    'obligations.evidentiaryUse',
    old.evidentiaryUse,
    now.evidentiaryUse,
    byScale(USE_ORDER.indexOf(old.evidentiaryUse), USE_ORDER.indexOf(now.evidentiaryUse)),
  );
  // A lower handling code restricts the receiver less.
  push(
    where,
    'obligations.handlingCode',
    old.handlingCode,
    now.handlingCode,
    byScale(HANDLING_ORDER.indexOf(now.handlingCode), HANDLING_ORDER.indexOf(old.handlingCode)),
  );
  push(
    where,
    'obligations.notifySource',
    old.notifySource,
    now.notifySource,
    byScale(now.notifySource ? 0 : 1, old.notifySource ? 0 : 1) === undefined
      ? undefined
      : now.notifySource
        ? 'narrower'
        : 'wider',
  );
  const review = (value: number | undefined): number => value ?? Infinity;
  push(
    where,
    'obligations.reviewWithinHours',
    old.reviewWithinHours,
    now.reviewWithinHours,
    byScale(review(old.reviewWithinHours), review(now.reviewWithinHours)),
  );
}

/** The direction of an obligations change as a whole: wider when anything loosened, else narrower when anything tightened. */
export function obligationsDirection(old: Obligations, now: Obligations): ClauseChangeDirection | undefined {
  const found: ClauseChangeDirection[] = [];
  obligationChanges('', old, now, (_where, _what, _a, _b, direction) => {
    if (direction !== undefined) found.push(direction);
  });
  return found.includes('wider')
    ? 'wider'
    : found.includes('narrower')
      ? 'narrower'
      : found.length > 0
        ? 'changed'
        : undefined;
}

function gateChanges(
  owner: string,
  old: DomesticGate | undefined,
  now: DomesticGate | undefined,
  push: Push,
): void {
  const where = `gate ${owner}`;
  if (old === undefined || now === undefined) {
    push(where, 'gate', old?.title, now?.title, old === undefined ? 'narrower' : 'wider');
    return;
  }
  const grounds = (list: readonly GateGround[]) => new Map(list.map((ground) => [ground.id, ground]));
  const [oldGrounds, newGrounds] = [grounds(old.grounds), grounds(now.grounds)];
  for (const [id, ground] of oldGrounds)
    if (!newGrounds.has(id)) push(where, `grounds.${id}`, ground.citation, undefined, 'narrower');
  for (const [id, ground] of newGrounds) {
    const previous = oldGrounds.get(id);
    if (previous === undefined) push(where, `grounds.${id}`, undefined, ground.citation, 'wider');
    else {
      push(
        where,
        `grounds.${id}.bases`,
        previous.bases,
        ground.bases,
        setDirection(previous.bases, ground.bases),
      );
      push(
        where,
        `grounds.${id}.purposes`,
        previous.purposes,
        ground.purposes,
        setDirection(previous.purposes, ground.purposes),
      );
    }
  }
  // A requirement must match every transfer: one more is narrower, one fewer or a wider one is wider.
  const [oldReqs, newReqs] = [grounds(old.requirements), grounds(now.requirements)];
  for (const [id, requirement] of oldReqs)
    if (!newReqs.has(id)) push(where, `requirements.${id}`, requirement.citation, undefined, 'wider');
  for (const [id, requirement] of newReqs) {
    const previous = oldReqs.get(id);
    if (previous === undefined)
      push(where, `requirements.${id}`, undefined, requirement.citation, 'narrower');
    else {
      push(
        where,
        `requirements.${id}.bases`,
        previous.bases,
        requirement.bases,
        setDirection(previous.bases, requirement.bases),
      );
      push(
        where,
        `requirements.${id}.purposes`,
        previous.purposes,
        requirement.purposes,
        setDirection(previous.purposes, requirement.purposes),
      );
    }
  }
}
