/**
 * `prove` kills the bug class "notice colour not checked against the purpose": an engine that takes any
 * notice of a colour the clause names, whatever the request's purpose, so that a clause taking Red and
 * Yellow notices for an arrest and a rescue releases a location for the rescue on a Red notice.
 *
 * The shipped set has no INTERPOL_NOTICE clause, so the proof runs on the shipped set with one added (to
 * the KR–TH memorandum), within its kind's bounds. The real engine proves every invariant on it; a copy of
 * the engine compiled with the bug planted (its reading of the colour table replaced by one in which
 * every colour serves every purpose: what is left is "the clause takes the colour", the check the engine
 * made before) fails the kind-bounds invariant, with a counterexample that is a real request the buggy
 * engine answers that way. The prover and the reference model read their own table (legal/model/notices.ts).
 * The buggy engine is proven between the parties of the added clause only (test/legal/provePart.ts: the
 * questions of a pair are the whole proof's), against the real engine's proof between them.
 */
import { join } from 'node:path';
import {
  compilePolicy,
  DEFAULT_AGREEMENTS_DIR,
  loadDefaultPolicy,
  type AgreementSet,
  type Policy,
} from '../../policy';
import { kindBoundBreaches } from '../../policy/kindBounds';
import { loadInvariants, prove } from '../../legal';
import { kindBoundBroken } from '../../legal/kindBounds';
import { readReferenceSet } from '../../legal/readReferenceSet';
import { NOTICE_COLOURS, PURPOSES } from '../../vocabulary';
import { failingBeyond, partOf, quietestPair, realProofs } from './provePart';
import { NOTICE_CLAUSE, withClausesBetweenKrAndTh } from './noticeClause';

// The whole proof asks about a million and a half questions, the buggy engine's about a twentieth: seconds on a
// quiet machine, more on a busy one.
jest.setTimeout(300_000);

/** The shipped set with the notice clause added to the agreement between KR and TH. */
function withNoticeClause<T extends Pick<AgreementSet, 'agreements'>>(set: T): T {
  return withClausesBetweenKrAndTh(set, NOTICE_CLAUSE);
}

const set = withNoticeClause(loadDefaultPolicy().set);
/** What the reference model decides on: the files as prove reads them, with the same clause added. */
const reference = withNoticeClause(readReferenceSet(DEFAULT_AGREEMENTS_DIR));
const invariants = loadInvariants(join(DEFAULT_AGREEMENTS_DIR, 'invariants.yaml'), set);

/** The engine compiled from `set` with every colour serving every purpose in its copy of the table. */
function colourUnchecked(): Policy {
  let buggy: Policy | undefined;
  jest.isolateModules(() => {
    jest.doMock('../../vocabulary', () => {
      const actual = jest.requireActual<typeof import('../../vocabulary')>('../../vocabulary');
      return {
        ...actual,
        NOTICE_PURPOSES: Object.fromEntries(NOTICE_COLOURS.map((colour) => [colour, [...PURPOSES]])),
      };
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const engine = require('../../policy/compilePolicy') as typeof import('../../policy/compilePolicy');
    buggy = engine.compilePolicy(set);
  });
  return buggy!;
}

describe('prove kills an engine that does not check the notice colour against the purpose', () => {
  test("the added clause is within its kind's bounds, and the real engine proves every invariant on the set", () => {
    expect(kindBoundBreaches(NOTICE_CLAUSE)).toEqual([]);
    const proof = prove(compilePolicy(set), invariants, { reference });
    expect(proof.results.filter((result) => !result.holds).map((result) => result.invariant.id)).toEqual([]);
    // And the engine agrees with the reference model on the widened set (the notice clause included).
    expect(proof.holds).toBe(true);
  });

  test('the buggy engine breaks the kind bounds: a notice releasing for a purpose its colour does not serve', () => {
    const buggy = colourUnchecked();
    const real = compilePolicy(set);
    const members = quietestPair(reference, (flowing) =>
      flowing.some(({ clause }) => clause.id === NOTICE_CLAUSE.id),
    );
    const proof = prove(buggy, invariants, { reference: partOf(reference, members) });
    expect(proof.holds).toBe(false);
    const broken = failingBeyond(proof, realProofs(real, invariants, reference)(members));
    expect(broken.map((result) => result.invariant.id)).toEqual(['kind-bounds']);
    const examples = broken[0]!.counterexamples;
    expect(examples.map((example) => example.violation)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^a (red|yellow) INTERPOL notice does not serve (victim_rescue|arrest_extradition) \(it serves [\w, ]+\)$/,
        ),
      ]),
    );
    for (const example of examples) {
      // A real request: the buggy engine releases it under the added clause; the real one never does
      // (it may still release under another clause the request meets).
      expect(buggy.decide(example.input).effect).toBe(example.decision.effect);
      expect(example.clause?.clause).toBe(NOTICE_CLAUSE.id);
      expect(real.decide(example.input).clauses.map((ref) => ref.clause)).not.toContain(NOTICE_CLAUSE.id);
    }
  });
});

describe("the prover's own statement of the bound (legal/kindBounds.ts), on a decision under the clause", () => {
  const AT = Date.parse('2026-06-15T09:00:00Z');
  const broken = (purpose: (typeof PURPOSES)[number] | undefined, notice: string | undefined) =>
    kindBoundBroken(
      NOTICE_CLAUSE,
      'victim.location',
      {
        country: 'KR',
        analyst: 'kim.j',
        roles: [],
        ...(purpose !== undefined && { purpose }),
        ...(notice !== undefined && { interpolNotice: notice }),
      },
      AT,
    );

  test('a Yellow notice for a rescue, a Red one for an arrest, in any case: within the bound', () => {
    expect(broken('victim_rescue', 'yellow:A-1/2026')).toBeUndefined();
    expect(broken('victim_rescue', 'Yellow:A-1/2026')).toBeUndefined();
    expect(broken('arrest_extradition', 'red:A-1/2026')).toBeUndefined();
  });

  test('a Red notice for a rescue: the colour and the purpose named', () => {
    expect(broken('victim_rescue', 'red:A-1/2026')).toBe(
      'a red INTERPOL notice does not serve victim_rescue (it serves arrest_extradition, fugitive_location)',
    );
  });

  test('a notice of a colour the clause does not take, of no colour, or none', () => {
    const expected = (notice: string): string =>
      `a INTERPOL_NOTICE decision needs a notice of a colour the clause takes (red, yellow), not ${JSON.stringify(notice)}`;
    expect(broken('arrest_extradition', 'blue:A-1/2026')).toBe(expected('blue:A-1/2026'));
    expect(broken('arrest_extradition', 'A-1/2026')).toBe(expected('A-1/2026'));
    expect(broken('arrest_extradition', undefined)).toBe(expected(''));
  });

  test('no declared purpose', () => {
    expect(broken(undefined, 'red:A-1/2026')).toBe(
      'a red INTERPOL notice does not serve an undeclared purpose (it serves arrest_extradition, fugitive_location)',
    );
  });
});
