/**
 * `npm run desk` (subgraphs/desk/cli.ts) on the member's own machine: lists requests with the overdue
 * first and marked, shows one with its history (free text cannot write on the terminal), and approves,
 * refuses, asks and revokes through the same decisions as the API; a refusal by the desk changes nothing
 * and exits 1, bad usage exits 2. The route comes from the agreement set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDefaultPolicy } from '../../policy';
import { REFUSAL_GROUNDS } from '../../vocabulary';
import { deskCommand } from '../../subgraphs/desk/cli';
import {
  deskFile,
  ensureGrantKey,
  grantKeyFile,
  openGrantStore,
  openRequestStore,
  type FollowUpFiling,
} from '../../subgraphs/desk';

const policy = loadDefaultPolicy();
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 5, 1, 9);

const ROUTE = (() => {
  for (const agreement of policy.set.agreements) {
    for (const clause of agreement.clauses.filter(
      (c) => c.conditions.requestReference === true && c.obligations.evidentiaryUse !== 'forbidden',
    )) {
      const { from, to } =
        clause.direction === 'both' ? { from: agreement.parties, to: agreement.parties } : clause.direction;
      for (const owner of from) {
        const sensitive: readonly string[] =
          policy.set.members.find((m) => m.code === owner)?.desk?.twoApproverCategories ?? [];
        const categories = Object.keys(clause.categories).filter((c) => !sensitive.includes(c));
        const requester = to.find((country) => country !== owner);
        if (requester !== undefined && categories.length >= 2)
          return { agreement, clause, owner, requester, categories };
      }
    }
  }
  throw new Error('no clause bound to a formal request');
})();

let dir: string;
let at = T0;
let out: string[];
let err: string[];

function desk(...argv: string[]): number {
  out = [];
  err = [];
  return deskCommand(argv, {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    dataDir: dir,
    now: () => at,
  });
}

function file(change: Partial<FollowUpFiling> = {}, dueInMs = 3 * DAY) {
  const store = openRequestStore({ owner: ROUTE.owner, file: deskFile(ROUTE.owner, dir) });
  try {
    return store.file(
      {
        owner: ROUTE.owner,
        requesterCountry: ROUTE.requester,
        analyst: 'lee.h',
        authority: 'National Police',
        caseReference: `${ROUTE.requester}-CAS-000001`,
        offences: ['fraud'],
        facts: 'Paid into accounts.\n\u001b[2J\u202eforged line',
        subjects: [`${ROUTE.owner}-SUS-000001`],
        categories: ROUTE.categories,
        purpose: ROUTE.clause.purposes[0]!,
        agreement: ROUTE.agreement.id,
        clauses: [ROUTE.clause.id],
        urgency: 'normal',
        intendedUse: 'evidence',
        confidentiality: 'none',
        ...change,
      },
      at,
      at + dueInMs,
    );
  } finally {
    store.close();
  }
}

function grantOf(id: string) {
  const store = openGrantStore({
    owner: ROUTE.owner,
    file: deskFile(ROUTE.owner, dir),
    key: ensureGrantKey(grantKeyFile(ROUTE.owner, dir)),
  });
  try {
    return { grant: store.get(id), approvals: store.approvals(id) };
  } finally {
    store.close();
  }
}

function stateOf(id: string) {
  const store = openRequestStore({ owner: ROUTE.owner, file: deskFile(ROUTE.owner, dir) });
  try {
    return store.get(id);
  } finally {
    store.close();
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'accord-desk-cli-'));
  at = T0;
  // The desk the member's service makes when it starts (npm start): npm run desk refuses a folder without it.
  openRequestStore({ owner: ROUTE.owner, file: deskFile(ROUTE.owner, dir) }).close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** `approve` by officer desk.one of one category for 7 days, with `more` options after them. */
function approve(requestId: string, category: string, ...more: string[]): number {
  return desk(
    'approve',
    '--country',
    ROUTE.owner,
    '--officer',
    'desk.one',
    '--request',
    requestId,
    '--category',
    category,
    '--days',
    '7',
    ...more,
  );
}

test('approve takes the officer choices and the rest from the request', () => {
  const request = file();
  expect(approve(request.id, ROUTE.categories[1]!, '--no-evidence')).toBe(0);
  expect(out.join('\n')).toMatch(`grant ${request.id}`);
  const { grant, approvals } = grantOf(request.id);
  expect(grant).toMatchObject({
    categories: [ROUTE.categories[1]],
    validUntil: T0 + 7 * DAY,
    evidentiaryUse: false,
    analysts: ['lee.h'],
    clauses: [ROUTE.clause.id],
    subjects: request.subjects,
    caseReference: request.caseReference,
  });
  expect(approvals?.approvedBy).toEqual([`${ROUTE.owner}/desk.one`]);
  // A second decision is told, and changes nothing.
  expect(
    desk(
      'refuse',
      '--country',
      ROUTE.owner,
      '--officer',
      'desk.two',
      '--request',
      request.id,
      '--ground',
      REFUSAL_GROUNDS[0].code,
    ),
  ).toBe(1);
  expect(err.join('\n')).toMatch('already approved');
  expect(desk('revoke', '--country', ROUTE.owner, '--officer', 'desk.two', '--grant', request.id)).toBe(0);
  expect(grantOf(request.id).grant?.revokedAt).toBe(T0);
});

test("a request for evidentiary use is approved only with the officer's explicit choice", () => {
  const asked = file({ intendedUse: 'evidence' });
  const choose = (...choice: string[]): number => approve(asked.id, ROUTE.categories[0]!, ...choice);
  // Neither: no default, nothing changes.
  expect(choose()).toBe(2);
  expect(err.join('\n')).toMatch(
    'asks for evidentiary use: approve with --evidence to allow it, or --no-evidence',
  );
  expect(stateOf(asked.id)).toEqual(asked);
  expect(grantOf(asked.id).grant).toBeUndefined();
  // Both: refused as usage, nothing changes.
  expect(choose('--evidence', '--no-evidence')).toBe(2);
  expect(grantOf(asked.id).grant).toBeUndefined();
  // The explicit choice is what the grant says.
  expect(choose('--evidence')).toBe(0);
  expect(grantOf(asked.id).grant?.evidentiaryUse).toBe(true);

  // A request for intelligence only: no choice needed, and evidence is never granted.
  const intelligence = file({ intendedUse: 'intelligence' });
  expect(approve(intelligence.id, ROUTE.categories[0]!)).toBe(0);
  expect(grantOf(intelligence.id).grant?.evidentiaryUse).toBe(false);
});

test('an approval of more than was requested exits 1 and changes nothing', () => {
  const request = file({ categories: [ROUTE.categories[0]!] });
  expect(approve(request.id, ROUTE.categories[1]!, '--no-evidence')).toBe(1);
  expect(err.join('\n')).toMatch('was not requested');
  expect(stateOf(request.id)).toEqual(request);
  expect(grantOf(request.id).grant).toBeUndefined();
});

test('refuse needs a ground from the list and says which; ask waits for an answer', () => {
  const request = file();
  expect(
    desk(
      'refuse',
      '--country',
      ROUTE.owner,
      '--officer',
      'desk.one',
      '--request',
      request.id,
      '--ground',
      'because',
    ),
  ).toBe(1);
  for (const ground of REFUSAL_GROUNDS) expect(err.join('\n')).toContain(ground.code);
  expect(stateOf(request.id)).toEqual(request);
  expect(
    desk(
      'ask',
      '--country',
      ROUTE.owner,
      '--officer',
      'desk.one',
      '--request',
      request.id,
      '--question',
      'Which transfers link the subject to the victims?',
    ),
  ).toBe(0);
  expect(stateOf(request.id)?.state).toBe('info-requested');
  expect(
    desk(
      'refuse',
      '--country',
      ROUTE.owner,
      '--officer',
      'desk.one',
      '--request',
      request.id,
      '--ground',
      REFUSAL_GROUNDS[0].code,
      '--note',
      'No answer came.',
    ),
  ).toBe(0);
  expect(stateOf(request.id)).toMatchObject({ state: 'refused', ground: REFUSAL_GROUNDS[0].code });
});

test('list puts the overdue first and marks them; show prints the history without letting free text write on the terminal', () => {
  const later = file({}, 5 * DAY);
  const overdue = file({}, DAY);
  at += 2 * DAY;
  expect(desk('list', '--country', ROUTE.owner)).toBe(0);
  const lines = out.filter((line) => line.includes(`${ROUTE.owner}-FUR-`));
  expect(lines[0]).toMatch(new RegExp(`^OVERDUE\\s+${overdue.id}`));
  expect(lines[1]).toContain(later.id);
  expect(lines[1]).not.toContain('OVERDUE');
  expect(desk('show', '--country', ROUTE.owner, overdue.id)).toBe(0);
  const shown = out.join('\n');
  expect(shown).toContain('filed');
  expect(shown).not.toMatch(/[\u001b\u202e]/);
  expect(shown).toContain('\\n\\x1b[2J\\u202Eforged line');
});

test('bad usage exits 2 with the usage, grounds included', () => {
  expect(desk('approve', '--country', ROUTE.owner, '--officer', 'desk.one')).toBe(2);
  expect(err.join('\n')).toMatch(/approve needs --request, --category, --days/);
  expect(err.join('\n')).toContain(REFUSAL_GROUNDS[0].code);
  expect(desk('list', '--country', 'ZZ')).toBe(2);
  expect(desk('frobnicate', '--country', ROUTE.owner)).toBe(2);
  expect(
    desk(
      'approve',
      '--country',
      ROUTE.owner,
      '--officer',
      'desk.one',
      '--request',
      'x',
      '--category',
      'y',
      '--days',
      'ten',
    ),
  ).toBe(2);
});
