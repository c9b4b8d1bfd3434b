/**
 * The HTTP handlers of the legal workbench, for the gateway to mount (lib/http.ts `routes`: exact GET
 * paths). The page is built on first request and kept: the live policy's set, the latest commits that
 * changed its agreements folder (when it is in a git repository), and any extra revisions.
 *
 *   GET /legal             the page (self-contained HTML; strict Content-Security-Policy)
 *   GET /legal/matrix.csv  the live policy's matrix, every pair, with per-field rows
 *   GET /legal/matrix.md   the same as Markdown
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AgreementSet, Policy } from '../policy';
import { buildMatrix } from './matrix';
import { readFieldCatalog } from './fieldCatalog';
import type { FieldCatalog } from './fields';
import { buildPageHtml, pageCsp, pageData, revisionsForPage, type RevisionSource } from './page/buildPage';
import { renderMatrixCsv, renderMatrixMarkdown } from './render/matrix';

export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface LegalRoutesOptions {
  /** The policy the gateway enforces: the page's first revision. */
  readonly policy: Policy;
  /** The composed supergraph SDL (fields and their categories). */
  readonly supergraphSdl: string;
  /** The agreements folder, to list its git history (default: the live set's folder). */
  readonly agreementsDir?: string;
  /** How many past commits of the folder to offer for diffs (default 10; 0: none). */
  readonly history?: number;
  /** More revisions to offer (e.g. a proposed change under review). */
  readonly revisions?: readonly { readonly label: string; readonly set: AgreementSet }[];
  /** Path prefix (default "/legal"). */
  readonly basePath?: string;
  /** "Today" for the forms and the matrix downloads (default Date.now). */
  readonly now?: () => number;
}

export function legalRoutes(options: LegalRoutesOptions): Record<string, RouteHandler> {
  const base = options.basePath ?? '/legal';
  const now = options.now ?? Date.now;
  let fields: FieldCatalog | undefined;
  const fieldCatalog = (): FieldCatalog => (fields ??= readFieldCatalog(options.supergraphSdl));
  let page: { html: string; csp: string } | undefined;

  const pageHandler: RouteHandler = (_request, response) => {
    try {
      if (page === undefined) {
        const revisions = revisionsForPage({
          current: options.policy.set,
          currentLabel: 'in force',
          agreementsDir: options.agreementsDir ?? options.policy.set.dir,
          history: options.history ?? 10,
          extra: (options.revisions ?? []).map((revision): RevisionSource => ({ label: revision.label, set: revision.set })),
        });
        page = { html: buildPageHtml(pageData({ revisions: revisions.revisions, fields: fieldCatalog(), at: now(), notes: revisions.notes })), csp: pageCsp({ header: true }) };
      }
      send(response, 200, 'text/html; charset=utf-8', page.html, { 'content-security-policy': page.csp });
    } catch {
      // The page is a review tool: failing to build it must not take the gateway down or leak internals.
      send(response, 500, 'text/plain; charset=utf-8', 'The legal workbench page could not be built.\n');
    }
  };

  const matrixHandler =
    (kind: 'csv' | 'md'): RouteHandler =>
    (_request, response) => {
      try {
        const matrix = buildMatrix(options.policy, { at: now(), fields: fieldCatalog() });
        if (kind === 'csv') send(response, 200, 'text/csv; charset=utf-8', renderMatrixCsv(matrix, { fields: true }), { 'content-disposition': 'attachment; filename="accord-matrix.csv"' });
        else send(response, 200, 'text/markdown; charset=utf-8', renderMatrixMarkdown(matrix));
      } catch {
        send(response, 500, 'text/plain; charset=utf-8', 'The matrix could not be built.\n');
      }
    };

  return {
    [base]: pageHandler,
    [`${base}/`]: pageHandler,
    [`${base}/matrix.csv`]: matrixHandler('csv'),
    [`${base}/matrix.md`]: matrixHandler('md'),
  };
}

function send(response: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...headers,
  });
  response.end(body);
}
