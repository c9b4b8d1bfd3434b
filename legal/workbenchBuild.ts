/**
 * Everything the gateway serves under /legal, built in one go: the page (with the revisions it offers,
 * read from git) and the live matrix as CSV and Markdown. Synchronous and CPU-heavy (git, esbuild, about
 * 65,000 decisions, 2.4 MB of CSV), so the gateway never runs it on its own event loop: it runs in a child
 * process (legal/workbenchProcess.ts), and its input and output are plain data that cross over IPC.
 */
import { compilePolicy, type AgreementSet } from '../policy';
import { readFieldCatalog } from './fieldCatalog';
import { buildMatrix } from './matrix';
import { buildPageHtml, pageCsp, pageData, revisionsForPage } from './page/buildPage';
import { renderMatrixCsv, renderMatrixMarkdown } from './render/matrix';

export interface WorkbenchInput {
  /** The set the gateway enforces (its policy is compiled from it again, the same way). */
  readonly current: AgreementSet;
  /** More revisions to offer for the diff. */
  readonly extra: readonly { readonly label: string; readonly set: AgreementSet }[];
  /** The agreements folder whose git history is offered; none: no history. */
  readonly agreementsDir?: string;
  readonly history: number;
  readonly supergraphSdl: string;
  /** The instant the matrix is computed at, and the forms' default date. */
  readonly at: number;
}

export interface WorkbenchArtifacts {
  readonly revision: string;
  readonly at: number;
  readonly html: string;
  /** The page's Content-Security-Policy header. */
  readonly csp: string;
  readonly csv: string;
  readonly markdown: string;
}

export function buildWorkbench(input: WorkbenchInput): WorkbenchArtifacts {
  const policy = compilePolicy(input.current);
  const fields = readFieldCatalog(input.supergraphSdl);
  const revisions = revisionsForPage({
    current: input.current,
    currentLabel: 'in force',
    ...(input.agreementsDir !== undefined ? { agreementsDir: input.agreementsDir } : {}),
    history: input.history,
    extra: input.extra.map((revision) => ({ label: revision.label, set: revision.set })),
  });
  const html = buildPageHtml(
    pageData({ revisions: revisions.revisions, fields, at: input.at, notes: revisions.notes }),
  );
  const matrix = buildMatrix(policy, { at: input.at, fields });
  return {
    revision: policy.revision,
    at: input.at,
    html,
    csp: pageCsp({ header: true }),
    csv: renderMatrixCsv(matrix, { fields: true }),
    markdown: renderMatrixMarkdown(matrix),
  };
}
