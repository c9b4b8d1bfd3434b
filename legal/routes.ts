/**
 * The HTTP handlers of the legal workbench, for the gateway to mount (lib/http.ts `routes`: exact GET
 * paths), behind the caller's `authorize` (the gateway: a verified token with the legal-team role).
 *
 *   GET /legal             the page (self-contained HTML; strict Content-Security-Policy)
 *   GET /legal/matrix.csv  the live policy's matrix, every pair, with per-field rows
 *   GET /legal/matrix.md   the same as Markdown
 *
 * Nothing is built on the request path. The page and the matrix are built together in a child process
 * (legal/workbenchBuilder.ts) as soon as the routes are made, and kept for the policy revision and the UTC
 * day: agreements and joint teams start and end on day boundaries (legal/domain.ts `edgesOf`), so the
 * matrix cannot change within a day, and the page's forms start at today's date. Requests that arrive
 * while a build runs wait for that one build, without holding the event loop; a refused request never
 * starts one.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AgreementSet, Policy } from '../policy';
import { WorkbenchBuildStopped, childProcessBuilder, type WorkbenchBuilder } from './workbenchBuilder';
import type { WorkbenchArtifacts, WorkbenchInput } from './workbenchBuild';

export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** Whether a request may see the workbench; a refusal carries its status and a message that leaks nothing. */
export type LegalAccess =
  { readonly ok: true } | { readonly ok: false; readonly status: 401 | 403 | 503; readonly message: string };

/** One build of the page and the matrix, as it starts. */
export interface LegalBuild {
  readonly revision: string;
  /** The instant the matrix is computed at. */
  readonly at: number;
  /** The process that builds it (never the caller's). */
  readonly pid: number;
}

export interface LegalRoutesOptions {
  /** The policy the gateway enforces: the page's first revision. */
  readonly policy: Policy;
  /** The composed supergraph SDL (fields and their categories). */
  readonly supergraphSdl: string;
  /** Who may see the page and the matrix. Required: the page shows every agreement and joint-team analyst. */
  readonly authorize: (request: IncomingMessage) => Promise<LegalAccess>;
  /** The agreements folder, to list its git history (default: the live set's folder). */
  readonly agreementsDir?: string;
  /** How many past commits of the folder to offer for diffs (default 10; 0: none). */
  readonly history?: number;
  /** More revisions to offer (e.g. a proposed change under review). */
  readonly revisions?: readonly { readonly label: string; readonly set: AgreementSet }[];
  /** Path prefix (default "/legal"). */
  readonly basePath?: string;
  /** "Today" for the forms and the matrix (default Date.now). */
  readonly now?: () => number;
  /** Called as each build starts (metrics; tests count builds with it). */
  readonly onBuild?: (build: LegalBuild) => void;
  /** Called when a build fails (the gateway logs it; the client only hears that the page is unavailable). */
  readonly onBuildError?: (error: Error) => void;
}

export interface LegalRoutes {
  readonly routes: Readonly<Record<string, RouteHandler>>;
  /** Stops a build in flight. */
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;

export function legalRoutes(options: LegalRoutesOptions): LegalRoutes {
  if (typeof options.authorize !== 'function')
    throw new TypeError('legalRoutes: `authorize` is required (who may see the legal workbench).');
  const base = options.basePath ?? '/legal';
  const now = options.now ?? Date.now;
  const revision = options.policy.revision;
  const builder: WorkbenchBuilder = childProcessBuilder();
  let current: { key: string; artifacts: Promise<WorkbenchArtifacts> } | undefined;

  const input = (at: number): WorkbenchInput => ({
    current: options.policy.set,
    extra: options.revisions ?? [],
    agreementsDir: options.agreementsDir ?? options.policy.set.dir,
    history: options.history ?? 10,
    supergraphSdl: options.supergraphSdl,
    at,
  });

  /** The artifacts of this revision and day: the one build, started now if there is none yet. */
  function artifacts(): Promise<WorkbenchArtifacts> {
    const at = now();
    const key = `${revision}@${Math.floor(at / DAY_MS)}`;
    if (current?.key === key) return current.artifacts;
    const build = builder.build(input(at), (pid) => options.onBuild?.({ revision, at, pid }));
    const entry = { key, artifacts: build };
    current = entry;
    build.catch((error: unknown) => {
      // Stopped with the gateway: no one waits for the page, and nothing failed.
      if (error instanceof WorkbenchBuildStopped) return;
      options.onBuildError?.(error instanceof Error ? error : new Error(String(error)));
      // The next request tries again rather than serving the failure all day.
      if (current === entry) current = undefined;
    });
    return build;
  }

  // At start-up, not on the first request (a failure is reported through onBuildError and retried then).
  void artifacts();

  const handler =
    (serve: (found: WorkbenchArtifacts, response: ServerResponse) => void): RouteHandler =>
    (request, response) => {
      void (async () => {
        let access: LegalAccess;
        try {
          access = await options.authorize(request);
        } catch {
          access = {
            ok: false,
            status: 503,
            message: 'Access to the legal workbench cannot be checked right now; try again shortly.',
          };
        }
        if (!access.ok) {
          send(
            response,
            access.status,
            'text/plain; charset=utf-8',
            `${access.message}\n`,
            access.status === 401 ? { 'www-authenticate': 'Bearer realm="accord-legal"' } : {},
          );
          return;
        }
        let found: WorkbenchArtifacts;
        try {
          found = await artifacts();
        } catch {
          // A review tool that fails must not take the gateway down or leak internals.
          send(
            response,
            503,
            'text/plain; charset=utf-8',
            'The legal workbench is not available right now; try again shortly.\n',
          );
          return;
        }
        serve(found, response);
      })();
    };

  const page = handler((found, response) =>
    send(response, 200, 'text/html; charset=utf-8', found.html, { 'content-security-policy': found.csp }),
  );
  return {
    routes: {
      [base]: page,
      [`${base}/`]: page,
      [`${base}/matrix.csv`]: handler((found, response) =>
        send(response, 200, 'text/csv; charset=utf-8', found.csv, {
          'content-disposition': 'attachment; filename="accord-matrix.csv"',
        }),
      ),
      [`${base}/matrix.md`]: handler((found, response) =>
        send(response, 200, 'text/markdown; charset=utf-8', found.markdown),
      ),
    },
    close: () => builder.close(),
  };
}

function send(
  response: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...headers,
  });
  response.end(body);
}
