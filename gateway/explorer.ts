import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A small local query explorer, served under /explorer only in development (`npm start -- --dev`): a
 * query, its variables and the request's headers (the analyst's token and the Accord-* declaration), and
 * the answer. Everything is in this page: no CDN, no external request (Apollo's explorer loads from one).
 */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Accord — query explorer (development)</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; display: grid; grid-template-columns: 1fr 1fr; height: 100vh; }
  section { display: flex; flex-direction: column; padding: 12px; gap: 8px; min-height: 0; }
  textarea, pre { font: 13px/1.4 ui-monospace, monospace; border: 1px solid #bbb; border-radius: 4px; padding: 8px; }
  textarea { resize: vertical; }
  #query { flex: 2; } #variables, #headers { flex: 1; }
  pre { flex: 1; overflow: auto; margin: 0; background: #f6f6f6; white-space: pre-wrap; }
  button { align-self: flex-start; padding: 6px 16px; }
  h1 { font-size: 16px; margin: 0; } small { color: #555; }
</style>
</head>
<body>
<section>
  <h1>Accord query explorer <small>development only</small></h1>
  <label for="query">Query</label>
  <textarea id="query">{
  search(term: "Tiger") {
    country
    suspects { id country fullName aliases }
  }
}</textarea>
  <label for="variables">Variables (JSON)</label>
  <textarea id="variables">{}</textarea>
  <label for="headers">Headers (JSON): who asks and why</label>
  <textarea id="headers">{
  "Authorization": "Bearer <npm run token -- --country KR --analyst kim.j>",
  "Accord-Purpose": "investigation",
  "Accord-Case": "KR-CAS-000001"
}</textarea>
  <button id="run" type="button">Run</button>
</section>
<section>
  <h1>Answer</h1>
  <pre id="answer"></pre>
</section>
<script>
document.getElementById('run').addEventListener('click', async () => {
  const out = document.getElementById('answer');
  let variables, headers;
  try {
    variables = JSON.parse(document.getElementById('variables').value || '{}');
    headers = JSON.parse(document.getElementById('headers').value || '{}');
  } catch (error) { out.textContent = 'Variables and headers must be JSON: ' + error.message; return; }
  const response = await fetch('/graphql', { method: 'POST', headers: Object.assign({ 'content-type': 'application/json' }, headers),
    body: JSON.stringify({ query: document.getElementById('query').value, variables }) });
  out.textContent = 'HTTP ' + response.status + '\\n' + JSON.stringify(await response.json(), null, 2);
});
</script>
</body>
</html>
`;

export function explorerPage(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  response.end(PAGE);
}
