import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap';
import { recordProcedure, type ProcedureRecord } from '../../../audit';
import {
  fileFollowUpRequestField,
  followUpRequestsField,
  supplyFollowUpInformationField,
  ERROR_CODES,
  accordError,
} from '../../../schema';
import { dueAt, grantStatus, isOverdue, type FollowUpRequest, type GrantStatus } from '../../desk';
import type { SubgraphContext } from '../types';
import type { Grant } from '../../../policy';
import { readFiling, type FollowUpRequestInput } from './readFiling';
import { supplyInformation } from './supplyInformation';

/** The owner's grants, read to show the requester what its approval gave (subgraphs/desk/grantStore.ts). */
type FollowUpGrants = { get(id: string): Grant | undefined };

/** The desk's reading of a grant (subgraphs/desk/decide.ts grantStatus), in the schema's enum. */
const GRANT_STATUS_VALUES = {
  valid: 'VALID',
  'not-yet-valid': 'NOT_YET_VALID',
  expired: 'EXPIRED',
  revoked: 'REVOKED',
} as const satisfies Record<GrantStatus, string>;

/** The request as the requester sees its status (schema/followUp.ts, `<CC>FollowUpRequest`). */
function statusOf(
  request: FollowUpRequest,
  at: number,
  grants: FollowUpGrants | undefined,
): Record<string, unknown> {
  const grant =
    request.state === 'approved' && request.grantId !== undefined ? grants?.get(request.grantId) : undefined;
  // What the desk asked last, while it waits for the answer.
  const question =
    request.state === 'info-requested'
      ? [...request.events].reverse().find((event) => event.act === 'info-requested')?.text
      : undefined;
  return {
    id: request.id,
    owner: request.owner,
    requesterCountry: request.requesterCountry,
    analyst: request.analyst,
    caseReference: request.caseReference,
    subjects: request.subjects,
    categories: request.categories,
    purpose: request.purpose,
    agreement: request.agreement,
    clauses: request.clauses,
    urgency: request.urgency,
    intendedUse: request.intendedUse,
    state: request.state,
    filedAt: new Date(request.filedAt).toISOString(),
    dueAt: new Date(request.dueAt).toISOString(),
    // The desk's own reading, so that the requester and the owner's officers see the same.
    overdue: isOverdue(request, at),
    refusalGround: request.state === 'refused' ? (request.ground ?? null) : null,
    grantId: request.state === 'approved' ? (request.grantId ?? null) : null,
    // The approval's terms as the owner signed them, and where the grant stands now (a revocation shows here).
    grantStatus: grant === undefined ? null : GRANT_STATUS_VALUES[grantStatus(grant, at)],
    approvedCategories: grant === undefined ? null : grant.categories,
    validFrom: grant === undefined ? null : new Date(grant.validFrom).toISOString(),
    validUntil: grant === undefined ? null : new Date(grant.validUntil).toISOString(),
    evidentiaryUse: grant === undefined ? null : grant.evidentiaryUse,
    question: question ?? null,
  };
}

/** The filing as the owner's audit log records it (audit/recordProcedure.ts): the analyst acted. */
function filedRecord(request: FollowUpRequest, gatewayRequestId: string | undefined): ProcedureRecord {
  return {
    act: 'request.filed',
    at: request.filedAt,
    actor: { id: request.analyst, country: request.requesterCountry, role: 'analyst' },
    owner: request.owner,
    requester: { country: request.requesterCountry, analysts: [request.analyst] },
    requestId: request.id,
    caseReference: request.caseReference,
    purpose: request.purpose,
    agreement: request.agreement,
    clauses: [...request.clauses],
    subjects: request.subjects,
    categories: request.categories,
    // The gateway's id of the call that filed it: its consultation record, on the requester's side, has it too.
    ...(gatewayRequestId !== undefined && {
      note: `filed through Accord, gateway request ${gatewayRequestId}`,
    }),
  };
}

/** The requester's answer to the desk's question, as the owner's audit log records it. */
function suppliedRecord(request: FollowUpRequest, at: number): ProcedureRecord {
  const answer = [...request.events].reverse().find((event) => event.act === 'info-supplied');
  return {
    act: 'request.info_supplied',
    at,
    actor: { id: request.analyst, country: request.requesterCountry, role: 'analyst' },
    owner: request.owner,
    requester: { country: request.requesterCountry, analysts: [request.analyst] },
    requestId: request.id,
    note: answer?.text ?? '',
  };
}

/**
 * The owner's side of the follow-up request: filing (checked, then kept in the owner's register with its
 * due time) and the requester's status query. The caller is who the gateway's signed context says it is:
 * the requesting country and analyst come from there, never from the input, and the status query answers
 * only that analyst's own requests. Guarded by the follow-up rule (subgraphs/kit/authorization/rules.ts).
 */
export function followUpResolvers(country: string): GraphQLResolverMap<SubgraphContext> {
  return {
    Mutation: {
      [supplyFollowUpInformationField(country)]: async (
        _parent: unknown,
        args: { id: string; information: string },
        context: SubgraphContext,
      ) => {
        const { accord, followUp } = context;
        if (!followUp?.requests) {
          throw accordError(
            ERROR_CODES.MEMBER_UNAVAILABLE,
            `${country} takes no follow-up requests through Accord now; answer through its national channel.`,
            { country },
          );
        }
        const supplied = supplyInformation(followUp.requests, args, accord.requester, country, accord.at);
        if (!supplied.ok) throw supplied.error;
        if (followUp.audit !== undefined) {
          // The answer has reached the desk (it is in the request's history); one the log cannot hold is
          // said to the analyst, as a desk act that stands unrecorded is said to the officer.
          try {
            await recordProcedure(followUp.audit, suppliedRecord(supplied.request, accord.at));
          } catch (error) {
            followUp.logger?.error(
              { err: error, requestId: supplied.request.id },
              'could not record information supplied to the desk',
            );
            throw accordError(
              ERROR_CODES.AUDIT_UNAVAILABLE,
              `${country}'s desk has your information for ${supplied.request.id}, but ${country} could not record it in its audit log.`,
              { country },
            );
          }
        }
        return statusOf(supplied.request, accord.at, followUp.grants);
      },
      [fileFollowUpRequestField(country)]: async (
        _parent: unknown,
        args: { input: FollowUpRequestInput },
        context: SubgraphContext,
      ) => {
        const { accord, followUp } = context;
        if (!followUp?.requests) {
          throw accordError(
            ERROR_CODES.MEMBER_UNAVAILABLE,
            `${country} takes no follow-up requests through Accord now; file through its national channel.`,
            { country },
          );
        }
        const read = readFiling(args.input, {
          owner: country,
          requester: accord.requester,
          at: accord.at,
          policy: accord.policy,
          hitKey: followUp.hitKey,
        });
        if (!read.ok) throw read.error;
        const agreement = accord.policy.set.agreements.find((a) => a.id === read.filing.agreement);
        const request = followUp.requests.file(
          read.filing,
          accord.at,
          dueAt(read.filing.urgency, accord.at, agreement),
        );
        if (followUp.audit !== undefined) {
          // The owner is the system of record: a filing it keeps is in its audit log, durable before the
          // answer leaves. One it cannot record it does not keep (as an answer it cannot record is
          // withheld, subgraphs/kit/disclosure.ts): the analyst is told to file again.
          try {
            await recordProcedure(followUp.audit, filedRecord(request, context.crossing?.requestId));
          } catch (error) {
            const withdrawn = followUp.requests.withdraw(request.id);
            followUp.logger?.error(
              { err: error, requestId: request.id, withdrawn },
              'could not record a follow-up filing: it is not kept',
            );
            throw accordError(
              ERROR_CODES.AUDIT_UNAVAILABLE,
              `${country} could not record this follow-up request in its audit log, so it did not keep it; file it again shortly.`,
              { country },
            );
          }
        }
        // Named in this call's report (subgraphs/kit/disclosure.ts), so both sides' crossing records carry the id.
        followUp.filed?.push(request.id);
        return statusOf(request, accord.at, followUp.grants);
      },
    },
    Query: {
      [followUpRequestsField(country)]: (_parent: unknown, _args: unknown, context: SubgraphContext) => {
        const { accord, followUp } = context;
        if (!followUp?.requests) return [];
        return followUp.requests
          .list({ requesterCountry: accord.requester.country, analyst: accord.requester.analyst })
          .map((request) => statusOf(request, accord.at, followUp.grants));
      },
    },
    FollowUpUrgency: { URGENT_DIRECT: 'urgent-direct', URGENT: 'urgent', NORMAL: 'normal' },
    FollowUpIntendedUse: { INTELLIGENCE: 'intelligence', EVIDENCE: 'evidence' },
    FollowUpRequestState: {
      PENDING: 'pending',
      INFO_REQUESTED: 'info-requested',
      APPROVED: 'approved',
      REFUSED: 'refused',
    },
  };
}
