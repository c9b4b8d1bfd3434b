/**
 * The desk's approval check (subgraphs/desk/approval.ts) and the signed grant store: what a desk officer
 * approves becomes a grant only within the clauses it names, and a store row the owner's key did not sign
 * is no grant. Clauses and categories come from the agreement set.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadDefaultPolicy } from '../../policy';
import { CATEGORIES, META_REFERENCE } from '../../vocabulary';
import { checkApproval, openGrantStore, type ApprovalRequest } from '../../subgraphs/desk';

const policy = loadDefaultPolicy();
const agreement = policy.set.agreements.find((a) =>
  a.clauses.some((c) => c.conditions.requestReference === true && c.direction === 'both'),
)!;
const clause = agreement.clauses.find(
  (c) => c.conditions.requestReference === true && c.direction === 'both',
)!;
const [owner, requester] = agreement.parties as [string, string];
const named = Object.keys(clause.categories);
const base: ApprovalRequest = {
  id: 'G-1',
  owner,
  requesterCountry: requester,
  analysts: ['analyst.one'],
  caseReference: `${requester}-CAS-000001`,
  purpose: clause.purposes[0]!,
  agreement: agreement.id,
  clauses: [clause.id],
  subjects: [`${owner}-SUS-000001`],
  categories: named,
  validFrom: Date.parse('2026-06-01T00:00:00Z'),
  validDays: 30,
  evidentiaryUse: true,
  approvers: [`${owner}/desk.officer`],
};

test('an approval within the clause becomes a grant for exactly what it names, for its days', () => {
  const checked = checkApproval(policy, base);
  expect(checked).toMatchObject({
    ok: true,
    grant: { clauses: [clause.id], categories: named, validUntil: base.validFrom + 30 * 86_400_000 },
  });
});

test.each<[string, Partial<ApprovalRequest>, RegExp]>([
  [
    'a category the clause does not name',
    { categories: [...named, CATEGORIES.find((c) => c !== META_REFERENCE && !named.includes(c))!] },
    /never widens a clause/,
  ],
  [
    'an approver of another country',
    { approvers: [`${requester}/desk.officer`] },
    /is not a desk officer of/,
  ],
  [
    'the requesting analyst approving',
    { approvers: [`${requester}/analyst.one`] },
    /cannot approve their own request/,
  ],
  ['a subject of another owner', { subjects: [`${requester}-SUS-000001`] }, /is not a record of/],
  ['an unknown clause', { clauses: ['no-such-clause'] }, /has no clause/],
  ['a validity of 0 days', { validDays: 0 }, /whole number of days/],
])('refuses %s, saying why', (_what, change, message) => {
  const checked = checkApproval(policy, { ...base, ...change });
  expect(checked.ok).toBe(false);
  expect(checked.ok ? [] : checked.problems).toEqual(
    expect.arrayContaining([expect.stringMatching(message)]),
  );
});

test('a grant row edited in the store, or signed with another key, opens nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'accord-desk-'));
  try {
    const file = join(dir, 'desk.sqlite');
    const key = generateKeyPairSync('ed25519').privateKey;
    const store = openGrantStore({ owner, file, key });
    const checked = checkApproval(policy, base);
    if (!checked.ok) throw new Error(checked.problems.join('; '));
    store.issue(checked.grant, ['desk.officer']);
    expect(store.get('G-1')?.subjects).toEqual(base.subjects);
    const db = new Database(file);
    db.prepare("UPDATE grants SET body = replace(body, ?, ?) WHERE id = 'G-1'").run(
      base.subjects[0],
      `${owner}-SUS-000002`,
    );
    db.close();
    expect(store.get('G-1')).toBeUndefined();
    store.close();
    const other = openGrantStore({ owner, file: join(dir, 'other.sqlite'), key });
    other.issue({ ...checked.grant, id: 'G-2' }, ['desk.officer']);
    other.close();
    const reopened = openGrantStore({
      owner,
      file: join(dir, 'other.sqlite'),
      key: generateKeyPairSync('ed25519').privateKey,
    });
    expect(reopened.get('G-2')).toBeUndefined();
    reopened.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
