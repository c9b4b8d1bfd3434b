/**
 * Invariants as data (agreements/invariants.yaml, schema agreements/invariants.schema.json): statements
 * the legal team wants proven of every decision the engine can make, and of the supergraph. Each one is
 *
 *   decisions:  for every decision of the finite domain that matches `when`, `require` holds;
 *   supergraph: every field of a category returns one of the given types.
 *
 * `when` selects by the question (owner, requester, purpose — `none` for no declared purpose —, category,
 * `prefix.*` patterns allowed) and by the decision (effect, basis kind and handling code of the clause
 * that determines it, and `clauseNeeds`: what that clause asks the request to carry, e.g. requestReference). `require` states what must then be true, checked independently of the engine:
 *
 *   effect           the decision's effect is one of these
 *   basis            the determining clause's basis kind is one of these
 *   category         the category matches one of these;  notCategory: matches none of these
 *   requestCarries   the request carries each of these (non-blank): caseReference, requestReference,
 *                    warrantReference, interpolNotice, jointTeam, emergency (declared, justified)
 *   withinValidity   the time asked about is inside the determining clause's agreement window and
 *                    joint-team window (UTC days, until inclusive)
 *   requesterIsParty the requester's country is a party to the determining clause's agreement and a
 *                    receiver under the clause's direction
 *   domesticGate     `allowed`: the owner's domestic gate is in the set, the decision names it, and it
 *                    allows the clause's basis for the declared purpose
 *   jointTeam        `member-in-scope`: when the determining clause has a joint team, the request names
 *                    it, the analyst is a named member for their country, the moment is in the team's
 *                    window, and the record is known and linked to the team's operation
 *   emergencyRunning when the determining clause needs an emergency, a justified declaration was made at
 *                    or before the moment and has not expired at it (its clause's maxDurationHours)
 *   emergencyWithinHours  the emergency declaration is younger than this many hours (a kind's bound)
 *   sourceGrade      `at-least-minimum`: when the determining clause has a minimum source grade, the
 *                    record's grade (its letter) is that or better
 *   obligations      `of-determining-clause`: the decision's obligations (handling code, onward transfer,
 *                    evidentiary use, retention, notify source, review) are exactly the clause's
 *   evidentiaryUse   the decision's evidentiary use is one of these
 *   notifySource / reviewSet   the decision's obligations notify the source / set a review
 *   kindBounds       every kind's bounds of docs/domain.md#kinds-of-legal-basis, for the determining
 *                    clause's kind (legal/kindBounds.ts)
 *   grantCovers      when the determining clause needs a request reference: the owner holds the grant
 *                    the reference names, and at that instant it is in its validity window, not revoked,
 *                    and made for this requester country and analyst, purpose, case, record and category
 *                    (the record's reference: any category of the grant)
 *   grantWithinClause when the determining clause needs a request reference: the grant was made under
 *                    that very clause, the decision and its obligations name it, and the clause names
 *                    the category
 *
 * Every check here reads only the agreement set's data, the question and the decision: it shares no
 * code with policy/ (the domestic gate is judged by legal/model/gate.ts), so an engine bug cannot hide
 * behind the code that checks it.
 */
import type {
  Agreement,
  AgreementSet,
  Clause,
  Decision,
  DecisionInput,
  Effect,
  Grant,
  HandlingCode,
  UsePermission,
} from '../policy/core';
import type { LegalBasisKind, Purpose } from '../vocabulary';
import type { FieldCatalog } from './fields';
import { grantShortfall } from './grantShortfall';
import { kindBoundBroken } from './kindBounds';
import { insideDays } from './model/days';
import { gateOpens } from './model/gate';

export const REQUEST_ITEMS = [
  'caseReference',
  'requestReference',
  'warrantReference',
  'interpolNotice',
  'jointTeam',
  'emergency',
] as const;
export type RequestItem = (typeof REQUEST_ITEMS)[number];

export interface DecisionFilter {
  readonly owner?: readonly string[];
  readonly requester?: readonly string[];
  readonly purpose?: readonly (Purpose | 'none')[];
  readonly category?: readonly string[];
  readonly effect?: readonly Effect[];
  readonly basis?: readonly LegalBasisKind[];
  readonly handlingCode?: readonly HandlingCode[];
  /** The determining clause asks for each of these (a reference: `true`; a joint team, an emergency: set). */
  readonly clauseNeeds?: readonly RequestItem[];
}

export interface DecisionRequirement {
  readonly effect?: readonly Effect[];
  readonly basis?: readonly LegalBasisKind[];
  readonly category?: readonly string[];
  readonly notCategory?: readonly string[];
  readonly requestCarries?: readonly RequestItem[];
  readonly withinValidity?: boolean;
  readonly requesterIsParty?: boolean;
  readonly domesticGate?: 'allowed';
  readonly jointTeam?: 'member-in-scope';
  readonly emergencyRunning?: boolean;
  readonly emergencyWithinHours?: number;
  readonly sourceGrade?: 'at-least-minimum';
  readonly obligations?: 'of-determining-clause';
  readonly evidentiaryUse?: readonly UsePermission[];
  readonly notifySource?: boolean;
  readonly reviewSet?: boolean;
  readonly kindBounds?: boolean;
  readonly grantCovers?: boolean;
  readonly grantWithinClause?: boolean;
}

export interface Invariant {
  readonly id: string;
  readonly statement: string;
  /** Where the invariant comes from, e.g. 'docs/domain.md#invariants 1'. */
  readonly source?: string;
  readonly decisions?: { readonly when: DecisionFilter; readonly require: DecisionRequirement };
  readonly supergraph?: { readonly category: string; readonly returns: readonly string[] };
  readonly location: { readonly file: string; readonly line: number };
}

/** Does a category match a pattern: the category itself, or "prefix.*". */
export function categoryMatches(category: string, pattern: string): boolean {
  return pattern.endsWith('.*') ? category.startsWith(pattern.slice(0, -1)) : category === pattern;
}

/** The determining clause of a decision, if any. */
export interface Determining {
  readonly agreement: Agreement;
  readonly clause: Clause;
}

export function matches(
  filter: DecisionFilter,
  input: DecisionInput,
  decision: Decision,
  determining: Determining | undefined,
): boolean {
  // The effect first: most invariants select releases and hits, most of prove's decisions are withheld.
  if (filter.effect !== undefined && !filter.effect.includes(decision.effect)) return false;
  const purpose = input.requester.purpose ?? 'none';
  return (
    (filter.owner === undefined || filter.owner.includes(input.owner)) &&
    (filter.requester === undefined || filter.requester.includes(input.requester.country)) &&
    (filter.purpose === undefined || filter.purpose.includes(purpose)) &&
    (filter.category === undefined ||
      filter.category.some((pattern) => categoryMatches(input.category, pattern))) &&
    (filter.basis === undefined ||
      (determining !== undefined && filter.basis.includes(determining.clause.basis))) &&
    (filter.handlingCode === undefined ||
      (decision.obligations !== undefined &&
        filter.handlingCode.includes(decision.obligations.handlingCode))) &&
    (filter.clauseNeeds === undefined ||
      (determining !== undefined && filter.clauseNeeds.every((item) => needs(determining.clause, item))))
  );
}

function needs(clause: Clause, item: RequestItem): boolean {
  const condition = clause.conditions[item];
  return item === 'jointTeam' || item === 'emergency' ? condition !== undefined : condition === true;
}

const present = (value: string | undefined): boolean => value !== undefined && value.trim().length > 0;

/**
 * The prover's own reading of "a justification", kept apart from policy/freeText.ts on purpose so that a
 * policy that let blank text through would be caught: at least ten visible letters, and no control
 * character. Invisible letters (the Hangul fillers) are default-ignorable and do not count.
 */
export function justified(text: string | undefined): boolean {
  if (text === undefined || /\p{Cc}/u.test(text)) return false;
  const visibleLetters = [...text.normalize('NFKC')].filter(
    (char) => /\p{L}/u.test(char) && !/\p{Default_Ignorable_Code_Point}/u.test(char),
  );
  return visibleLetters.length >= 10;
}

/** The first requirement the decision breaks, in words; undefined when it keeps them all. */
export function broken(
  require: DecisionRequirement,
  input: DecisionInput,
  decision: Decision,
  determining: Determining | undefined,
  set: AgreementSet,
): string | undefined {
  const { requester } = input;
  if (require.effect !== undefined && !require.effect.includes(decision.effect)) {
    return `the decision is ${decision.effect}, but only ${require.effect.join(' or ')} is allowed`;
  }
  const basis = determining?.clause.basis;
  if (require.basis !== undefined && (basis === undefined || !require.basis.includes(basis))) {
    return basis === undefined
      ? `no clause is cited, but basis ${require.basis.join(' or ')} is required`
      : `the basis is ${basis}, but ${require.basis.join(' or ')} is required`;
  }
  if (
    require.category !== undefined &&
    !require.category.some((pattern) => categoryMatches(input.category, pattern))
  ) {
    return `${input.category} is not one of ${require.category.join(', ')}`;
  }
  const forbidden = require.notCategory?.find((pattern) => categoryMatches(input.category, pattern));
  if (forbidden !== undefined) return `${input.category} falls under ${forbidden}, which is excluded`;
  for (const item of require.requestCarries ?? []) {
    const carried =
      item === 'emergency'
        ? requester.emergency !== undefined && justified(requester.emergency.justification)
        : present(requester[item]);
    if (!carried) return `the request does not carry ${item}`;
  }
  if (decision.effect === 'withhold') return undefined;
  const clauseRules = [
    'withinValidity',
    'requesterIsParty',
    'domesticGate',
    'jointTeam',
    'emergencyRunning',
    'emergencyWithinHours',
    'sourceGrade',
    'obligations',
    'evidentiaryUse',
    'notifySource',
    'reviewSet',
    'kindBounds',
    'grantCovers',
    'grantWithinClause',
  ] as const;
  if (!clauseRules.some((rule) => require[rule] !== undefined)) return undefined;
  if (determining === undefined) return 'the decision lets data cross, but cites no clause of the set';
  const { agreement, clause } = determining;
  if (require.withinValidity === true) {
    const { from, until } = agreement.inForce;
    if (!insideDays(input.at, from, until))
      return `${agreement.title} is in force only ${until === undefined ? `from ${from}` : `from ${from} to ${until}`}`;
    const team = clause.conditions.jointTeam;
    if (team !== undefined && !insideDays(input.at, team.validFrom, team.validUntil))
      return `joint team ${team.id} acts only from ${team.validFrom} to ${team.validUntil}`;
  }
  if (require.requesterIsParty === true) {
    const receivers = clause.direction === 'both' ? agreement.parties : clause.direction.to;
    if (!agreement.parties.includes(requester.country) || !receivers.includes(requester.country)) {
      return `${requester.country} is not a party receiving under ${agreement.title} ${clause.citation} (parties: ${agreement.parties.join(', ')})`;
    }
  }
  if (require.domesticGate === 'allowed') {
    const gate = set.gates.find((item) => item.owner === input.owner);
    if (gate === undefined) return `the set has no domestic gate for ${input.owner}`;
    if (decision.gate?.owner !== input.owner) return `the decision does not name ${gate.title}`;
    const purpose = requester.purpose;
    if (purpose === undefined || !gateOpens(gate, clause.basis, purpose)) {
      return `${gate.title} does not allow a ${clause.basis} transfer for ${purpose ?? 'an undeclared purpose'}`;
    }
  }
  const team = clause.conditions.jointTeam;
  if (require.jointTeam === 'member-in-scope' && team !== undefined) {
    if (requester.jointTeam !== team.id) return `the request does not name joint team ${team.id}`;
    if (!(team.members[requester.country] ?? []).includes(requester.analyst))
      return `${requester.analyst} (${requester.country}) is not a named member of joint team ${team.id}`;
    if (!insideDays(input.at, team.validFrom, team.validUntil))
      return `joint team ${team.id} acts only from ${team.validFrom} to ${team.validUntil}`;
    if (input.record === undefined || !(input.record.operations ?? []).includes(team.operation))
      return `the record is not shown to be linked to operation ${team.operation} of joint team ${team.id}`;
  }
  const emergency = clause.conditions.emergency;
  if (require.emergencyRunning === true && (emergency !== undefined || clause.basis === 'EMERGENCY')) {
    const declared = requester.emergency;
    if (declared === undefined || !justified(declared.justification))
      return 'no justified emergency declaration';
    if (input.at < declared.declaredAt) return 'the emergency is declared after the moment asked about';
    const hours = emergency?.maxDurationHours ?? 0;
    if (input.at >= declared.declaredAt + hours * HOUR)
      return `the emergency declaration expired (${hours} h after it was made)`;
  }
  if (require.emergencyWithinHours !== undefined && clause.basis === 'EMERGENCY') {
    const declared = requester.emergency;
    if (declared === undefined || input.at - declared.declaredAt >= require.emergencyWithinHours * HOUR)
      return `an emergency release more than ${require.emergencyWithinHours} h after the declaration`;
  }
  const minimum = clause.conditions.minimumSourceGrade;
  if (require.sourceGrade === 'at-least-minimum' && minimum !== undefined) {
    const letter = input.record?.sourceGrade?.slice(0, 1);
    const rank = letter === undefined ? -1 : GRADE_ORDER.indexOf(letter);
    if (rank < 0 || rank > GRADE_ORDER.indexOf(minimum))
      return `the record's source grade ${input.record?.sourceGrade ?? '(none)'} is below the clause's minimum ${minimum}`;
  }
  const duties = decision.obligations;
  if (require.obligations === 'of-determining-clause') {
    if (duties === undefined) return 'the decision carries no obligations';
    // An owner's grant that does not allow evidentiary use narrows the clause's to forbidden, and only that.
    const grant = clause.conditions.requestReference === true ? grantNamed(input) : undefined;
    const expected =
      grant?.evidentiaryUse === false
        ? { ...clause.obligations, evidentiaryUse: 'forbidden' as const }
        : clause.obligations;
    for (const key of OBLIGATION_KEYS) {
      if (duties[key] !== expected[key])
        return `${key} is ${String(duties[key])}, but ${agreement.title} ${clause.citation}${expected === clause.obligations ? '' : ` under grant ${grant!.id}`} says ${String(expected[key])}`;
    }
  }
  if (
    require.evidentiaryUse !== undefined &&
    (duties === undefined || !require.evidentiaryUse.includes(duties.evidentiaryUse))
  ) {
    return `evidentiary use is ${duties?.evidentiaryUse ?? 'unstated'}, but only ${require.evidentiaryUse.join(' or ')} is allowed`;
  }
  if (require.notifySource === true && duties?.notifySource !== true) return 'the source is not notified';
  if (require.reviewSet === true && duties?.reviewWithinHours === undefined) return 'no review is set';
  if (require.kindBounds === true) {
    const bound = kindBoundBroken(clause, input.category, requester, input.at);
    if (bound !== undefined) return bound;
  }
  if (require.grantCovers === true || require.grantWithinClause === true)
    return grantProblem(require, input, decision, determining);
  return undefined;
}

/** The grant the request reference names in the owner's book, if the owner holds one by that name. */
function grantNamed(input: DecisionInput): Grant | undefined {
  const reference = input.requester.requestReference;
  return reference === undefined ? undefined : input.grants?.get(reference);
}

const HOUR = 3_600_000;
const GRADE_ORDER = ['A', 'B', 'C', 'X'];
const OBLIGATION_KEYS = [
  'handlingCode',
  'onwardTransfer',
  'evidentiaryUse',
  'retentionDays',
  'notifySource',
  'reviewWithinHours',
] as const;
/** What is wrong with the grant a release relied on; undefined when the clause needs none or it holds. */
function grantProblem(
  require: DecisionRequirement,
  input: DecisionInput,
  decision: Decision,
  { agreement, clause }: Determining,
): string | undefined {
  if (clause.conditions.requestReference !== true) return undefined;
  const { requester, category } = input;
  const reference = requester.requestReference;
  const grant = grantNamed(input);
  if (grant === undefined) {
    return `released under ${agreement.title} ${clause.citation}, which needs a request reference, but the owner holds no grant named ${JSON.stringify(reference ?? '')}`;
  }
  const isReference = category === 'meta.reference';
  if (require.grantCovers === true) {
    const shortfall = grantShortfall(grant, input);
    if (shortfall !== undefined) return shortfall;
  }
  if (require.grantWithinClause === true) {
    if (grant.agreement !== agreement.id || !grant.clauses.includes(clause.id)) {
      return `grant ${grant.id} was made under ${grant.agreement} (${grant.clauses.join(', ')}), but the release cites ${agreement.id}/${clause.id}`;
    }
    if (decision.grant !== grant.id || decision.obligations?.grant !== grant.id)
      return `the decision (or its obligations) does not name grant ${grant.id}`;
    if (!isReference && clause.categories[category] === undefined)
      return `${agreement.title} ${clause.citation} does not name ${category}`;
  }
  return undefined;
}

/** Fields that break a supergraph invariant: "KHSuspect.biometricMatch returns String". */
export function brokenFields(
  rule: NonNullable<Invariant['supergraph']>,
  fields: FieldCatalog,
): { coordinate: string; text: string }[] {
  return fields.fields
    .filter(
      (entry) => categoryMatches(entry.category, rule.category) && !rule.returns.includes(entry.returns),
    )
    .map((entry) => ({
      coordinate: entry.coordinate,
      text: `${entry.coordinate} (${entry.category}) returns ${entry.returns}, not ${rule.returns.join(' or ')}`,
    }));
}

/** Fields a supergraph invariant speaks about (to show it is not vacuous). */
export function fieldsOf(rule: NonNullable<Invariant['supergraph']>, fields: FieldCatalog): number {
  return fields.fields.filter((entry) => categoryMatches(entry.category, rule.category)).length;
}
