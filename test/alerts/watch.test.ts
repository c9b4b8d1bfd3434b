import {
  IDENTIFIER_FIELDS,
  IDENTIFIER_KINDS,
  MAX_WATCH_DAYS,
  WatchError,
  createWatch,
  identifierCategory,
  readHeldWatch,
  renewWatch,
  MAX_WATCH_MS,
  MAX_WATCH_IDENTIFIERS,
} from '../../alerts';
import { JUSTIFICATION_MAX_CHARACTERS, REFERENCE } from '../../policy';
import { MEMBERS, readCommittedSupergraph, readFieldCategories } from '../../schema';
import { META_REFERENCE } from '../../vocabulary';
import { TEST_NOW } from '../support/alliance';

const DAY = 86_400_000;
const watcher = { country: 'KR', analyst: 'kim.j' };
const request = {
  caseReference: 'KR-CAS-000001',
  purpose: 'border_alert',
  identifiers: [
    { kind: 'passport', number: 'M55503183', issuingCountry: 'KR' },
    { kind: 'phone', number: '010-5552-3318', country: 'KR' },
  ],
  justification: 'Suspected organiser of a scam compound; expected to travel soon.',
  days: 30,
};

/** The problems a refused request is refused with (and that it was refused). */
function refusal(input: unknown): readonly string[] {
  try {
    createWatch(input, watcher, TEST_NOW);
  } catch (error) {
    expect(error).toBeInstanceOf(WatchError);
    return (error as WatchError).problems;
  }
  throw new Error('the request was not refused');
}

describe('watches as data', () => {
  it('registers a watch for the analyst and member that asked, expiring after the days asked', () => {
    const watch = createWatch(request, watcher, TEST_NOW);
    expect(watch).toMatchObject({
      watcher: 'KR',
      analyst: 'kim.j',
      caseReference: 'KR-CAS-000001',
      purpose: 'border_alert',
      createdAt: TEST_NOW,
      justifiedAt: TEST_NOW,
      expiresAt: TEST_NOW + 30 * DAY,
    });
    expect(watch.id).toMatch(/^KR-WCH-[0-9a-f-]{36}$/);
    expect(Object.isFrozen(watch)).toBe(true);
  });

  it.each([
    ['a watch longer than the cap', { ...request, days: MAX_WATCH_DAYS + 1 }, /^days: /],
    ['a misspelt purpose', { ...request, purpose: 'border_alrt' }, /purpose: .*did you mean border_alert/],
    ['an unknown field', { ...request, country: 'KH' }, /unknown field 'country'/],
    ['no identifier', { ...request, identifiers: [] }, /^identifiers: /],
    [
      'an unknown kind of identifier',
      { ...request, identifiers: [{ kind: 'email', value: 'x@example.org' }] },
      /identifiers\[0\]\.kind: must be one of passport, document, phone/,
    ],
    [
      'a passport without its issuing country',
      { ...request, identifiers: [{ kind: 'passport', number: 'M55503183' }] },
      /identifiers\[0\]: missing required field 'issuingCountry'/,
    ],
    [
      'a national phone number without its country',
      { ...request, identifiers: [{ kind: 'phone', number: '010-5552-3318' }] },
      /identifiers\[0\] \(phone\) is not a phone number in international form/,
    ],
    [
      'the same passport twice, written two ways',
      {
        ...request,
        identifiers: [
          { kind: 'passport', number: 'M55503183', issuingCountry: 'KR' },
          { kind: 'passport', number: 'm 5550 3183', issuingCountry: 'KR' },
        ],
      },
      /identifiers\[1\] is the same passport as identifiers\[0\]/,
    ],
    [
      'a record id that is none',
      { ...request, identifiers: [{ kind: 'record', id: 'KH-1' }] },
      /not a global record id/,
    ],
    ['a justification without words', { ...request, justification: 'urgent!!!' }, /at least 10 letters/],
    [
      'a justification longer than any declared one may be',
      { ...request, justification: 'a'.repeat(JUSTIFICATION_MAX_CHARACTERS + 1) },
      new RegExp(`at most ${JUSTIFICATION_MAX_CHARACTERS} characters`),
    ],
  ])('refuses %s, saying where', (_, input, problem) => {
    expect(refusal(input)).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });

  it('lists every problem of a request at once', () => {
    expect(
      refusal({
        ...request,
        purpose: 'x',
        days: 0,
        identifiers: [{ kind: 'account' }],
        justification: 'why',
      }),
    ).toEqual([
      expect.stringMatching(/^purpose: must be one of/),
      expect.stringMatching(/^identifiers\[0\]: missing required field 'number'/),
      expect.stringMatching(/^days: must be a whole number of days from 1 to 30/),
      expect.stringMatching(/^justification: .*at least 10 letters \(it has 3\)/),
    ]);
    // Identifiers that do not normalise and a short justification, in one answer.
    expect(
      refusal({ ...request, identifiers: [{ kind: 'phone', number: '0101' }], justification: 'why' }),
    ).toHaveLength(2);
  });

  it("words each problem as the other forms do, not in the validator's words, each once", () => {
    expect(refusal({ ...request, caseReference: 'KR CAS 1' })).toEqual([
      'caseReference: must be 2 to 64 letters, digits or . _ : / - (got "KR CAS 1")',
    ]);
    const tooMany = Array.from({ length: MAX_WATCH_IDENTIFIERS + 1 }, () => request.identifiers[0]);
    expect(refusal({ ...request, identifiers: tooMany })).toEqual([
      `identifiers: a watch names 1 to ${MAX_WATCH_IDENTIFIERS} identifiers (it has ${MAX_WATCH_IDENTIFIERS + 1})`,
    ]);
    expect(refusal({ ...request, identifiers: [] })).toEqual([
      `identifiers: a watch names 1 to ${MAX_WATCH_IDENTIFIERS} identifiers (it has 0)`,
    ]);
    // An empty justification: the letters it needs, said once.
    expect(refusal({ ...request, justification: '' })).toEqual([
      expect.stringMatching(
        /^justification: must say why the watch is needed, in at least 10 letters \(it has 0\)$/,
      ),
    ]);
  });

  it('renews only with a new justification, for at most the cap from the renewal', () => {
    const watch = createWatch(request, watcher, TEST_NOW);
    const later = TEST_NOW + 20 * DAY;
    expect(() => renewWatch(watch, undefined, 30, later)).toThrow(/justified again/);
    expect(() => renewWatch(watch, 'still needed', 31, later)).toThrow(WatchError);
    const renewed = renewWatch(watch, 'Travel booked for next week, per the airline.', 30, later);
    expect(renewed).toMatchObject({
      id: watch.id,
      createdAt: TEST_NOW,
      justifiedAt: later,
      expiresAt: later + 30 * DAY,
    });
    expect(() =>
      renewWatch(watch, 'Travel booked for next week, per the airline.', 30, watch.expiresAt),
    ).toThrow(/has expired/);
    // What a member receives of the renewed watch is still within the cap, counted from the renewal.
    const { justification: _justification, ...held } = renewed;
    expect(readHeldWatch(held, MAX_WATCH_MS).expiresAt).toBe(later + 30 * DAY);
    expect(() => readHeldWatch({ ...held, expiresAt: later + 31 * DAY }, MAX_WATCH_MS)).toThrow(
      /at most 30 days/,
    );
  });

  it("takes each identifier's category from the field that holds it in every member's schema", () => {
    // The oracle reads the committed supergraph, not the generated subgraphs alerts/categories.ts reads.
    const categories = readFieldCategories(readCommittedSupergraph());
    for (const { code } of MEMBERS)
      for (const kind of IDENTIFIER_KINDS) {
        const expected =
          kind === 'record' ? META_REFERENCE : categories.get(`${code}${IDENTIFIER_FIELDS[kind]}`);
        expect([code, kind, identifierCategory(code, kind)]).toEqual([code, kind, expected]);
      }
  });
});

describe("a watch's case reference", () => {
  // The grammar the Accord-Case header and the hub's register of watches read (policy REFERENCE): a
  // reference the watcher's member took and the hub then refused left half a watch registered.
  const watcher = { country: MEMBERS[0]!.code, analyst: 'analyst.one' };
  it.each(['KR:CAS:1', 'KR-CAS-000001', 'ab', `A${'b'.repeat(63)}`])(
    'takes %s, as the header and the hub do',
    (ref) => {
      expect(REFERENCE.test(ref)).toBe(true);
      expect(createWatch({ ...request, caseReference: ref }, watcher, TEST_NOW).caseReference).toBe(ref);
    },
  );
  it.each(['x', '', '-KR', `A${'b'.repeat(64)}`, 'KR CAS 1'])(
    'refuses %j, as the header and the hub do',
    (ref) => {
      expect(REFERENCE.test(ref)).toBe(false);
      expect(() => createWatch({ ...request, caseReference: ref }, watcher, TEST_NOW)).toThrow(
        /caseReference/,
      );
    },
  );
});
