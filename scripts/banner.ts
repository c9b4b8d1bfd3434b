import { examplesScript } from './examples';
import { GATEWAY_NAME } from './services';
import type { RunningService } from './supervisor';

/** The lines printed once everything is ready (the test in test/start/ reads them). */
export function readyBanner(services: readonly RunningService[]): string {
  const gateway = services.find((s) => s.name === GATEWAY_NAME);
  const width = Math.max(...services.map((s) => s.name.length));
  return [
    '',
    'Accord is ready:',
    ...services.map((s) => `  ${s.name.padEnd(width)}  ${s.url}  (pid ${s.pid ?? '?'})`),
    '',
    ...(gateway ? [`Explorer (GraphiQL; paste a token from npm run -s token): ${new URL('/explorer', gateway.url).href}`, ''] : []),
    ...(gateway
      ? ['Try it (the token says who asks, the Accord-* headers why; what an agreement withholds comes back null, with the reason):', '', examplesScript(gateway.url, '  '), '']
      : []),
    'Stop with Ctrl-C.',
    '',
  ].join('\n');
}
