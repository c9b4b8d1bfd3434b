/// <reference lib="dom" />
import { publishAnswer } from './answerStore';

/**
 * GraphiQL's fetcher, as far as this page uses it (graphiql's own type comes from an ES-module-only
 * package this repository's CommonJS type-checking cannot resolve).
 */
type Fetcher = (
  params: { readonly query: string; readonly operationName?: string | null; readonly variables?: unknown },
  options?: { readonly headers?: Readonly<Record<string, unknown>> },
) => Promise<unknown>;

/**
 * GraphiQL's fetcher: POSTs to this gateway's /graphql with the headers of GraphiQL's headers editor (the
 * `Accord-*` declaration) and the analyst's token as `Authorization: Bearer`. The page itself holds no
 * data; everything comes through here, under the token. Answers of the analyst's own operations (not
 * GraphiQL's introspection) go to the answer notes.
 */
export function accordFetcher(token: () => string | undefined): Fetcher {
  return async (params, options) => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    for (const [name, value] of Object.entries(options?.headers ?? {})) {
      if (typeof value === 'string') headers[name.toLowerCase()] = value;
    }
    const bearer = token();
    if (bearer) headers['authorization'] = `Bearer ${bearer}`;
    const response = await fetch('/graphql', {
      method: 'POST',
      headers,
      body: JSON.stringify(params),
      credentials: 'omit',
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = { errors: [{ message: `HTTP ${response.status}: the gateway did not answer with JSON.` }] };
    }
    if (params.operationName !== 'IntrospectionQuery') publishAnswer(body);
    return body;
  };
}
