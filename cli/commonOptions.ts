import type { Options } from './commandLine';

/** What every command that talks to the gateway takes. */
export const GATEWAY_OPTIONS: Options = {
  gateway: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export const GATEWAY_USAGE = `  --gateway URL      the gateway (default: ACCORD_GATEWAY, else npm start's http://127.0.0.1:4000/graphql)
  --json             the gateway's whole answer as JSON, for scripts
  -h, --help         this help`;
