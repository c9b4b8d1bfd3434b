// `npm run policy -- diff HEAD~1 . --fail-on-wider`, as legal/README.md and the usage give it (review
// finding 4): a folder that holds agreements/ means that agreements/ folder, as a git revision does.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_AGREEMENTS_DIR } from '../../policy';
import { cli } from './support';

let repo: string;
beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'accord-legal-dot-'));
  const git = (...args: string[]) =>
    execFileSync(
      'git',
      [
        '-c',
        'user.name=Legal Test',
        '-c',
        'user.email=legal@example.invalid',
        '-c',
        'commit.gpgsign=false',
        ...args,
      ],
      { cwd: repo, stdio: 'pipe' },
    );
  git('init', '-q');
  cpSync(DEFAULT_AGREEMENTS_DIR, join(repo, 'agreements'), {
    recursive: true,
    filter: (source) => !source.endsWith('.ts'),
  });
  git('add', '.');
  git('commit', '-q', '-m', 'scenario');
  git('commit', '-q', '--allow-empty', '-m', 'nothing');
  // Widened in the work tree only: `.` must read it, HEAD~1 must not.
  const mou = join(repo, 'agreements', 'instruments', 'kr-th-police-mou-2019.yaml');
  writeFileSync(
    mou,
    readFileSync(mou, 'utf8').replace(
      '      person.biometrics: hit-only',
      '      person.biometrics: release',
    ),
  );
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

test('`.` at the root of a checkout is its agreements/ folder', () => {
  const run = cli(
    ['diff', 'HEAD~1', '.', '--path', 'agreements', '--fail-on-wider', '--at', '2026-06-01'],
    repo,
  );
  expect(run.status).toBe(1);
  expect(run.out).toContain('| WIDER | KR | TH | investigation | person.biometrics |');
});

test('any folder that holds agreements/ means that agreements/ folder', () => {
  const run = cli(
    ['diff', join(repo, 'agreements'), repo, '--fail-on-wider', '--at', '2026-06-01'],
    tmpdir(),
  );
  expect(run).toMatchObject({ status: 0 });
});

test('the command as documented, in this repository', () => {
  // Whatever the work tree holds, `.` is read as a set: no input error (exit 2).
  const run = cli(['diff', 'HEAD', '.', '--at', '2026-06-01'], join(DEFAULT_AGREEMENTS_DIR, '..'));
  expect(run.err).toBe('');
  expect(run.status).toBe(0);
});
