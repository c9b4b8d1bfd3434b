/**
 * Every condition of a clause a request (or record) does not meet, not only the first: for the explain
 * tool, so that a reviewer sees at once that a clause needs a request reference *and* a warrant. It asks
 * policy/evaluateClause.ts (the one place that says whether a clause applies) again and again, each time
 * supposing the last unmet condition met, so it can never disagree with decide() about what a condition
 * means. A condition about time (the agreement's or the team's window) is supposed met by asking at the
 * window's first moment, with an emergency declaration moved along. The owner's approval (a grant) the
 * request reference must name is supposed given by a grant made for exactly this request, record and
 * category under this clause.
 */
import { META_REFERENCE, PURPOSES, assertNever, type Category } from '../vocabulary';
import { failedCondition, type CompiledClause } from './evaluateClause';
import type { FailedCondition, Grant, GrantBook, RecordFacts, RequestContext } from './types';

/** Enough for every kind of condition once; a guard against a supposition that does not take. */
const MAX_CONDITIONS = 16;

/**
 * The justification of a supposed declaration. It must itself be one (freeText.ts: at least ten letters):
 * a too short one would fail the justification condition in turn, and the list would end there, hiding
 * every condition checked after the emergency.
 */
const SUPPOSED_JUSTIFICATION = 'supposed: an imminent risk to life or safety';

export function unmetConditions(
  compiled: CompiledClause,
  gateFailure: FailedCondition | undefined,
  requester: RequestContext,
  at: number,
  record: RecordFacts | undefined,
  grants?: GrantBook,
  category?: string,
): FailedCondition[] {
  const unmet: FailedCondition[] = [];
  let asked = requester;
  let when = at;
  let facts = record;
  let gate = gateFailure;
  let book = grants;
  const seen = new Set<string>();
  for (let i = 0; i < MAX_CONDITIONS; i++) {
    const failed = failedCondition(compiled, gate, asked, when, facts, book, category);
    if (failed === null || seen.has(failed.kind)) break;
    seen.add(failed.kind);
    unmet.push(failed);
    const team = compiled.clause.conditions.jointTeam;
    switch (failed.kind) {
      case 'notInForce':
      case 'jointTeamWindow': {
        const start =
          failed.kind === 'notInForce' ? compiled.startMs : Date.parse(`${failed.validFrom}T00:00:00Z`);
        const shift = start - when;
        when = start;
        if (asked.emergency !== undefined)
          asked = {
            ...asked,
            emergency: { ...asked.emergency, declaredAt: asked.emergency.declaredAt + shift },
          };
        break;
      }
      case 'caseReference':
        asked = { ...asked, caseReference: 'supposed' };
        break;
      case 'requestReference':
        // Absent, blank, or naming no grant that covers it: either way the owner's grant is what is missing.
        if (!asked.requestReference?.trim()) asked = { ...asked, requestReference: 'supposed' };
        ({ asked, book, facts } = supposedGrant(compiled, asked, when, facts, category));
        break;
      case 'requestGrant':
        ({ asked, book, facts } = supposedGrant(compiled, asked, when, facts, category));
        break;
      case 'warrantReference':
        asked = { ...asked, warrantReference: 'supposed' };
        break;
      case 'interpolNotice': {
        // A notice of a colour the clause takes that serves the declared purpose (any, when it names
        // none); when none it takes serves the purpose, no notice a request could carry meets it.
        const colour = failed.colours?.[0];
        if (failed.colours !== undefined && colour === undefined) return unmet;
        asked = { ...asked, interpolNotice: colour === undefined ? 'supposed' : `${colour}:supposed` };
        break;
      }
      case 'jointTeam':
        asked = { ...asked, jointTeam: failed.team };
        break;
      case 'jointTeamMember': {
        const member = Object.entries(team?.members ?? {})
          .flatMap(([country, names]) => names.map((name) => ({ country, name })))
          .find((item) => item.country === asked.country);
        if (member === undefined) return unmet;
        asked = { ...asked, analyst: member.name };
        break;
      }
      case 'emergencyDeclaration':
      case 'emergencyWindow':
        // A justified declaration registered at the moment asked (a declared one's justification was
        // checked before its window, so replacing it changes nothing).
        asked = { ...asked, emergency: { justification: SUPPOSED_JUSTIFICATION, declaredAt: when } };
        break;
      case 'emergencyJustification':
        asked = { ...asked, emergency: { ...asked.emergency!, justification: SUPPOSED_JUSTIFICATION } };
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
      case 'direction':
      case 'category':
      case 'purpose':
        // Settled before a clause is evaluated: nothing a request could supply meets them.
        return unmet;
      default:
        // A new kind of condition must say here what a request would supply to meet it.
        return assertNever(failed, 'failed condition');
    }
  }
  return unmet;
}

/**
 * A grant made for exactly this request, record and category under the clause, and the record it names
 * (a grant is for a case: a request without one is supposed to name it).
 */
function supposedGrant(
  compiled: CompiledClause,
  requester: RequestContext,
  at: number,
  facts: RecordFacts | undefined,
  category: string | undefined,
): { asked: RequestContext; book: GrantBook; facts: RecordFacts } {
  const asked =
    requester.caseReference === undefined ? { ...requester, caseReference: 'supposed' } : requester;
  const subject = facts?.id ?? 'supposed';
  const grant: Grant = {
    id: asked.requestReference ?? 'supposed',
    owner: '',
    requesterCountry: asked.country,
    analysts: [asked.analyst],
    caseReference: asked.caseReference!,
    purpose: asked.purpose ?? PURPOSES[0],
    agreement: compiled.agreement.id,
    clauses: [compiled.clause.id],
    subjects: [subject],
    // The record's reference goes with any category the grant gives: any of the clause's will do.
    categories: [
      category === undefined || category === META_REFERENCE
        ? (Object.keys(compiled.clause.categories)[0] as Category)
        : (category as Category),
    ],
    validFrom: at,
    validUntil: at + 1,
    evidentiaryUse: true,
  };
  return { asked, book: new Map([[grant.id, grant]]), facts: { ...facts, id: subject } };
}
