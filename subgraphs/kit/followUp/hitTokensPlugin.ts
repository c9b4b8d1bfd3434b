import type { ApolloServerPlugin } from '@apollo/server';
import type { OwnerReport } from '../../../audit';
import type { SubgraphContext } from '../types';
import { HIT_TOKEN_TTL_MS, mintHitToken } from './hitTokens';

/**
 * At the end of an analyst's request: a hit token for every record of this owner the answer shows a
 * foreign requester (AuthorizationState.shown: a field of the record was released), in
 * `extensions.accord.hits` (record id → token), for the gateway to pass on. No token for a record the
 * answer does not show, and none when the answer was withheld as a whole (`data: null`).
 *
 * Listed after the disclosure plugin: its report is set before this one adds to it.
 */
export function hitTokensPlugin(hitKey: Buffer | undefined): ApolloServerPlugin<SubgraphContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        willSendResponse({ contextValue, response }) {
          const { accord, country } = contextValue;
          if (
            !hitKey ||
            response.body.kind !== 'single' ||
            accord.scope !== 'query' ||
            accord.shown.size === 0
          )
            return Promise.resolve();
          const result = response.body.singleResult;
          if (result.data === null || result.data === undefined) return Promise.resolve();
          const expiresAt = accord.at + HIT_TOKEN_TTL_MS;
          const hits: Record<string, string> = {};
          for (const recordId of [...accord.shown].sort()) {
            hits[recordId] = mintHitToken(
              {
                owner: country,
                requesterCountry: accord.requester.country,
                analyst: accord.requester.analyst,
                recordId,
                expiresAt,
              },
              hitKey,
            );
          }
          // The disclosure plugin's report, when it made one (listed before this one).
          const report = (result.extensions?.['accord'] ?? {}) as OwnerReport;
          const withHits: OwnerReport = { ...report, hits };
          result.extensions = { ...result.extensions, accord: withHits };
          return Promise.resolve();
        },
      });
    },
  };
}
