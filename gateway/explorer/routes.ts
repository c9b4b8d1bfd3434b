import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { builtExplorerAssets } from './build';
import { ASSETS_PATH, EXPLORER_CSP, explorerHtml } from './page';

const SECURITY_HEADERS = {
  'content-security-policy': EXPLORER_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
} as const;

/**
 * GET /explorer (the page) and /explorer/assets/<file> (the bundle gateway/explorer/build.ts made), for
 * everyone: they hold no data, only GraphiQL. The assets are the build of this checkout's sources, found
 * once when the gateway starts; when there is none the page says how to build it. A file is served only
 * when the build's manifest lists it, so no path reaches outside the build's folder.
 */
export function explorerRoutes(): (request: IncomingMessage, response: ServerResponse) => void {
  const assets = builtExplorerAssets();
  const html = explorerHtml();
  const cache = new Map<string, Buffer>();
  return (request, response) => {
    void serve(request, response).catch(() => {
      if (!response.headersSent)
        send(response, 500, 'text/plain; charset=utf-8', 'The explorer could not be served.');
      else response.destroy();
    });
  };

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, 'text/plain; charset=utf-8', 'The explorer answers GET only.', {
        allow: 'GET, HEAD',
      });
      return;
    }
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/explorer' || path === '/explorer/') {
      if (!assets) {
        send(
          response,
          503,
          'text/plain; charset=utf-8',
          'The explorer is not built for this version: run `npm run build:explorer` (npm ci and npm start build it).',
        );
        return;
      }
      send(response, 200, 'text/html; charset=utf-8', html);
      return;
    }
    const name = path.startsWith(ASSETS_PATH) ? path.slice(ASSETS_PATH.length) : undefined;
    const type =
      name === undefined || !assets || !Object.hasOwn(assets.files, name) ? undefined : assets.files[name];
    if (!assets || name === undefined || type === undefined) {
      send(response, 404, 'text/plain; charset=utf-8', 'Not found.');
      return;
    }
    let body = cache.get(name);
    if (!body) {
      body = await readFile(join(assets.dir, name));
      cache.set(name, body);
    }
    send(response, 200, type, body);
  }
}

function send(
  response: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  extra: Record<string, string> = {},
): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': type,
    'cache-control': 'no-cache',
    ...extra,
  });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}
