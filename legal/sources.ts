/**
 * Where the agreement sets the legal tools compare come from: a folder, or a git revision of the
 * repository's agreements/ folder (extracted with `git archive` into a temporary folder, loaded, and
 * removed). Also the history of agreements/ for the page's revision picker.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import {
  AgreementSetError,
  compilePolicy,
  DEFAULT_AGREEMENTS_DIR,
  loadAgreementSet,
  type AgreementSet,
  type Policy,
} from '../policy';
import { nearestNames } from '../vocabulary';
import { LegalInputError } from './LegalInputError';

export interface LoadedRevision {
  /** How the reader named it: a folder path or a git revision. */
  readonly label: string;
  readonly set: AgreementSet;
  readonly policy: Policy;
  /** The commit, for a git revision. */
  readonly commit?: string;
  /** A source file of the set as the reader should see it ("agreements/instruments/<file>.yaml", "HEAD~1:agreements/…"). */
  display(file: string): string;
}

export interface SourceOptions {
  /** Where relative folders and the git repository are looked up (default: the process's). */
  readonly cwd?: string;
  /** The agreements folder inside a revision (default: the shipped agreements/ relative to the repository root). */
  readonly path?: string;
}

/** A folder or a git revision. */
export function loadRevision(spec: string, options: SourceOptions = {}): LoadedRevision {
  const cwd = options.cwd ?? process.cwd();
  const given = resolve(cwd, spec);
  // A folder that holds an agreements/ folder (`.` at the repository's root, a checkout elsewhere) means
  // that agreements/ folder, as a revision does: `diff HEAD~1 .` compares like with like.
  const folder = isDirectory(join(given, AGREEMENTS_FOLDER)) ? join(given, AGREEMENTS_FOLDER) : given;
  if (isDirectory(folder)) {
    const set = loadAgreementSet(folder);
    return { label: spec, set, policy: compilePolicy(set), display: (file) => displayPath(file, cwd) };
  }
  return loadGitRevision(spec, cwd, options.path);
}

/** The name of the agreements folder in a checkout (agreements/ beside policy/). */
const AGREEMENTS_FOLDER = basename(DEFAULT_AGREEMENTS_DIR);

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

function loadGitRevision(spec: string, cwd: string, path: string | undefined): LoadedRevision {
  const root = gitRoot(cwd);
  if (root === undefined)
    throw new LegalInputError(
      `'${spec}' is not a folder, and ${cwd} is not in a git repository, so it cannot be a revision either`,
    );
  const commit = git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${spec}^{commit}`], root);
  if (commit === undefined) {
    const refs = (git(['for-each-ref', '--format=%(refname:short)'], root) ?? '').split('\n').filter(Boolean);
    const near = nearestNames(spec, ['HEAD', ...refs]);
    throw new LegalInputError(
      `'${spec}' is neither a folder nor a git revision (${near.length > 0 ? `did you mean ${near.join(', ')}? ` : ''}give a folder, or a revision such as HEAD, HEAD~1, a branch, a tag or a commit)`,
    );
  }
  const inside = path ?? relative(root, DEFAULT_AGREEMENTS_DIR);
  const temporary = mkdtempSync(join(tmpdir(), 'accord-revision-'));
  try {
    let archive: Buffer;
    try {
      archive = execFileSync('git', ['archive', '--format=tar', commit, '--', inside], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch {
      throw new LegalInputError(`revision ${spec} (${commit.slice(0, 12)}) has no folder '${inside}'`);
    }
    execFileSync('tar', ['-x', '-C', temporary], { input: archive });
    const prefix = `${join(temporary, inside)}/`;
    const display = (file: string): string =>
      file.startsWith(prefix)
        ? `${spec}:${inside}/${file.slice(prefix.length)}`
        : file.startsWith(temporary)
          ? `${spec}:${file.slice(temporary.length + 1)}`
          : file;
    let set: AgreementSet;
    try {
      set = loadAgreementSet(join(temporary, inside));
    } catch (error) {
      if (error instanceof AgreementSetError) {
        throw new AgreementSetError(
          `${spec}:${inside}`,
          error.problems.map((problem) => ({ ...problem, file: display(problem.file) })),
        );
      }
      throw error;
    }
    return { label: spec, set, policy: compilePolicy(set), commit, display };
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}

export interface HistoryEntry {
  readonly commit: string;
  readonly short: string;
  /** Commit date, YYYY-MM-DD. */
  readonly date: string;
  readonly subject: string;
}

/** The latest commits that changed an agreements folder (none when it is not in a git repository). */
export function agreementsHistory(agreementsDir: string, limit: number): HistoryEntry[] {
  const root = gitRoot(agreementsDir);
  if (root === undefined) return [];
  const out =
    git(
      ['log', `-n${limit}`, '--format=%H%x1f%h%x1f%cs%x1f%s', '--', relative(root, agreementsDir) || '.'],
      root,
    ) ?? '';
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [commit = '', short = '', date = '', subject = ''] = line.split('\x1f');
      return { commit, short, date, subject };
    });
}

/** A file path as a reader sees it: relative to the working folder when inside it. */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return rel.startsWith('..') ? file : rel;
}

/** The repository root and the folder's path inside it, when the folder is in a git repository. */
export function repositoryPath(dir: string): { root: string; path: string } | undefined {
  const root = gitRoot(dir);
  return root === undefined ? undefined : { root, path: relative(root, dir) || '.' };
}

function gitRoot(cwd: string): string | undefined {
  return git(['rev-parse', '--show-toplevel'], cwd);
}

function git(args: readonly string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}
