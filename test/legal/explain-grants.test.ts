/**
 * The workbench explains the grant a request names (issue 9 item 6): `npm run policy -- explain --request
 * REF` reads the owner's grants — from its grant store in a data folder (read-only) or from a file — and
 * says whether the grant is valid, expired, revoked, not yet valid or out of scope, and which of requester
 * country, analyst, case, purpose, agreement/clause, subject and category does not match. A reference the
 * owner holds no grant for is said plainly to open nothing. The decision shown is the owner's, with the grant.
 *
 * The grant is the scenario's MLA-2026-0042; what it covers and what it does not is read from the
 * agreements, not listed here.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDefaultPolicy, type Grant } from '../../policy';
import { deskFile, ensureGrantKey, grantKeyFile, openGrantStore } from '../../subgraphs/desk';
import { META_REFERENCE } from '../../vocabulary';
import { MLA_2026_0042 } from '../support/grants';
import { cli } from './support';

const DAY = 86_400_000;
const policy = loadDefaultPolicy();
const GRANT: Grant = {
  ...MLA_2026_0042,
  validFrom: Date.parse('2026-06-01T00:00:00Z'),
  validUntil: Date.parse('2026-07-01T00:00:00Z'),
};
const INSIDE = '2026-06-10T12:00Z';
const agreement = policy.set.agreements.find((a) => a.id === GRANT.agreement)!;
const named = (clauseId: string) => Object.keys(agreement.clauses.find((c) => c.id === clauseId)!.categories);
/** A category one of the grant's clauses names but the grant does not give. */
const UNGRANTED = GRANT.clauses
  .flatMap(named)
  .find((c) => c !== META_REFERENCE && !(GRANT.categories as readonly string[]).includes(c))!;
/** A granted category the grant's first clause alone does not name (for a grant narrowed to that clause). */
const OUTSIDE_FIRST_CLAUSE = GRANT.categories.find((c) => !named(GRANT.clauses[0]!).includes(c))!;
/** A member other than the two parties, and a purpose other than the grant's. */
const THIRD = policy.set.members
  .map((m) => m.code)
  .find((c) => c !== GRANT.owner && c !== GRANT.requesterCountry)!;
const OTHER_PURPOSE = ['victim_rescue', 'fugitive_location', 'investigation'].find(
  (p) => p !== GRANT.purpose,
)!;

let dir: string;
let dataDir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'accord-explain-grants-'));
  dataDir = join(dir, 'data');
  // The owner's desk as `npm run desk -- approve` leaves it: the store and the key in the data folder.
  const store = openGrantStore({
    owner: GRANT.owner,
    file: deskFile(GRANT.owner, dataDir),
    key: ensureGrantKey(grantKeyFile(GRANT.owner, dataDir)),
  });
  store.issue(GRANT, ['desk.kh']);
  store.issue({ ...GRANT, id: 'MLA-REVOKED' }, ['desk.kh']);
  store.revoke('MLA-REVOKED', Date.parse('2026-06-05T00:00:00Z'), 'desk.kh');
  store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Explained {
  decision: { effect: string; grant?: string };
  grant?: { state: string; mismatches: { aspect: string }[]; subjectOpen: boolean; text: string };
}

/** The scenario's request as the grant's analyst makes it, with changes; explained as JSON. */
function explain(change: Record<string, string> = {}, source: string[] = ['--data-dir', dataDir]): Explained {
  const options: Record<string, string> = {
    requester: GRANT.requesterCountry,
    analyst: GRANT.analysts[0]!,
    purpose: GRANT.purpose,
    case: GRANT.caseReference,
    request: GRANT.id,
    owner: GRANT.owner,
    category: GRANT.categories[0]!,
    'record-id': GRANT.subjects[0]!,
    at: INSIDE,
    ...change,
  };
  const argv = [
    'explain',
    ...Object.entries(options)
      .filter(([, v]) => v !== '')
      .flatMap(([k, v]) => [`--${k}`, v]),
    ...source,
    '--format',
    'json',
  ];
  const run = cli(argv);
  expect({ status: run.status, err: run.err }).toEqual({ status: 0, err: '' });
  return JSON.parse(run.out) as Explained;
}

const aspects = (explained: Explained) => explained.grant!.mismatches.map((m) => m.aspect);

describe('explain names the grant a request reference names', () => {
  test('valid: in force and covering the question; the owner releases under it', () => {
    const explained = explain();
    expect(explained.grant).toMatchObject({ state: 'valid', mismatches: [], subjectOpen: false });
    expect(explained.decision).toMatchObject({ effect: 'release', grant: GRANT.id });
  });

  test.each([
    ['expired', { at: new Date(GRANT.validUntil + DAY).toISOString() }],
    ['not-yet-valid', { at: new Date(GRANT.validFrom - DAY).toISOString() }],
    ['revoked', { request: 'MLA-REVOKED' }],
  ])('%s: opens nothing, and says so', (state, change) => {
    const explained = explain(change);
    expect(explained.grant).toMatchObject({ state, mismatches: [] });
    expect(explained.decision.effect).not.toBe('release');
    expect(explained.decision.grant).toBeUndefined();
  });

  test.each<[string, Record<string, string>]>([
    ['requester country', { requester: THIRD, case: `${THIRD}-CAS-000001` }],
    ['analyst', { analyst: 'someone.else' }],
    ['case', { case: `${GRANT.requesterCountry}-CAS-000002` }],
    ['purpose', { purpose: OTHER_PURPOSE }],
    ['subject', { 'record-id': `${GRANT.owner}-SUS-000002` }],
    ['category', { category: UNGRANTED }],
  ])('out of scope by %s: names what does not match', (aspect, change) => {
    const explained = explain(change);
    expect(explained.grant!.state).toBe('out-of-scope');
    expect(aspects(explained)).toContain(aspect);
    expect(explained.decision.grant).toBeUndefined();
  });

  test('a category the grant gives but none of its clauses names: out of scope by clause (a grant never widens its clause)', () => {
    const file = join(dir, 'narrowed.json');
    writeFileSync(file, JSON.stringify([{ ...GRANT, clauses: [GRANT.clauses[0]] }]));
    const explained = explain({ category: OUTSIDE_FIRST_CLAUSE }, ['--grants', file]);
    expect(explained.grant!.state).toBe('out-of-scope');
    expect(aspects(explained)).toEqual(['clause']);
  });

  test('no record given: the grant is in force, and the owner decides record by record', () => {
    const explained = explain({ 'record-id': '' });
    expect(explained.grant).toMatchObject({ state: 'valid', subjectOpen: true });
    expect(explained.grant!.text).toContain(GRANT.subjects[0]);
  });

  test('an unknown reference: the owner holds no such grant, and it opens nothing', () => {
    const explained = explain({ request: 'ZZ-made-up-1' });
    expect(explained.grant).toMatchObject({ state: 'unknown' });
    expect(explained.grant!.text).toMatch(/holds no grant "ZZ-made-up-1".*opens nothing/);
    const without = explain({ request: '' }, []);
    expect(without.grant).toBeUndefined();
    expect(explained.decision).toEqual(without.decision);
  });

  test('the text names the reference carried where a clause still needs one, rather than asking for one', () => {
    const reference = 'ZZ-made-up-1';
    const argv = Object.entries({
      requester: GRANT.requesterCountry,
      analyst: GRANT.analysts[0]!,
      purpose: GRANT.purpose,
      case: GRANT.caseReference,
      request: reference,
      owner: GRANT.owner,
      category: GRANT.categories[0]!,
      at: INSIDE,
      'data-dir': dataDir,
    }).flatMap(([k, v]) => [`--${k}`, v]);
    const run = cli(['explain', ...argv]);
    expect(run.status).toBe(0);
    const needs = `needs a request reference that names a grant ${GRANT.owner} holds covering this question`;
    const carried = `the one carried, ${reference}, does not (see "Grant named by the request reference" below)`;
    const failing = run.out.split('\n').filter((line) => line.includes('needs a request reference'));
    // Each clause that fails on it, and each route, says so: none asks for a reference as if none were given.
    expect(failing.length).toBeGreaterThan(0);
    for (const line of failing)
      expect([line, line.includes(needs) && line.includes(carried)]).toEqual([line, true]);
    expect(run.out).toMatch(/## Grant named by the request reference: UNKNOWN/);
  });

  test('the text explanation says it in words', () => {
    const run = cli([
      'explain',
      '--requester',
      GRANT.requesterCountry,
      '--analyst',
      GRANT.analysts[0]!,
      '--purpose',
      GRANT.purpose,
      '--case',
      `${GRANT.requesterCountry}-CAS-000009`,
      '--request',
      GRANT.id,
      '--owner',
      GRANT.owner,
      '--category',
      GRANT.categories[0]!,
      '--at',
      INSIDE,
      '--data-dir',
      dataDir,
    ]);
    expect(run.status).toBe(0);
    expect(run.out).toMatch(/## Grant named by the request reference: OUT OF SCOPE/);
    expect(run.out).toContain(
      `- ✗ case: granted ${GRANT.caseReference}; asked ${GRANT.requesterCountry}-CAS-000009`,
    );
  });

  test('grants as npm run desk -- list prints them (JSON lines, ISO times) are read from a file', () => {
    const file = join(dir, 'listed.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({ state: 'valid', ...GRANT, validFrom: new Date(GRANT.validFrom).toISOString(), validUntil: new Date(GRANT.validUntil).toISOString() })}\n`,
    );
    expect(explain({}, ['--grants', file]).grant).toMatchObject({ state: 'valid' });
  });

  test('the data folder is only read: nothing is created in it', () => {
    const listing = () => [...readdirSync(dataDir), ...readdirSync(join(dataDir, 'desk'))].sort();
    const before = listing();
    explain();
    expect(listing()).toEqual(before);
  });

  test('a grants file that is not one is refused with where and why', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify([{ ...GRANT, categories: ['person.shoe_size'] }]));
    const run = cli([
      'explain',
      '--requester',
      'KR',
      '--owner',
      GRANT.owner,
      '--category',
      'person.identity',
      '--request',
      GRANT.id,
      '--grants',
      file,
    ]);
    expect(run.status).toBe(2);
    expect(run.err).toMatch(/item 1: "person.shoe_size" is not a data category/);
  });
});
