/**
 * The decision for one field of one record: may data of `category`, owned by `owner`, reach this
 * requester now? Deny by default: a field reaches a foreign analyst only through a clause of an
 * agreement between the two countries that covers its category and the declared purpose, is in force,
 * has its conditions met, and is allowed by the owner's domestic gate (two keys).
 *
 * Pure and synchronous. On the release path it allocates nothing: it returns the decision the compiler
 * prebuilt for the first applicable clause of the cell (policy/policyIndex.ts says how clauses are ranked).
 */
import { assertNever } from '../vocabulary';
import { failedCondition, isRecordLevel } from './evaluateClause';
import { routeOf, type Cell, type PolicyIndex } from './policyIndex';
import type { ReasonCode } from './reasonCodes';
import type { Decision, DecisionInput, FailedCondition, Grant, Route } from './types';

export function decide(index: PolicyIndex, input: DecisionInput): Decision {
  const requester = input.requester;
  if (input.owner === requester.country) return index.fixed.domestic;
  const purpose = requester.purpose;
  // docs/domain.md#invariants 7: without a purpose, nothing crosses a border.
  if (!purpose) return index.fixed.purposeRequired;
  const cells = index.pairs.get(input.owner)?.get(requester.country);
  if (cells === undefined) return index.fixed.noAgreement;
  const purposeAt = index.purposeIndex.get(purpose);
  if (purposeAt === undefined) return index.fixed.unknownPurpose;
  const categoryAt = index.categoryIndex.get(input.category);
  if (categoryAt === undefined) return index.fixed.unknownCategory;
  const cell = cells[purposeAt * index.categoryCount + categoryAt]!;

  const candidates = cell.candidates;
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i]!;
    if (
      failedCondition(
        candidate.compiled,
        candidate.gateFailure,
        requester,
        input.at,
        input.record,
        input.grants,
        input.category,
      ) === null
    ) {
      const decision = i === 0 ? candidate.success : decidedAfterFailures(cell, i, input);
      // failedCondition checked that the reference names a grant covering this; the release cites it.
      if (candidate.compiled.needsRequest)
        return underGrant(decision, input.grants!.get(requester.requestReference!)!);
      // Likewise a release that relied on an emergency names its registration (the source is notified citing it).
      if (candidate.compiled.emergencyMs !== undefined && requester.emergency?.id !== undefined)
        return underEmergency(decision, requester.emergency);
      return decision;
    }
  }
  return cell.empty ?? withheld(index, cell, input);
}

/**
 * A decision made under a grant: it names the grant, and so do its obligations (the analyst cites it);
 * an approval without evidentiary use narrows the clause's own permission to `forbidden`. Built once per
 * grant object and decision (the owner loads a grant once per request), so deciding the fields of a
 * request's records allocates one decision per category, not one per field.
 */
const grantDecisions = new WeakMap<Grant, Map<Decision, Decision>>();

function underGrant(decision: Decision, grant: Grant): Decision {
  let byDecision = grantDecisions.get(grant);
  if (byDecision === undefined) grantDecisions.set(grant, (byDecision = new Map<Decision, Decision>()));
  let granted = byDecision.get(decision);
  if (granted === undefined) {
    const obligations = decision.obligations;
    granted = Object.freeze({
      ...decision,
      grant: grant.id,
      ...(obligations !== undefined && {
        obligations: Object.freeze({
          ...obligations,
          grant: grant.id,
          ...(!grant.evidentiaryUse && { evidentiaryUse: 'forbidden' as const }),
        }),
      }),
    });
    byDecision.set(decision, granted);
  }
  return granted;
}

/**
 * A decision made under a registered emergency: it names the registration, and so do its obligations, so
 * that the owner's disclosure record and the analyst's obligations cite it. Built once per request's
 * emergency object and decision, like underGrant.
 */
const emergencyDecisions = new WeakMap<object, Map<Decision, Decision>>();

function underEmergency(
  decision: Decision,
  emergency: NonNullable<DecisionInput['requester']['emergency']>,
): Decision {
  let byDecision = emergencyDecisions.get(emergency);
  if (byDecision === undefined)
    emergencyDecisions.set(emergency, (byDecision = new Map<Decision, Decision>()));
  let cited = byDecision.get(decision);
  if (cited === undefined) {
    const obligations = decision.obligations;
    cited = Object.freeze({
      ...decision,
      emergency: emergency.id!,
      ...(obligations !== undefined && {
        obligations: Object.freeze({ ...obligations, emergency: emergency.id! }),
      }),
    });
    byDecision.set(decision, cited);
  }
  return cited;
}

/**
 * Candidate `chosen` applies but clauses ranked before it did not: say what they need when they would
 * have given more (a release instead of a hit), and whether only the unknown record stood in their way.
 */
function decidedAfterFailures(cell: Cell, chosen: number, input: DecisionInput): Decision {
  const candidates = cell.candidates;
  const winner = candidates[chosen]!;
  let recordDependent = false;
  let routes: Route[] | undefined;
  for (let i = 0; i < chosen; i++) {
    const candidate = candidates[i]!;
    const failure = failedCondition(
      candidate.compiled,
      candidate.gateFailure,
      input.requester,
      input.at,
      input.record,
      input.grants,
      input.category,
    )!;
    if (input.record === undefined && isRecordLevel(failure)) recordDependent = true;
    if (candidate.effect === 'release' && winner.effect === 'hit-only')
      (routes ??= []).push(routeOf(candidate, failure));
  }
  if (!recordDependent && routes === undefined) return winner.success;
  return Object.freeze({
    ...winner.success,
    routes:
      routes === undefined ? winner.success.routes : Object.freeze([...routes, ...winner.success.routes]),
    recordDependent,
  });
}

/** No clause applies: every candidate's route, and the reason of the one that came closest. */
function withheld(index: PolicyIndex, cell: Cell, input: DecisionInput): Decision {
  let stage = 0;
  let recordDependent = false;
  const routes: Route[] = [];
  for (const candidate of cell.candidates) {
    const failure = failedCondition(
      candidate.compiled,
      candidate.gateFailure,
      input.requester,
      input.at,
      input.record,
      input.grants,
      input.category,
    )!;
    if (input.record === undefined && isRecordLevel(failure)) recordDependent = true;
    stage = Math.max(stage, stageOf(failure));
    routes.push(routeOf(candidate, failure));
  }
  routes.push(...cell.purposeRoutes);
  return Object.freeze({
    effect: 'withhold',
    reason: STAGE_REASON[stage]!,
    clauses: Object.freeze([]),
    routes: Object.freeze(routes),
    recordDependent,
    revision: index.revision,
  });
}

/** How far a clause got: the reason of a withheld field is the furthest any clause got. */
const STAGE_REASON: readonly ReasonCode[] = ['NOT_IN_FORCE', 'CONDITION_UNMET', 'DOMESTIC_GATE'];

function stageOf(failure: FailedCondition): number {
  switch (failure.kind) {
    case 'notInForce':
      return 0;
    case 'domesticGate':
      return 2;
    // A cell's candidates already match direction, category and purpose; were one to fail them, it
    // would count as an unmet condition like the rest.
    case 'direction':
    case 'category':
    case 'purpose':
    case 'caseReference':
    case 'requestReference':
    case 'warrantReference':
    case 'interpolNotice':
    case 'jointTeam':
    case 'jointTeamMember':
    case 'jointTeamWindow':
    case 'emergencyDeclaration':
    case 'emergencyJustification':
    case 'emergencyWindow':
    case 'jointTeamScope':
    case 'sourceGrade':
    case 'requestGrant':
      return 1;
    default:
      // A new kind of condition must say how far a clause that fails it got.
      return assertNever(failure, 'failed condition');
  }
}
