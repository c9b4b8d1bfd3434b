/**
 * Invariants as data (agreements/invariants.yaml, schema agreements/invariants.schema.json): statements
 * the legal team wants proven of every decision the engine can make, and of the supergraph. Each one is
 *
 *   decisions:  for every decision of the finite domain that matches `when`, `require` holds;
 *   supergraph: every field of a category returns one of the given types.
 *
 * `when` selects by the question (owner, requester, purpose — `none` for no declared purpose —, category,
 * `prefix.*` patterns allowed) and by the decision (effect, basis kind and handling code of the clause
 * that determines it). `require` states what must then be true, checked independently of the engine:
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
 */
import { gateVerdict, type Agreement, type AgreementSet, type Clause, type Decision, type DecisionInput, type Effect, type HandlingCode } from '../policy/core';
import type { LegalBasisKind, Purpose } from '../vocabulary';
import { dayStart, DAY_MS } from './domain';
import type { FieldCatalog } from './fields';

export const REQUEST_ITEMS = ['caseReference', 'requestReference', 'warrantReference', 'interpolNotice', 'jointTeam', 'emergency'] as const;
export type RequestItem = (typeof REQUEST_ITEMS)[number];

export interface DecisionFilter {
  readonly owner?: readonly string[];
  readonly requester?: readonly string[];
  readonly purpose?: readonly (Purpose | 'none')[];
  readonly category?: readonly string[];
  readonly effect?: readonly Effect[];
  readonly basis?: readonly LegalBasisKind[];
  readonly handlingCode?: readonly HandlingCode[];
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

export function matches(filter: DecisionFilter, input: DecisionInput, decision: Decision, determining: Determining | undefined): boolean {
  const purpose = input.requester.purpose ?? 'none';
  return (
    (filter.owner === undefined || filter.owner.includes(input.owner)) &&
    (filter.requester === undefined || filter.requester.includes(input.requester.country)) &&
    (filter.purpose === undefined || filter.purpose.includes(purpose)) &&
    (filter.category === undefined || filter.category.some((pattern) => categoryMatches(input.category, pattern))) &&
    (filter.effect === undefined || filter.effect.includes(decision.effect)) &&
    (filter.basis === undefined || (determining !== undefined && filter.basis.includes(determining.clause.basis))) &&
    (filter.handlingCode === undefined || (decision.obligations !== undefined && filter.handlingCode.includes(decision.obligations.handlingCode)))
  );
}

const present = (value: string | undefined): boolean => value !== undefined && value.trim().length > 0;

/** The first requirement the decision breaks, in words; undefined when it keeps them all. */
export function broken(require: DecisionRequirement, input: DecisionInput, decision: Decision, determining: Determining | undefined, set: AgreementSet): string | undefined {
  const { requester } = input;
  if (require.effect !== undefined && !require.effect.includes(decision.effect)) {
    return `the decision is ${decision.effect}, but only ${require.effect.join(' or ')} is allowed`;
  }
  const basis = determining?.clause.basis;
  if (require.basis !== undefined && (basis === undefined || !require.basis.includes(basis))) {
    return basis === undefined ? `no clause is cited, but basis ${require.basis.join(' or ')} is required` : `the basis is ${basis}, but ${require.basis.join(' or ')} is required`;
  }
  if (require.category !== undefined && !require.category.some((pattern) => categoryMatches(input.category, pattern))) {
    return `${input.category} is not one of ${require.category.join(', ')}`;
  }
  const forbidden = require.notCategory?.find((pattern) => categoryMatches(input.category, pattern));
  if (forbidden !== undefined) return `${input.category} falls under ${forbidden}, which is excluded`;
  for (const item of require.requestCarries ?? []) {
    const carried =
      item === 'emergency'
        ? requester.emergency !== undefined && present(requester.emergency.justification)
        : present(requester[item]);
    if (!carried) return `the request does not carry ${item}`;
  }
  if (require.withinValidity === true || require.requesterIsParty === true || require.domesticGate !== undefined) {
    if (determining === undefined) return decision.effect === 'withhold' ? undefined : 'the decision cites no clause';
    const { agreement, clause } = determining;
    if (require.withinValidity === true) {
      const { from, until } = agreement.inForce;
      if (!within(input.at, from, until)) return `${agreement.title} is in force only ${until === undefined ? `from ${from}` : `from ${from} to ${until}`}`;
      const team = clause.conditions.jointTeam;
      if (team !== undefined && !within(input.at, team.validFrom, team.validUntil)) return `joint team ${team.id} acts only from ${team.validFrom} to ${team.validUntil}`;
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
      if (purpose === undefined || !gateVerdict(gate, clause.basis, purpose).allowed) {
        return `${gate.title} does not allow a ${clause.basis} transfer for ${purpose ?? 'an undeclared purpose'}`;
      }
    }
  }
  return undefined;
}

function within(at: number, from: string, until: string | undefined): boolean {
  return at >= dayStart(from) && (until === undefined || at < dayStart(until) + DAY_MS);
}

/** Fields that break a supergraph invariant: "KHSuspect.biometricMatch returns String". */
export function brokenFields(rule: NonNullable<Invariant['supergraph']>, fields: FieldCatalog): { coordinate: string; text: string }[] {
  return fields.fields
    .filter((entry) => categoryMatches(entry.category, rule.category) && !rule.returns.includes(entry.returns))
    .map((entry) => ({ coordinate: entry.coordinate, text: `${entry.coordinate} (${entry.category}) returns ${entry.returns}, not ${rule.returns.join(' or ')}` }));
}

/** Fields a supergraph invariant speaks about (to show it is not vacuous). */
export function fieldsOf(rule: NonNullable<Invariant['supergraph']>, fields: FieldCatalog): number {
  return fields.fields.filter((entry) => categoryMatches(entry.category, rule.category)).length;
}
