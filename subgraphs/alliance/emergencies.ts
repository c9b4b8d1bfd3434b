import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap';
import { recordProcedure, type AuditLog, type ProcedureRecord } from '../../audit';
import {
  RegistrationRefused,
  registrationView,
  type EmergencyRegistration,
  type EmergencyRegistry,
} from '../../emergencies';
import type { Logger } from '../../lib/logger';
import type { RequestContext } from '../../policy';
import { ERROR_CODES, accordError } from '../../schema';

/** What the hub's resolvers know of the call: the requester the gateway verified (subgraphs/kit/caller.ts). */
export interface HubContext {
  readonly requester?: RequestContext;
}

/**
 * `declareEmergency`: the hub registers an emergency once (issue 9, item 5). Who declares comes from the
 * gateway's signed context, never from the arguments; the registry refuses a justification that is not
 * real words and returns the registration already running for this country and case instead of a new one.
 *
 * With the hub's audit log, a new registration is an `emergency.registered` procedure record, durable
 * before the answer leaves; one that cannot be recorded is withdrawn (nobody can cite it) and the analyst
 * is told to declare again. A declaration answered with the running registration records nothing new: the
 * registration was recorded when it was made.
 */
export function emergencyResolvers(
  registry: EmergencyRegistry | undefined,
  now: () => number,
  logger: Logger,
  audit?: AuditLog,
): GraphQLResolverMap<HubContext> {
  return {
    Mutation: {
      async declareEmergency(
        _: unknown,
        args: { caseReference: string; justification: string },
        context: HubContext,
      ) {
        const requester = context.requester;
        if (requester === undefined)
          throw accordError(
            ERROR_CODES.UNAUTHENTICATED,
            'Only an analyst the gateway verified can declare an emergency.',
          );
        if (registry === undefined) {
          throw accordError(
            ERROR_CODES.MEMBER_UNAVAILABLE,
            'The alliance hub keeps no emergency registry here, so no emergency can be registered now.',
          );
        }
        try {
          const { registration, created } = registry.declare(
            {
              country: requester.country,
              analyst: requester.analyst,
              caseReference: args.caseReference,
              justification: args.justification,
            },
            now(),
          );
          if (created && audit !== undefined) {
            try {
              await recordProcedure(audit, registeredRecord(registration));
            } catch (error) {
              const withdrawn = registry.withdraw(registration.id);
              logger.error(
                { err: error, id: registration.id, withdrawn },
                'could not record an emergency registration: it is withdrawn',
              );
              throw accordError(
                ERROR_CODES.AUDIT_UNAVAILABLE,
                'The alliance hub could not record this emergency in its audit log, so it is not registered; declare it again shortly.',
              );
            }
          }
          logger.info(
            { id: registration.id, country: registration.country, analyst: requester.analyst, created },
            created
              ? 'registered an emergency'
              : 'an emergency was declared again: the running registration stands',
          );
          return registrationView(registration);
        } catch (error) {
          if (error instanceof RegistrationRefused)
            throw accordError(ERROR_CODES.BAD_USER_INPUT, error.problem, { argument: error.argument });
          throw error;
        }
      },
    },
  };
}

/**
 * A registration as the hub's audit log records it. The declaring analyst acted; `owner` is the declaring
 * member (no desk decides a registration, and the owners whose data it releases are not known yet).
 */
function registeredRecord(registration: EmergencyRegistration): ProcedureRecord {
  return {
    act: 'emergency.registered',
    at: registration.registeredAt,
    actor: { id: registration.analyst, country: registration.country, role: 'analyst' },
    owner: registration.country,
    requester: { country: registration.country, analysts: [registration.analyst] },
    registrationId: registration.id,
    caseReference: registration.caseReference,
    validFrom: registration.registeredAt,
    validUntil: registration.expiresAt,
    justification: registration.justification,
  };
}
