/**
 * The HAProxy configuration of a deployment (deploy/README.md): one frontend per service, each in front of
 * that service's processes. Pure: it writes nothing and starts nothing (scripts/deploy.ts does).
 *
 * - The gateways' frontend is what analysts and their tools reach; a member's frontend is what the
 *   gateways reach (`ACCORD_<NAME>_URL`). Round robin across each service's processes.
 * - A connection a process refuses (it is stopped, or restarting) is tried again on another process
 *   (`retries` with `option redispatch`): nothing was sent, so nothing is done twice. A request a process
 *   took and then dropped is never sent again by HAProxy: to a member it carried a single-use gateway token
 *   (the other process would refuse it as a replay), and to a gateway it may file a request. Its client
 *   gets the answer below and sends it again.
 * - What HAProxy answers itself, when no process of a service answers, is GraphQL's error shape with a code
 *   of the closed set (vocabulary/errorCodes.ts): `GATEWAY_UNAVAILABLE` at the gateways' frontend; at a
 *   member's frontend the gateway turns any failure into that member's `MEMBER_UNAVAILABLE`.
 * - `/health` of each process tells HAProxy which are up; `/metrics` is not routed through the frontends
 *   (docs/operations.md: it belongs to the monitoring network, on each process's own address).
 */

export interface Backend {
  /** The service: `gateway`, `alliance`, or a member's subgraph name (`kr`). */
  readonly service: string;
  /** Where its frontend listens. */
  readonly frontend: { readonly host: string; readonly port: number };
  /** Its processes, by instance name (`gateway-1`, `kr-2`), each `host:port`. */
  readonly servers: readonly { readonly name: string; readonly address: string }[];
}

export interface HaproxyOptions {
  readonly backends: readonly Backend[];
  /** The file HAProxy answers with when no gateway answers (an HTTP response: `gatewayUnavailableResponse`). */
  readonly gatewayErrorFile: string;
}

/** The name of the gateways' service in a layout. */
export const GATEWAYS = 'gateway';

/** The configuration file's text. */
export function haproxyConfig(options: HaproxyOptions): string {
  const lines = [
    '# Written by npm run deploy (scripts/haproxy.ts); edit the layout, not this file.',
    'global',
    '  maxconn 4096',
    '',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 60s',
    // Longer than the gateway's wait for a member (ACCORD_SUBGRAPH_TIMEOUT_MS, 5 s by default).
    '  timeout server 60s',
    '  timeout http-request 10s',
    // Longer than clients keep an idle connection (Node's fetch: 4 s), so that the client closes it first:
    // a connection HAProxy closed while a client sent a request on it fails without any answer.
    '  timeout http-keep-alive 30s',
    '  timeout queue 10s',
    // A refused connection is tried again, on another process: nothing was sent yet.
    '  retries 3',
    '  option redispatch 1',
    // A new connection per request to a process: one that has just stopped never gets one.
    '  http-reuse never',
    '  option http-server-close',
    '  default-server check inter 1s fall 2 rise 1',
    '',
  ];
  for (const backend of options.backends) {
    const id = sectionName(backend.service);
    lines.push(
      `frontend ${id}`,
      `  bind ${bindAddress(backend.frontend.host)}:${backend.frontend.port}`,
      // One request per analyst connection: when a gateway dies holding a request, HAProxy answers the
      // client (below) only for the first request of a connection; a later one it drops without a word.
      ...(backend.service === GATEWAYS ? ['  option httpclose'] : []),
      `  default_backend ${id}_processes`,
      '',
      `backend ${id}_processes`,
      '  balance roundrobin',
      '  option httpchk GET /health',
      '  http-check expect status 200',
    );
    if (backend.service === GATEWAYS) {
      for (const status of [502, 503, 504]) lines.push(`  errorfile ${status} ${options.gatewayErrorFile}`);
    }
    for (const server of backend.servers)
      lines.push(`  server ${sectionName(server.name)} ${server.address}`);
    lines.push('');
  }
  return lines.join('\n');
}

/**
 * What HAProxy answers an analyst when no gateway process answered the request (all stopped, or the one
 * that had it stopped before answering): HTTP 503 with a GraphQL error a client can act on. It names no
 * process, address or port.
 */
export function gatewayUnavailableResponse(): string {
  const body = JSON.stringify({
    errors: [
      {
        message:
          'No gateway of the alliance answered this request (one may have just stopped): send it again. If it lasts, tell the operators.',
        extensions: { code: 'GATEWAY_UNAVAILABLE' },
      },
    ],
  });
  return [
    'HTTP/1.1 503 Service Unavailable',
    'content-type: application/json; charset=utf-8',
    'cache-control: no-store',
    'connection: close',
    `content-length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

/** HAProxy names: letters, digits, `-`, `_`, `.`, `:`. */
function sectionName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/.test(name)) throw new Error(`Not a name HAProxy takes: ${name}`);
  return name;
}

/** An IPv6 address in a bind line goes in brackets. */
function bindAddress(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
