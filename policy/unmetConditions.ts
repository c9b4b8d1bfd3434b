/**
 * Every condition of a clause a request (or record) does not meet, not only the first: for the explain
 * tool, so that a reviewer sees at once that a clause needs a request reference *and* a warrant. It asks
 * policy/evaluateClause.ts (the one place that says whether a clause applies) again and again, each time
 * supposing the last unmet condition met, so it can never disagree with decide() about what a condition
 * means. A condition about time (the agreement's or the team's window) is supposed met by asking at the
 * window's first moment, with an emergency declaration moved along.
 */
import { failedCondition, type CompiledClause } from './evaluateClause';
import type { FailedCondition, RecordFacts, RequestContext } from './types';

/** Enough for every kind of condition once; a guard against a supposition that does not take. */
const MAX_CONDITIONS = 16;

export function unmetConditions(
  compiled: CompiledClause,
  gateFailure: FailedCondition | undefined,
  requester: RequestContext,
  at: number,
  record: RecordFacts | undefined,
): FailedCondition[] {
  const unmet: FailedCondition[] = [];
  let asked = requester;
  let when = at;
  let facts = record;
  let gate = gateFailure;
  const seen = new Set<string>();
  for (let i = 0; i < MAX_CONDITIONS; i++) {
    const failed = failedCondition(compiled, gate, asked, when, facts);
    if (failed === null || seen.has(failed.kind)) break;
    seen.add(failed.kind);
    unmet.push(failed);
    const team = compiled.clause.conditions.jointTeam;
    switch (failed.kind) {
      case 'notInForce':
      case 'jointTeamWindow': {
        const start = failed.kind === 'notInForce' ? compiled.startMs : Date.parse(`${failed.validFrom}T00:00:00Z`);
        const shift = start - when;
        when = start;
        if (asked.emergency !== undefined) asked = { ...asked, emergency: { ...asked.emergency, declaredAt: asked.emergency.declaredAt + shift } };
        break;
      }
      case 'caseReference':
        asked = { ...asked, caseReference: 'supposed' };
        break;
      case 'requestReference':
        asked = { ...asked, requestReference: 'supposed' };
        break;
      case 'warrantReference':
        asked = { ...asked, warrantReference: 'supposed' };
        break;
      case 'interpolNotice':
        asked = { ...asked, interpolNotice: 'supposed' };
        break;
      case 'jointTeam':
        asked = { ...asked, jointTeam: failed.team };
        break;
      case 'jointTeamMember': {
        const member = Object.entries(team?.members ?? {}).flatMap(([country, names]) => names.map((name) => ({ country, name }))).find((item) => item.country === asked.country);
        if (member === undefined) return unmet;
        asked = { ...asked, analyst: member.name };
        break;
      }
      case 'emergencyDeclaration':
      case 'emergencyWindow':
        asked = { ...asked, emergency: { justification: asked.emergency?.justification ?? 'supposed', declaredAt: when } };
        break;
      case 'emergencyJustification':
        asked = { ...asked, emergency: { ...asked.emergency!, justification: 'supposed' } };
        break;
      case 'domesticGate':
        gate = undefined;
        break;
      case 'jointTeamScope':
        facts = { ...facts, operations: [...(facts?.operations ?? []), failed.operation] };
        break;
      case 'sourceGrade':
        facts = { ...facts, sourceGrade: failed.minimum };
        break;
      default:
        // Direction, category and purpose are settled before a clause is evaluated.
        return unmet;
    }
  }
  return unmet;
}
