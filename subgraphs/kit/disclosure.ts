import type { ApolloServerPlugin } from '@apollo/server';
import {
  hashOperation,
  newDecisionId,
  requesterFields,
  type AuditLog,
  type CrossingRecord,
  type OwnerReport,
} from '../../audit';
import { ERROR_CODES } from '../../schema';
import type { Logger } from '../../lib/logger';
import type { SubgraphContext } from './types';

/**
 * The owner's side of a crossing, at the end of every analyst's request that reached this subgraph:
 *
 * - `extensions.accord` tells the gateway what was released under which clause, with the obligations that
 *   travel with the data; when the gateway asks (`fields` in its signed context), also this owner's
 *   decision for every field, which its consultation record puts on the analyst's paths;
 * - with an audit log, one disclosure record (issue 5): who asked and why, and per field path the effect,
 *   category, clauses and obligations (and the grant, for a release under one), under the gateway's decision id. The answer leaves only once the
 *   record is durable; if it cannot be written, the answer is withheld (fail closed).
 */
export function disclosurePlugin(
  audit: AuditLog | undefined,
  logger: Logger,
): ApolloServerPlugin<SubgraphContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        async willSendResponse({ contextValue, response, request, queryHash }) {
          const { accord, crossing, country } = contextValue;
          if (response.body.kind !== 'single' || accord.scope !== 'query') return;
          const result = response.body.singleResult;
          const report = accordReport(contextValue);
          if (report) result.extensions = { ...result.extensions, accord: report };
          if (!audit) return;
          const record: CrossingRecord = {
            side: 'disclosure',
            at: accord.at,
            // Calls the gateway made without its ids (none does) are logged under the token's own id.
            requestId: crossing?.requestId ?? `token:${crossing?.tokenId ?? newDecisionId()}`,
            decisionId: crossing?.decisionId ?? `token:${crossing?.tokenId ?? newDecisionId()}:${country}`,
            ...requesterFields(accord.requester),
            ...filedFields(contextValue),
            owner: country,
            fields: accord.trail?.fieldEntries() ?? [],
            policyRevision: accord.policy.revision,
            // Apollo Server hashed the same text (sha256, hex) to find the parsed operation: not hashed twice.
            operationHash: queryHash ?? hashOperation(request.query ?? ''),
            ...(request.operationName ? { operationName: request.operationName } : {}),
          };
          try {
            await audit.append(record);
          } catch (error) {
            logger.error(
              { err: error, decisionId: record.decisionId },
              'could not record a disclosure: the answer is withheld',
            );
            response.body.singleResult = {
              data: null,
              errors: [
                {
                  message: `${country} could not record this disclosure in its audit log, so it withholds its answer; try again shortly.`,
                  extensions: { code: ERROR_CODES.AUDIT_UNAVAILABLE, country },
                },
              ],
            };
          }
        },
      });
    },
  };
}

/** `extensions.accord`: the releases by clause (obligations travel with the data) and, when asked, every field's decision. */
function accordReport(context: SubgraphContext): OwnerReport | undefined {
  const { accord, crossing, country } = context;
  const fieldReport = crossing?.fieldReport && accord.trail ? accord.trail.fieldReport() : undefined;
  const filed = context.followUp?.filed ?? [];
  if (accord.releases.size === 0 && !fieldReport && filed.length === 0) return undefined;
  const releases = [...accord.releases.values()].map((release) => ({
    ...release.clause,
    ...(release.obligations ? { obligations: release.obligations } : {}),
    ...(release.grant !== undefined ? { grant: release.grant } : {}),
    ...(release.grantValidUntil !== undefined ? { grantValidUntil: release.grantValidUntil } : {}),
    categories: [...release.categories].sort(),
  }));
  return {
    owner: country,
    revision: accord.policy.revision,
    releases,
    ...(crossing?.decisionId ? { decisionId: crossing.decisionId } : {}),
    ...(fieldReport ? { fields: fieldReport } : {}),
    // The follow-up requests this call filed, with the ids the owner assigned: the gateway's consultation names them.
    ...(filed.length > 0 ? { filed: [...filed] } : {}),
  };
}

/** The follow-up requests this call filed and the owner kept (subgraphs/kit/followUp/resolvers.ts). */
function filedFields(context: SubgraphContext): Pick<CrossingRecord, 'followUpRequests'> {
  const filed = context.followUp?.filed ?? [];
  return filed.length > 0 ? { followUpRequests: [...filed] } : {};
}
