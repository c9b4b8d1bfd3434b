/**
 * `diff`: two agreement sets (folders or git revisions) compared question by question; a deliberately
 * widened copy is caught by --fail-on-wider with the right example.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compilePolicy, DEFAULT_AGREEMENTS_DIR, loadAgreementSet, loadDefaultPolicy } from '../../policy';
import { diffPolicies } from '../../legal';
import { cli, removeCopies, scenarioCopy, TODAY, widenedCopy } from './support';

afterAll(removeCopies);

const policy = loadDefaultPolicy();

describe('diffPolicies', () => {
  test('the same rules in another layout: no change at all', () => {
    const reordered = scenarioCopy({
      'instruments/kr-kh-mlat-2021.yaml': [[/^# yaml-language-server.*\n/, '# reviewed copy\n']],
    });
    const diff = diffPolicies(policy, compilePolicy(loadAgreementSet(reordered)));
    expect(diff.changes).toEqual([]);
    expect(diff.questions).toBeGreaterThan(1000);
  });

  test('the widened copy: every widening, attributed to the clause, with a concrete example request', () => {
    const widened = compilePolicy(loadAgreementSet(widenedCopy()));
    const diff = diffPolicies(policy, widened, { reference: TODAY });
    expect(diff.counts).toEqual({ wider: 8, narrower: 0, rebased: 0 });
    expect(diff.groups.map((group) => group.key)).toEqual(['kr-th-police-mou-2019/information-exchange']);
    const change = diff.changes.find(
      (item) => item.requester === 'TH' && item.owner === 'KR' && item.purpose === 'investigation',
    )!;
    expect(change).toMatchObject({
      category: 'person.biometrics',
      direction: 'wider',
      before: { effect: 'hit-only' },
      after: { effect: 'release' },
      needs: 'a case reference',
    });
    // The example is a real request that gets the two answers.
    expect(policy.decide(change.example.input).effect).toBe('hit-only');
    expect(widened.decide(change.example.input).effect).toBe('release');
    expect(change.example.input).toMatchObject({
      owner: 'KR',
      category: 'person.biometrics',
      at: TODAY,
      requester: { country: 'TH', purpose: 'investigation', caseReference: expect.any(String) },
    });
    expect(change.stretches).toEqual([{ from: Date.parse('2019-11-25T00:00:00Z'), until: Infinity }]);
  });

  test('narrower and time-bound changes: an agreement that now ends earlier', () => {
    const shortened = compilePolicy(
      loadAgreementSet(
        scenarioCopy({
          'instruments/breaking-chains-operation-2025.yaml': [['until: 2027-10-31', 'until: 2026-10-31']],
        }),
      ),
    );
    const diff = diffPolicies(policy, shortened);
    expect(diff.counts.wider).toBe(0);
    expect(diff.counts.narrower).toBeGreaterThan(0);
    // Where the operation gave the reference, another clause may now give it: the same effect, another basis.
    expect(
      diff.changes
        .filter((change) => change.direction === 'rebased')
        .every((change) => change.category === 'meta.reference'),
    ).toBe(true);
    for (const change of diff.changes.filter((item) => item.direction === 'narrower')) {
      expect(change.clause?.agreement).toBe('breaking-chains-operation-2025');
      expect(change.stretches).toEqual([
        { from: Date.parse('2026-11-01T00:00:00Z'), until: Date.parse('2027-11-01T00:00:00Z') },
      ]);
    }
  });
});

describe('npm run policy -- diff', () => {
  test('--fail-on-wider exits 1 on the widened copy and prints the example', () => {
    const run = cli(['diff', DEFAULT_AGREEMENTS_DIR, widenedCopy(), '--fail-on-wider']);
    expect(run.status).toBe(1);
    expect(run.err).toContain('8 change(s) widen what crosses a border');
    expect(run.out).toContain(
      '## KR–TH Police MoU 2019 art. 3(1) (kr-th-police-mou-2019/information-exchange) — in the new set',
    );
    expect(run.out).toContain(
      '| WIDER | TH | KR | investigation | person.biometrics | hit-only under KR–TH Police MoU 2019 art. 3(1) (H1, retention 730 d, onward forbidden, evidence forbidden) | release under KR–TH Police MoU 2019 art. 3(1) (H1, retention 730 d, onward forbidden, evidence forbidden) | a case reference | from 2019-11-25 on |',
    );
    expect(run.out).toContain(
      'WIDER: a TH analyst asks for person.biometrics of a KR record (purpose investigation) on 2026-06-01 12:00 UTC, carrying a case reference',
    );
  });

  test('identical sets pass --fail-on-wider; a narrowing does too', () => {
    expect(cli(['diff', DEFAULT_AGREEMENTS_DIR, DEFAULT_AGREEMENTS_DIR, '--fail-on-wider'])).toMatchObject({
      status: 0,
    });
    const narrowed = scenarioCopy({
      'instruments/kr-th-police-mou-2019.yaml': [['      person.biometrics: hit-only\n', '']],
    });
    const run = cli(['diff', DEFAULT_AGREEMENTS_DIR, narrowed, '--fail-on-wider', '--format', 'json']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.out).counts).toEqual({ wider: 0, narrower: 8, rebased: 0 });
  });

  describe('two git revisions', () => {
    let repo: string;
    beforeAll(() => {
      repo = mkdtempSync(join(tmpdir(), 'accord-legal-git-'));
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
      const mou = join(repo, 'agreements', 'instruments', 'kr-th-police-mou-2019.yaml');
      writeFileSync(
        mou,
        readFileSync(mou, 'utf8').replace(
          '      person.biometrics: hit-only',
          '      person.biometrics: release',
        ),
      );
      git('commit', '-q', '-am', 'widen biometrics');
    });
    afterAll(() => rmSync(repo, { recursive: true, force: true }));

    test('HEAD~1 → HEAD is caught by --fail-on-wider, with file paths at the revision', () => {
      const run = cli(
        ['diff', 'HEAD~1', 'HEAD', '--path', 'agreements', '--fail-on-wider', '--at', '2026-06-01'],
        repo,
      );
      expect(run.status).toBe(1);
      expect(run.out).toContain('# What changes from HEAD~1 to HEAD');
      expect(run.out).toContain('| WIDER | KR | TH | investigation | person.biometrics |');
    });

    test('a revision and a folder compare too; an unknown revision gets the nearest names', () => {
      expect(cli(['diff', 'HEAD', 'agreements', '--path', 'agreements'], repo).status).toBe(0);
      const run = cli(['diff', 'HAED', 'HEAD', '--path', 'agreements'], repo);
      expect(run.status).toBe(2);
      expect(run.err).toContain("'HAED' is neither a folder nor a git revision (did you mean HEAD?");
      expect(cli(['diff', 'HEAD', 'HEAD', '--path', 'agremeents'], repo).err).toContain(
        "has no folder 'agremeents'",
      );
    });
  });
});
