import { examplesScript } from './examples';
import { HUB_NAME } from '../schema';
import { GATEWAY_NAME } from './services';
import type { RunningService } from './supervisor';

/**
 * The lines printed once everything is ready (the test in test/start/ reads them). `dataDir` is the folder
 * the services keep their keys and stores in: the login line names it when it is not the default.
 * Addresses come from the services as they started (on free ports too): each member's desk page, and
 * every service's /metrics unless `metrics` is false (ACCORD_METRICS=off).
 */
export function readyBanner(
  services: readonly RunningService[],
  dataDir?: string,
  { metrics = true }: { readonly metrics?: boolean } = {},
): string {
  const gateway = services.find((s) => s.name === GATEWAY_NAME);
  const members = services.filter((s) => s.name !== GATEWAY_NAME && s.name !== HUB_NAME);
  const width = Math.max(...services.map((s) => s.name.length));
  const at = (service: RunningService, path: string): string => new URL(path, service.url).href;
  return [
    '',
    'Accord is ready:',
    ...services.map((s) => `  ${s.name.padEnd(width)}  ${s.url}  (pid ${s.pid ?? '?'})`),
    '',
    ...(members.length > 0
      ? [
          "Each member's desk (its officers' follow-up requests and grants; sign in with npm run -s token -- --desk --country CC --officer NAME):",
          ...members.map((s) => `  ${s.name.padEnd(width)}  ${at(s, '/desk')}`),
          '',
        ]
      : []),
    ...(metrics
      ? [
          `Metrics (Prometheus text) at /metrics of every service, e.g. ${at(gateway ?? services[0]!, '/metrics')}`,
          '',
        ]
      : []),
    ...(gateway
      ? [
          `Explorer (GraphiQL; paste the token that accord token prints): ${new URL('/explorer', gateway.url).href}`,
          '',
        ]
      : []),
    ...(gateway
      ? [
          // The gateway's alert API (gateway/alerts/alertRoutes.ts ALERTS_PATH): not part of /graphql.
          `Alerts (registerWatch, alertsSince, and the alerts subscription over Server-Sent Events; the same token; docs/analysts.md): ${new URL('/alerts', gateway.url).href}`,
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
