/**
 * `diff` sees who a joint team names: an analyst added to a team lets one more person receive what the
 * team's clauses release (wider), one removed lets one fewer (narrower), and a renamed member is both.
 * The sweep asks as every member any version of the team names, not only as the first per country.
 */
import { compilePolicy, DEFAULT_AGREEMENTS_DIR, loadAgreementSet, loadDefaultPolicy } from '../../policy';
import { diffPolicies } from '../../legal';
import { cli, removeCopies, scenarioCopy } from './support';

afterAll(removeCopies);

const policy = loadDefaultPolicy();
const TEAM_FILE = 'instruments/kr-kh-joint-task-force-2025.yaml';
const KR_MEMBERS = 'KR: [kim.j, park.s]';

function teamCopy(members: string): string {
  return scenarioCopy({ [TEAM_FILE]: [[KR_MEMBERS, members]] });
}

describe('diff sees a joint team’s members', () => {
  test('a member added is wider, in the answers and in the text, and --fail-on-wider exits 1', () => {
    const dir = teamCopy('KR: [kim.j, park.s, lee.h]');
    const diff = diffPolicies(policy, compilePolicy(loadAgreementSet(dir)));
    expect(diff.counts.narrower).toBe(0);
    expect(diff.counts.wider).toBeGreaterThan(0);
    // Every wider answer is lee.h's, a KR analyst, now named.
    for (const change of diff.changes.filter((item) => item.direction === 'wider'))
      expect(change).toMatchObject({ requester: 'KR', owner: 'KH' });
    expect(new Set(diff.clauseChanges.map((item) => `${item.what} ${item.direction}`))).toEqual(
      new Set(['conditions.jointTeam wider']),
    );
    const run = cli(['diff', DEFAULT_AGREEMENTS_DIR, dir, '--fail-on-wider']);
    expect(run.status).toBe(1);
    expect(run.out).toMatch(
      /- in the text: [1-9]\d* wider, 0 narrower, 0 changed: kr-kh-joint-task-force-2025\//,
    );
  });

  test('a member removed is narrower, and --fail-on-wider passes', () => {
    const dir = teamCopy('KR: [kim.j]');
    const diff = diffPolicies(policy, compilePolicy(loadAgreementSet(dir)));
    expect(diff.counts.wider).toBe(0);
    expect(diff.counts.narrower).toBeGreaterThan(0);
    expect(new Set(diff.clauseChanges.map((item) => `${item.what} ${item.direction}`))).toEqual(
      new Set(['conditions.jointTeam narrower']),
    );
    expect(cli(['diff', DEFAULT_AGREEMENTS_DIR, dir, '--fail-on-wider']).status).toBe(0);
  });

  test('a member renamed is both: the new name wider, the old one narrower', () => {
    const dir = teamCopy('KR: [kim.x, park.s]');
    const diff = diffPolicies(policy, compilePolicy(loadAgreementSet(dir)));
    expect(diff.counts.wider).toBeGreaterThan(0);
    expect(diff.counts.narrower).toBeGreaterThan(0);
    expect(new Set(diff.clauseChanges.map((item) => `${item.what} ${item.direction}`))).toEqual(
      new Set(['conditions.jointTeam changed']),
    );
    expect(cli(['diff', DEFAULT_AGREEMENTS_DIR, dir, '--fail-on-wider']).status).toBe(1);
  });
});
