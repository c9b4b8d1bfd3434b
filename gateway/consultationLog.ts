import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import { hashOperation, type AuditLog } from '../audit';
import { ERROR_CODES } from '../schema';
import type { Logger } from '../lib/logger';
import { consultationRecords } from './consultation';
import type { GatewayContext } from './requestState';

/** The response header that gives the analyst this request's id, to quote to a legal team. */
export const REQUEST_ID_HEADER = 'accord-request-id';

export const AUDIT_UNAVAILABLE_MESSAGE =
  'Accord could not record this consultation in its audit log, so the answer is withheld. Try again shortly; the incident is logged.';

/** The hash of each operation's text, kept with its parsed document (Apollo Server's: one per text). */
const hashes = new WeakMap<DocumentNode, { readonly query: string; readonly hash: string }>();

/** `hashOperation(query)`, hashed once per parsed document rather than once per request. */
function operationHashOf(query: string, document: DocumentNode | undefined): string {
  if (!document) return hashOperation(query);
  const kept = hashes.get(document);
  if (kept?.query === query) return kept.hash;
  const hash = hashOperation(query);
  hashes.set(document, { query, hash });
  return hash;
}

/**
 * The requester's side of every crossing (issue 5): before the answer leaves, one consultation record per
 * owner the request reached (gateway/consultation.ts), appended and durable. The appends of concurrent
 * requests share commits (group commit, audit/chainWriter.ts). If they fail, the analyst gets an error and
 * no data: nothing leaves unrecorded. Without an audit log, only the request id header is set.
 *
 * Apollo Server runs this after `formatError`, so the error here is written in its final form.
 */
export function consultationLog(
  audit: AuditLog | undefined,
  policyRevision: string,
  logger: Logger,
): ApolloServerPlugin<GatewayContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        async willSendResponse({ contextValue, response, request, document }) {
          response.http.headers.set(REQUEST_ID_HEADER, contextValue.requestId);
          const { consultation } = contextValue;
          if (!audit || !consultation || response.body.kind !== 'single') return;
          const records = consultationRecords(consultation, contextValue, {
            policyRevision,
            operationHash: operationHashOf(request.query ?? '', document),
            ...(request.operationName ? { operationName: request.operationName } : {}),
          });
          if (records.length === 0) return; // nothing crossed a border, nor was asked to
          try {
            await Promise.all(records.map((record) => audit.append(record)));
          } catch (error) {
            logger.error(
              { err: error, requestId: contextValue.requestId },
              'could not record a consultation: the answer is withheld',
            );
            response.http.status = 503;
            response.body.singleResult = {
              errors: [
                { message: AUDIT_UNAVAILABLE_MESSAGE, extensions: { code: ERROR_CODES.AUDIT_UNAVAILABLE } },
              ],
            };
          }
        },
      });
    },
  };
}
