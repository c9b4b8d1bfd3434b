import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

/**
 * `cache-control: no-store` on every answer of a subgraph: records are never for a cache between the
 * owner and the gateway. It is what Apollo Server's default cache-control plugin answered for every
 * subgraph answer (no field of Accord's schemas has a cache hint, so none was ever cacheable), without
 * that plugin's cost: it hooks into the resolution of every field of every answer (`willResolveField`) to
 * compute a policy that always came out the same. The subgraph server turns it off
 * (ApolloServerPluginCacheControlDisabled) and sets the header here, once per answer.
 */
export function noStorePlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        willSendResponse({ response }) {
          response.http.headers.set('cache-control', 'no-store');
          return Promise.resolve();
        },
      });
    },
  };
}
