import { GATEWAY_DEFAULT_PORT } from '../schema/members';
import { AUTH_REALMS, authRealmOf } from '../vocabulary/authRealms';
import { CliError, UsageError } from './CliError';
import { EXIT } from './exitCodes';
import type { Env } from './session';

/** Where `npm start` serves the gateway (its banner prints the same URL). */
export const DEFAULT_GATEWAY_URL = `http://127.0.0.1:${GATEWAY_DEFAULT_PORT}/graphql`;

/** How long one answer may take: a five-member search on a loaded machine takes seconds, never minutes. */
const ANSWER_TIMEOUT_MS = 120_000;

/** `--gateway`, else ACCORD_GATEWAY, else npm start's; an origin alone means its `/graphql`. */
/** Hosts that are this machine: the only ones `accord` talks to over plain http. */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function gatewayUrl(flag: string | undefined, env: Env, command: string): string {
  const text = flag ?? (env['ACCORD_GATEWAY'] || DEFAULT_GATEWAY_URL);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `${JSON.stringify(text)} is not a URL: give the gateway's, e.g. ${DEFAULT_GATEWAY_URL} (--gateway or ACCORD_GATEWAY).`,
      command,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`The gateway's URL must be http or https, not ${JSON.stringify(text)}.`, command);
  // The token goes with every call: in clear only to this machine's own gateway (npm start), else over TLS.
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new UsageError(
      `The gateway at ${url.host} is not on this machine: give its https:// URL (your token must not cross the network in clear).`,
      command,
    );
  }
  if (url.username !== '' || url.password !== '')
    throw new UsageError(
      "The gateway's URL must not carry a user name or password: accord sends your token.",
      command,
    );
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/graphql';
  return url.toString();
}

export interface GraphQLError {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: Readonly<Record<string, unknown>>;
}

export interface GraphQLBody {
  readonly data?: Readonly<Record<string, unknown>> | null;
  readonly errors?: readonly GraphQLError[];
  readonly extensions?: Readonly<Record<string, unknown>>;
}

export interface GatewayAnswer {
  readonly status: number;
  readonly body: GraphQLBody;
}

/**
 * POSTs one operation. What is not an answer to show becomes a CliError: the gateway cannot be reached or
 * answered something that is not GraphQL (EXIT.UNREACHABLE), the token was refused (EXIT.AUTH). The
 * messages name the URL the analyst gave and nothing of the machinery (no library error, no stack).
 */
export async function postOperation(
  url: string,
  operation: { readonly query: string; readonly variables?: Readonly<Record<string, unknown>> },
  headers: Readonly<Record<string, string>>,
  options: {
    /**
     * The path is one only the gateway serves (`/alerts`): a 404, or a 401 that does not name the
     * gateway's realm (a member's and the hub's alert routes name none), means the URL is not the gateway's.
     */
    readonly gatewayOnlyPath?: boolean;
  } = {},
): Promise<GatewayAnswer> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify(operation),
      // The gateway answers; it never sends the request (its declarations, its terms) somewhere else.
      redirect: 'error',
      signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
    });
    text = await response.text();
  } catch (error) {
    throw new CliError(
      `Cannot reach the gateway at ${url}: ${whyUnreachable(error)}. Is it running (npm start)? Give its URL with --gateway or ACCORD_GATEWAY.`,
      EXIT.UNREACHABLE,
    );
  }
  let body: GraphQLBody;
  try {
    body = JSON.parse(text) as GraphQLBody;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new TypeError('not an object');
  } catch {
    throw new CliError(
      `The gateway at ${url} answered HTTP ${response.status} with something that is not a GraphQL answer: is that the gateway's URL?`,
      EXIT.UNREACHABLE,
    );
  }
  const notTheGateway = (why: string) =>
    new CliError(
      `${url} is not the gateway: ${why}. Give the gateway's URL with --gateway or ACCORD_GATEWAY (npm start prints it; by default ${DEFAULT_GATEWAY_URL}).`,
      EXIT.UNREACHABLE,
    );
  if (response.status === 404 && options.gatewayOnlyPath)
    throw notTheGateway('it does not serve this path, which the gateway does');
  if (response.status === 401) {
    // Only the gateway's refusal means "log in again"; a member's subgraph or the hub refuses every caller
    // but the gateway, whatever the token, so there the URL is what is wrong.
    const realm = authRealmOf(response.headers.get('www-authenticate'));
    if (realm === AUTH_REALMS.subgraph)
      throw notTheGateway(
        "it is an Accord subgraph (a member's or the hub's), which answers only the gateway",
      );
    if (realm !== undefined && realm !== AUTH_REALMS.gateway)
      throw notTheGateway('it refused the token for another service');
    if (realm === undefined && options.gatewayOnlyPath)
      throw notTheGateway(
        "it refused the token without naming the gateway's realm (a member or the hub answers only the gateway)",
      );
    const said = body.errors?.[0]?.message ?? 'the token was refused';
    throw new CliError(`The gateway refused your token: ${said} Log in again (accord login).`, EXIT.AUTH);
  }
  if (response.status >= 500 && !('data' in body)) {
    throw new CliError(
      `The gateway at ${url} could not answer (HTTP ${response.status}): ${body.errors?.[0]?.message ?? 'try again shortly'}`,
      EXIT.UNREACHABLE,
    );
  }
  return { status: response.status, body };
}

/** A word on why a connection failed, from the system's error code, never the library's message. */
function whyUnreachable(error: unknown): string {
  if ((error as Error)?.name === 'TimeoutError') return `no answer within ${ANSWER_TIMEOUT_MS / 1000} s`;
  const code = (error as { cause?: { code?: unknown } })?.cause?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'the connection was refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name is unknown';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'the connection was closed';
    default:
      return 'the connection failed';
  }
}
