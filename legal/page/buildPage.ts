/**
 * The /legal page: one self-contained HTML document (no CDN, no external request, nothing fetched after
 * load) holding the agreement sets to review as data and a script that runs the *same* engine and
 * analyses as the command line on them (policy/core.ts, legal/matrix.ts, legal/diff.ts,
 * legal/explainRequest.ts, bundled by esbuild). So the page works served by the gateway and opened from
 * a folder alike, and its answers cannot drift from the gateway's.
 *
 * A Content-Security-Policy (header when served, <meta> in the file) allows only the page's own inline
 * script and style, by hash, and no connection at all.
 */
import { createHash } from 'node:crypto';
import { dirname, join, relative } from 'node:path';
import { buildSync } from 'esbuild';
import type { AgreementSet } from '../../policy';
import { formatInstant } from '../domain';
import type { FieldCatalog, FieldEntry } from '../fields';
import { agreementsHistory, loadRevision, repositoryPath } from '../sources';
import { PAGE_STYLE } from './style';

export interface PageRevision {
  readonly id: string;
  readonly label: string;
  readonly set: AgreementSet;
}

export interface PageData {
  /** The date the forms start with, YYYY-MM-DD. */
  readonly at: string;
  /** The first is the one in force (what the gateway enforces). */
  readonly revisions: readonly PageRevision[];
  readonly fields: readonly FieldEntry[];
  /** Things the reader should know (revisions that could not be loaded, …). */
  readonly notes: readonly string[];
}

export interface RevisionSource {
  readonly label: string;
  readonly set: AgreementSet;
  /** How a source file of the set is shown (default: relative to the set folder's parent). */
  readonly display?: (file: string) => string;
}

/**
 * The revisions a page shows: the current set, the latest commits that changed its folder (each loaded
 * from git; a commit whose set does not load is noted, not fatal), and any extra ones. Sets with the same
 * revision hash are shown once.
 */
export function revisionsForPage(options: {
  readonly current: AgreementSet;
  readonly currentLabel: string;
  readonly agreementsDir?: string;
  readonly history?: number;
  readonly extra?: readonly RevisionSource[];
}): { revisions: RevisionSource[]; notes: string[] } {
  const revisions: RevisionSource[] = [{ label: options.currentLabel, set: options.current }];
  const notes: string[] = [];
  const seen = new Map<string, number>([[options.current.revision, 0]]);
  const add = (source: RevisionSource): void => {
    const index = seen.get(source.set.revision);
    if (index !== undefined) {
      const known = revisions[index]!;
      if (!known.label.includes(source.label))
        revisions[index] = { ...known, label: `${known.label} = ${source.label}` };
      return;
    }
    seen.set(source.set.revision, revisions.length);
    revisions.push(source);
  };
  const dir = options.agreementsDir;
  const location = dir === undefined ? undefined : repositoryPath(dir);
  if (dir !== undefined && location !== undefined && (options.history ?? 0) > 0) {
    for (const entry of agreementsHistory(dir, options.history ?? 0)) {
      try {
        const loaded = loadRevision(entry.commit, { cwd: dir, path: location.path });
        add({
          label: `${entry.short} ${entry.date} ${entry.subject}`.slice(0, 90),
          set: loaded.set,
          display: (file) => loaded.display(file).replace(entry.commit, entry.short),
        });
      } catch (error) {
        notes.push(
          `revision ${entry.short} (${entry.subject}) could not be loaded: ${error instanceof Error ? error.message.split('\n')[0]! : String(error)}`,
        );
      }
    }
  }
  for (const source of options.extra ?? []) add(source);
  return { revisions, notes };
}

export function pageData(options: {
  readonly revisions: readonly RevisionSource[];
  readonly fields: FieldCatalog;
  readonly at: number;
  readonly notes?: readonly string[];
}): PageData {
  return {
    at: formatInstant(options.at).slice(0, 10),
    revisions: options.revisions.map((source, i) => ({
      id: `r${i}`,
      label: source.label,
      set: portable(source),
    })),
    fields: options.fields.fields,
    notes: options.notes ?? [],
  };
}

/** The set as plain data, with source files as the reader sees them and no local folder. */
function portable(source: RevisionSource): AgreementSet {
  const display = source.display ?? ((file: string) => relative(dirname(source.set.dir), file));
  return JSON.parse(
    JSON.stringify({ ...source.set, dir: '' }, (key, value: unknown) =>
      key === 'file' && typeof value === 'string' ? display(value) : value,
    ),
  ) as AgreementSet;
}

let bundled: string | undefined;

/** The page's script: legal/page/client.ts and what it imports, for browsers, built once per process. */
export function clientBundle(): string {
  if (bundled === undefined) {
    const result = buildSync({
      entryPoints: [join(__dirname, 'client.ts')],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2020',
      minify: true,
      write: false,
      legalComments: 'none',
      logLevel: 'silent',
    });
    bundled = result.outputFiles[0]!.text.replace(/<\/script/gi, '<\\/script');
  }
  return bundled;
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The page's Content-Security-Policy: its own script and style only, no connection, no form post; served
 * as a header it also forbids framing (browsers ignore frame-ancestors in a <meta> policy).
 */
export function pageCsp(options: { readonly header?: boolean } = {}): string {
  const policy = `default-src 'none'; script-src ${sha256(clientBundle())}; style-src ${sha256(PAGE_STYLE)}; img-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'`;
  return options.header === true ? `${policy}; frame-ancestors 'none'` : policy;
}

export function buildPageHtml(data: PageData): string {
  const json = JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${pageCsp()}">`,
    '<title>Accord — legal review workbench</title>',
    `<style>${PAGE_STYLE}</style>`,
    '</head><body>',
    '<main id="app"><p>Loading the agreement sets…</p><noscript>This page runs the policy engine in your browser: enable JavaScript.</noscript></main>',
    `<script id="accord-data" type="application/json">${json}</script>`,
    `<script>${clientBundle()}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
