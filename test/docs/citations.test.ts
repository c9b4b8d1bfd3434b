/**
 * Every repository path a document, a comment or a message cites exists, and so does every anchor
 * (`docs/domain.md#invariants`). The citations are found by scanning the repository's text files, not
 * listed here, so a new comment that cites a missing file (or a bare upper-case name of a design note
 * that is not in the repository) turns this red.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
/** Not ours to scan: dependencies, git, runtime data, build output, and the changelog (history cites what was, by design). */
const SKIP_DIRS = new Set(['node_modules', '.git', 'data', 'dist', 'build', 'coverage', 'reports']);
const SKIP_FILES = new Set(['CHANGELOG.md', 'package-lock.json']);
const TEXT = /\.(md|ts|js|graphql|ya?ml|json)$/;

/** A path with at least one folder and a known extension, optionally with an anchor. */
const PATH =
  /(?<![\w@.\/$-])((?:\.\.?\/)*(?:[\w-]+\/)+[\w.-]+\.(?:md|ts|js|ya?ml|json|graphql))(?![\w])(#[\w-]+)?/g;
/** A bare upper-case document name (README, CONTRIBUTING): must be a file at the root or beside the citing file. */
const BARE_DOC = /(?<![\w\/.-])([A-Z][A-Z_]+\.md)(?![\w])(#[\w-]+)?/g;

function textFiles(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      // A mutation run's sandboxes (`.stryker-tmp`, or `.stryker-tmp-<name>` for a run of its own) are copies.
      if (!SKIP_DIRS.has(name) && !name.startsWith('.stryker-tmp')) found.push(...textFiles(path));
    } else if (TEXT.test(name) && !SKIP_FILES.has(name)) {
      found.push(path);
    }
  }
  return found;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const line of markdown.split('\n')) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading === null) continue;
    anchors.add(
      heading[1]!
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    );
  }
  return anchors;
}

interface Citation {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly target: string | undefined;
  readonly anchor: string | undefined;
}

/** Where a cited path resolves: beside the citing file for ./ and ../ (and Markdown links), else from the root. */
function targetOf(file: string, cited: string): string | undefined {
  const candidates = cited.startsWith('.')
    ? [resolve(dirname(file), cited)]
    : [join(ROOT, cited), resolve(dirname(file), cited)];
  return candidates.find((candidate) => candidate.startsWith(ROOT) && existsSync(candidate));
}

/**
 * What of a line is prose: all of it in documents and non-test code (comments and messages), only the
 * comment in tests, whose string literals are fixtures (the files of throw-away sets).
 */
function proseOf(file: string, line: string): string {
  if (!/^test\/.*\.ts$/.test(relative(ROOT, file))) return line;
  const comment = /^\s*(?:\/\/|\/?\*)|\s\/\/\s/.exec(line);
  return comment === null ? '' : line.slice(comment.index);
}

/** Output written at run time into an ignored place (data/, bench/results.json): cited, but not committed. */
const IGNORED = readFileSync(join(ROOT, '.gitignore'), 'utf8')
  .split('\n')
  .map((entry) => entry.trim().replace(/^\//, ''))
  .filter((entry) => entry.length > 0 && !entry.startsWith('#') && !entry.includes('*'));
const isIgnoredOutput = (cited: string): boolean =>
  IGNORED.some((entry) => (entry.endsWith('/') ? cited.startsWith(entry) : cited === entry));

function citationsOf(file: string): Citation[] {
  const citations: Citation[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .map((text) => proseOf(file, text))
    .forEach((line, i) => {
      for (const pattern of [PATH, BARE_DOC]) {
        for (const match of line.matchAll(pattern)) {
          const cited = match[1]!;
          // Paths inside URLs belong to other sites; package paths (@apollo/...) to other packages.
          const before = line.slice(0, match.index);
          if (/https?:\/\/\S*$/.test(before) || isIgnoredOutput(cited)) continue;
          citations.push({
            file: relative(ROOT, file),
            line: i + 1,
            text: match[0],
            target: targetOf(file, cited),
            anchor: match[2]?.slice(1),
          });
        }
      }
    });
  return citations;
}

const citations = textFiles(ROOT).flatMap(citationsOf);

describe('citations', () => {
  test('the scan finds citations of the domain model, the architecture and the style (it is not vacuous)', () => {
    const targets = new Set(citations.map((citation) => citation.target && relative(ROOT, citation.target)));
    for (const doc of ['docs/domain.md', 'docs/architecture.md', 'docs/style.md'])
      expect(targets.has(doc)).toBe(true);
  });

  test('every cited repository path exists', () => {
    const missing = citations
      .filter((citation) => citation.target === undefined)
      .map(({ file, line, text }) => `${file}:${line}: ${text}`);
    expect(missing).toEqual([]);
  });

  test('every cited anchor is a heading of the cited document', () => {
    const anchors = new Map<string, Set<string>>();
    const missing = citations
      .filter(
        (citation) =>
          citation.target !== undefined && citation.anchor !== undefined && citation.target.endsWith('.md'),
      )
      .filter(({ target, anchor }) => {
        let known = anchors.get(target!);
        if (known === undefined) anchors.set(target!, (known = anchorsOf(readFileSync(target!, 'utf8'))));
        return !known.has(anchor!);
      })
      .map(({ file, line, text }) => `${file}:${line}: ${text}`);
    expect(missing).toEqual([]);
  });
});
