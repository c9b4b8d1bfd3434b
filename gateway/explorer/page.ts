import { ANALYST_HEADERS, REQUEST_HEADERS } from '../../policy';
import { PURPOSES, PURPOSE_MEANINGS } from '../../vocabulary';

/**
 * The explorer's page: no inline script and no data, only the bundled script and style sheet of this
 * server and, as inert JSON (a `<script type="application/json">` never runs), the headers and purposes
 * the page explains. Everything an analyst sees of the alliance comes through /graphql, under their token.
 */
export const ASSETS_PATH = '/explorer/assets/';

/**
 * The page's Content-Security-Policy. Scripts, workers, connections and fonts from this server only; no
 * eval, no inline script. Two allowances GraphiQL needs: `style-src 'unsafe-inline'`, because the Monaco
 * editor inside it writes <style> elements at run time (its theme, its decorations) that no hash or nonce
 * can name beforehand; and `data:` fonts and images, which GraphiQL's style sheet embeds. Framing is refused.
 */
export const EXPLORER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function vocabularyJson(): string {
  const vocabulary = {
    headers: ANALYST_HEADERS,
    purposes: PURPOSES.map((name) => ({ name, meaning: PURPOSE_MEANINGS[name] })),
    purposeHeader: ANALYST_HEADERS.find((header) => header.name.toLowerCase() === REQUEST_HEADERS.purpose)!
      .name,
  };
  // Inert JSON inside HTML: nothing in it may close the element.
  return JSON.stringify(vocabulary).replace(/</g, '\\u003c');
}

export function explorerHtml(): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Accord explorer</title>',
    `<link rel="icon" href="data:,">`,
    `<link rel="stylesheet" href="${ASSETS_PATH}explorer.css">`,
    `<script type="module" src="${ASSETS_PATH}explorer.js"></script>`,
    '</head><body>',
    '<div id="explorer"><noscript>The explorer is GraphiQL: enable JavaScript.</noscript></div>',
    `<script type="application/json" id="accord-explorer-vocabulary">${vocabularyJson()}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
