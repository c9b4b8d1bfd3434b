/**
 * The conditions a clause can fail, each with the words a lawyer reads in a route ("needs a request
 * reference"). Built once per clause at compile time, so deciding never formats a string.
 */
import {
  colourPhrase,
  NOTICE_PURPOSES,
  type LegalBasisKind,
  type NoticeColour,
  type Purpose,
} from '../vocabulary';
import type { SourceGrade } from './sourceGrades';
import type { FailedCondition, JointTeam } from './types';
import type { REQUEST_HEADERS } from './requestHeaders';

/**
 * The header that meets a condition, as the docs spell it (HTTP reads names case-insensitively; each is
 * REQUEST_HEADERS' name; test/policy/route-headers.test.ts checks what routes say): a route tells the
 * analyst what to send.
 */
const SEND = {
  purpose: 'Accord-Purpose',
  caseReference: 'Accord-Case',
  requestReference: 'Accord-Request-Ref',
  jointTeam: 'Accord-JIT',
  emergency: 'Accord-Emergency',
  interpolNotice: 'Accord-Notice',
  warrantReference: 'Accord-Warrant',
} as const satisfies Partial<Record<keyof typeof REQUEST_HEADERS, string>>;

type Failure<K extends FailedCondition['kind']> = Extract<FailedCondition, { kind: K }>;

export const DIRECTION: Failure<'direction'> = Object.freeze({
  kind: 'direction',
  text: "does not let the owner's data go to the requester's country",
});
export const CATEGORY: Failure<'category'> = Object.freeze({
  kind: 'category',
  text: 'does not cover this data category',
});
export const CASE_REFERENCE: Failure<'caseReference'> = Object.freeze({
  kind: 'caseReference',
  text: `needs a case reference (${SEND.caseReference})`,
});
export const REQUEST_REFERENCE: Failure<'requestReference'> = Object.freeze({
  kind: 'requestReference',
  text: `needs a request reference (${SEND.requestReference}: the formal request for mutual legal assistance)`,
});
/**
 * Only the owner, who holds its grants, can tell whether the request reference names a grant covering
 * this record: the gateway passes such a field on and the owner decides it record by record.
 */
export const REQUEST_GRANT: Failure<'requestGrant'> = Object.freeze({
  kind: 'requestGrant',
  recordLevel: true,
  text: "needs the owner's approval of the formal request (a grant) covering this record",
});
export const WARRANT_REFERENCE: Failure<'warrantReference'> = Object.freeze({
  kind: 'warrantReference',
  text: `needs a warrant or judicial order reference (${SEND.warrantReference})`,
});
export const INTERPOL_NOTICE: Failure<'interpolNotice'> = Object.freeze({
  kind: 'interpolNotice',
  text: `needs an INTERPOL notice id (${SEND.interpolNotice})`,
});

/**
 * A clause that takes only notices of some colours says which, and how to send one. For a declared
 * purpose, `colours` are those of the clause's that serve it; none (a clause beyond its kind's bound,
 * which the loader refuses) means no notice can meet the clause for that purpose.
 */
export function interpolNotice(
  colours: readonly NoticeColour[] | undefined,
  declared?: Purpose,
): Failure<'interpolNotice'> {
  if (colours === undefined) return INTERPOL_NOTICE;
  if (colours.length === 0) {
    return Object.freeze({
      kind: 'interpolNotice',
      colours,
      text: `takes no INTERPOL notice that serves ${declared ?? 'the declared purpose'}`,
    });
  }
  const example = `${colours[0]}:<notice id>`;
  return Object.freeze({
    kind: 'interpolNotice',
    colours,
    text: `needs ${colourPhrase(colours)} INTERPOL notice (${SEND.interpolNotice}: ${example})`,
  });
}

/**
 * The request's notice is of a colour that does not serve its declared purpose (a Red notice seeks an
 * arrest, not a rescue): what the colour serves, and the notice that would meet the clause (`needed`,
 * the clause's failure for the purpose when no notice is carried).
 */
export function noticeNotServing(
  carried: NoticeColour,
  declared: Purpose,
  needed: Failure<'interpolNotice'>,
): Failure<'interpolNotice'> {
  return Object.freeze({
    kind: 'interpolNotice',
    colours: needed.colours ?? [],
    text: `${colourPhrase([carried])} INTERPOL notice does not serve ${declared} (it serves ${NOTICE_PURPOSES[carried].join(', ')}): ${needed.text}`,
  });
}
export const EMERGENCY_DECLARATION: Failure<'emergencyDeclaration'> = Object.freeze({
  kind: 'emergencyDeclaration',
  text: `needs an emergency declaration, registered with the declareEmergency mutation and named in ${SEND.emergency} (imminent risk to life or safety)`,
});
export const EMERGENCY_JUSTIFICATION: Failure<'emergencyJustification'> = Object.freeze({
  kind: 'emergencyJustification',
  text: 'needs a justification for the emergency declaration (given to declareEmergency)',
});

/** `undeclared`: the request declared no purpose at all (rather than another one). */
export function purpose(allowed: readonly Purpose[], undeclared = false): Failure<'purpose'> {
  const list = allowed.join(', ');
  const text = undeclared
    ? `needs a declared purpose (${SEND.purpose}, one of: ${list})`
    : `needs one of the purposes: ${list} (${SEND.purpose})`;
  return Object.freeze({ kind: 'purpose', allowed, text });
}

export function notInForce(from: string, until: string | undefined): Failure<'notInForce'> {
  const text = until === undefined ? `in force only from ${from}` : `in force only from ${from} to ${until}`;
  return Object.freeze({ kind: 'notInForce', from, ...(until !== undefined && { until }), text });
}

export function jointTeamFailures(team: JointTeam): {
  readonly id: Failure<'jointTeam'>;
  readonly member: Failure<'jointTeamMember'>;
  readonly window: Failure<'jointTeamWindow'>;
  readonly scope: Failure<'jointTeamScope'>;
} {
  return {
    id: Object.freeze({
      kind: 'jointTeam',
      team: team.id,
      text: `needs the joint-team id ${team.id} (${SEND.jointTeam})`,
    }),
    member: Object.freeze({
      kind: 'jointTeamMember',
      team: team.id,
      text: `needs an analyst named as a member of joint team ${team.id}`,
    }),
    window: Object.freeze({
      kind: 'jointTeamWindow',
      team: team.id,
      validFrom: team.validFrom,
      validUntil: team.validUntil,
      text: `joint team ${team.id} acts only from ${team.validFrom} to ${team.validUntil}`,
    }),
    scope: Object.freeze({
      kind: 'jointTeamScope',
      team: team.id,
      operation: team.operation,
      recordLevel: true,
      text: `needs a record linked to operation ${team.operation} (scope of joint team ${team.id})`,
    }),
  };
}

export function emergencyWindow(maxDurationHours: number): Failure<'emergencyWindow'> {
  return Object.freeze({
    kind: 'emergencyWindow',
    maxDurationHours,
    text: `needs an emergency declared within the last ${maxDurationHours} h (${SEND.emergency}: this window runs from the registration and has ended or not begun; declaring again does not restart it)`,
  });
}

export function sourceGrade(minimum: SourceGrade): Failure<'sourceGrade'> {
  return Object.freeze({
    kind: 'sourceGrade',
    minimum,
    recordLevel: true,
    text: `needs a record of source grade ${minimum} or better`,
  });
}

export function domesticGate(
  owner: string,
  gateTitle: string,
  citations: readonly string[],
  basis: LegalBasisKind,
  declared: Purpose,
  missing: string,
): Failure<'domesticGate'> {
  return Object.freeze({
    kind: 'domesticGate',
    owner,
    citations: Object.freeze([...citations]),
    text: `allowed by the agreement, but ${gateTitle} ${missing} for a ${basis} transfer for ${declared}`,
  });
}
