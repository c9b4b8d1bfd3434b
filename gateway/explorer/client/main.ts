/// <reference lib="dom" />
/**
 * The explorer's page script (bundled by gateway/explorer/build.ts): GraphiQL over this gateway's /graphql,
 * with the analyst's token bar above it, the Accord headers panel beside it and the answer notes under the
 * response.
 */
import { StrictMode, createElement as h, useMemo, useState, type ReactElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import './explorer.css';
import { installWorkers } from './workers';
import { readVocabulary, type ExplorerVocabulary } from './vocabulary';
import { readToken, storeToken } from './token';
import { TokenBar } from './tokenBar';
import { accordFetcher } from './fetcher';
import { accordHeadersPlugin } from './headersPlugin';
import { AnswerNotes } from './answerNotes';
import { PlainCharacters } from './plainCharacters';

installWorkers();

const DEFAULT_QUERY = `# Accord explorer: GraphiQL over this gateway, under your token.
# Set why you ask in the "Accord headers" panel (left), then run.
{
  search(term: "Tiger") {
    country
    suspects { id fullName nationality }
  }
}
`;

function Explorer({ vocabulary }: { vocabulary: ExplorerVocabulary }): ReactElement {
  const [token, setToken] = useState(readToken);
  const fetcher = useMemo(() => accordFetcher(() => token), [token]);
  const plugins = useMemo(() => [accordHeadersPlugin(vocabulary)], [vocabulary]);
  const use = (next: string | undefined): void => {
    storeToken(next);
    setToken(next);
  };
  return h(
    'div',
    { className: 'accord-explorer' },
    h(TokenBar, { token, onToken: use }),
    h(
      'div',
      { className: 'accord-graphiql' },
      // Keyed by the token: a new token loads the schema again (introspection is answered only under one).
      h(
        GraphiQL,
        {
          key: token ?? 'no token',
          fetcher,
          plugins,
          // The tab's session only: queries, headers (case references) and history leave with the tab.
          storage: sessionStorage,
          defaultQuery: DEFAULT_QUERY,
          defaultHeaders: '{}',
          defaultEditorToolsVisibility: 'headers',
          // No token, no introspection: the gateway would answer 401, and the page asks nothing it cannot have.
          ...(token ? {} : { schema: null }),
        },
        h(GraphiQL.Footer, null, h(PlainCharacters), h(AnswerNotes)),
      ),
    ),
  );
}

createRoot(document.getElementById('explorer')!).render(
  h(StrictMode, null, h(Explorer, { vocabulary: readVocabulary() })),
);
