import { examplesScript } from './examples';
import { GATEWAY_NAME } from './services';
import type { RunningService } from './supervisor';

/**
 * The lines printed once everything is ready (the test in test/start/ reads them). `dataDir` is the folder
 * the services keep their keys and stores in: the login line names it when it is not the default.
 */
export function readyBanner(services: readonly RunningService[], dataDir?: string): string {
  const gateway = services.find((s) => s.name === GATEWAY_NAME);
  const width = Math.max(...services.map((s) => s.name.length));
  return [
    '',
    'Accord is ready:',
    ...services.map((s) => `  ${s.name.padEnd(width)}  ${s.url}  (pid ${s.pid ?? '?'})`),
    '',
    ...(gateway
      ? [
          `Explorer (GraphiQL; paste the token that accord token prints): ${new URL('/explorer', gateway.url).href}`,
          '',
        ]
      : []),
    ...(gateway
      ? [
          'Try it with accord (cli/bin/accord; `npm link` puts it on your PATH): the login says who asks, the flags why; what an agreement withholds comes back null, with the reason (docs/analysts.md):',
          '',
          examplesScript(gateway.url, '  ', dataDir),
          '',
        ]
      : []),
    'Stop with Ctrl-C.',
    '',
  ].join('\n');
}
