/// <reference lib="dom" />
/**
 * Where the Monaco editor inside GraphiQL finds its workers: the files gateway/explorer/build.ts bundles
 * next to the page, served from the gateway itself (the Content-Security-Policy allows workers from 'self'
 * only). GraphiQL's own setup-workers modules point at a CDN or at a bundler's URL scheme.
 */
const ASSETS = '/explorer/assets/';

export function installWorkers(): void {
  (globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
    getWorker(_id: string, label: string): Worker {
      if (label === 'json') return new Worker(`${ASSETS}json.worker.js`);
      if (label === 'graphql') return new Worker(`${ASSETS}graphql.worker.js`);
      return new Worker(`${ASSETS}editor.worker.js`);
    },
  };
}
