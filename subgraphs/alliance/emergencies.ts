import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap';
import { RegistrationRefused, registrationView, type EmergencyRegistry } from '../../emergencies';
import type { Logger } from '../../lib/logger';
import type { RequestContext } from '../../policy';
import { ERROR_CODES, accordError } from '../../schema/errors';

/** What the hub's resolvers know of the call: the requester the gateway verified (subgraphs/kit/caller.ts). */
export interface HubContext {
  readonly requester?: RequestContext;
}

/**
 * `declareEmergency`: the hub registers an emergency once (issue 9, item 5). Who declares comes from the
 * gateway's signed context, never from the arguments; the registry refuses a justification that is not
 * real words and returns the registration already running for this country and case instead of a new one.
 */
export function emergencyResolvers(registry: EmergencyRegistry | undefined, now: () => number, logger: Logger): GraphQLResolverMap<HubContext> {
  return {
    Mutation: {
      declareEmergency(_: unknown, args: { caseReference: string; justification: string }, context: HubContext) {
        const requester = context.requester;
        if (requester === undefined) throw accordError(ERROR_CODES.UNAUTHENTICATED, 'Only an analyst the gateway verified can declare an emergency.');
        if (registry === undefined) {
          throw accordError(ERROR_CODES.MEMBER_UNAVAILABLE, 'The alliance hub keeps no emergency registry here, so no emergency can be registered now.');
        }
        try {
          const { registration, created } = registry.declare(
            { country: requester.country, analyst: requester.analyst, caseReference: args.caseReference, justification: args.justification },
            now(),
          );
          logger.info({ id: registration.id, country: registration.country, analyst: requester.analyst, created }, created ? 'registered an emergency' : 'an emergency was declared again: the running registration stands');
          return registrationView(registration);
        } catch (error) {
          if (error instanceof RegistrationRefused) throw accordError(ERROR_CODES.BAD_USER_INPUT, error.problem, { argument: error.argument });
          throw error;
        }
      },
    },
  };
}
