/**
 * A small agreement set for the unit tests of the decision core (decide, unmetConditions,
 * recordDecidedById): between KR and KH, one clause per kind of condition, each with a second condition
 * checked after it (mostly a minimum source grade), so that a test sees whether the first was supposed
 * met; and clauses ranked against each other in one cell (RANK). TH is a member party to nothing. KH
 * has a domestic gate that allows only MLAT transfers.
 *
 * Written as JSON (which is YAML) from typed objects. Loaded once per test file, lazily: a mutation run
 * loads every test file for every mutant, so nothing is read or compiled until a test asks for it.
 */
import { compilePolicy, loadAgreementSet, type AgreementSet, type Policy } from '../../policy';
import { MEMBERS, writeSet } from './fixtureSet';

export const AT = Date.parse('2026-06-01T12:00:00Z');
export const HOUR = 3_600_000;
export const TEAM = 'JTF-CORE';
export const KR_TEAM = 'JTF-KR';
export const OPERATION = 'OP-CORE';
/** A justification the policy takes (at least ten letters). */
export const JUSTIFIED = 'Victim confined in a compound, reported beaten; rescue planned tonight.';

const OBLIGATIONS = {
  handlingCode: 'H1',
  onwardTransfer: 'forbidden',
  evidentiaryUse: 'forbidden',
  retentionDays: 365,
  notifySource: false,
};
const EMERGENCY_OBLIGATIONS = { ...OBLIGATIONS, notifySource: true, reviewWithinHours: 72 };

const clause = (
  id: string,
  basis: string,
  purposes: string[],
  categories: Record<string, string>,
  conditions: Record<string, unknown>,
  obligations: Record<string, unknown> = OBLIGATIONS,
) => ({
  id,
  citation: `art. ${id}`,
  basis,
  purposes,
  categories,
  direction: 'both',
  conditions,
  obligations,
});

const team = (id: string, members: Record<string, string[]>, operation: string) => ({
  id,
  members,
  operation,
  validFrom: '2026-01-01',
  validUntil: '2026-12-31',
});

export const CORE = {
  id: 'kr-kh-core',
  title: 'KR–KH Core',
  kind: 'bilateral',
  parties: ['KR', 'KH'],
  instrument: { citation: 'Core test treaty' },
  inForce: { from: '2020-01-01', until: '2030-12-31' },
  clauses: [
    clause(
      'extradition',
      'EXTRADITION',
      ['arrest_extradition'],
      { 'person.wanted_status': 'release' },
      { caseReference: true, warrantReference: true, minimumSourceGrade: 'B' },
    ),
    clause(
      'mlat',
      'MLAT',
      ['judicial_evidence'],
      { 'person.identity': 'release', 'person.contact': 'release' },
      { requestReference: true, minimumSourceGrade: 'B' },
    ),
    clause(
      'red-notice',
      'INTERPOL_NOTICE',
      ['arrest_extradition'],
      { 'person.location': 'release' },
      { interpolNotice: true, noticeColours: ['red'], minimumSourceGrade: 'B' },
    ),
    clause(
      'any-notice',
      'HIT_ONLY',
      ['border_alert'],
      { 'person.criminal_record': 'hit-only' },
      { interpolNotice: true, minimumSourceGrade: 'B' },
    ),
    clause(
      'team',
      'JIT',
      ['investigation'],
      { 'compound.intel': 'release' },
      // KR is named first: a supposed member must be one of the requester's country, not the first named.
      { jointTeam: team(TEAM, { KR: ['kim.j'], KH: ['sok.r'] }, OPERATION), minimumSourceGrade: 'B' },
    ),
    clause(
      'kr-team',
      'JIT',
      ['asset_tracing'],
      { 'compound.intel': 'release' },
      { jointTeam: team(KR_TEAM, { KR: ['kim.j'] }, 'OP-KR') },
    ),
    clause(
      'emergency',
      'EMERGENCY',
      ['victim_rescue'],
      { 'victim.location': 'release' },
      { emergency: { maxDurationHours: 24 }, minimumSourceGrade: 'B' },
      EMERGENCY_OBLIGATIONS,
    ),
    clause(
      'police',
      'POLICE_COOPERATION',
      ['investigation'],
      { 'case.summary': 'release' },
      { caseReference: true, minimumSourceGrade: 'B' },
    ),
  ],
};

/** Enters into force after AT: every question to it is asked before its time. */
export const FUTURE = {
  id: 'kr-kh-future',
  title: 'KR–KH Future',
  kind: 'bilateral',
  parties: ['KR', 'KH'],
  instrument: { citation: 'Future test treaty' },
  inForce: { from: '2027-01-01' },
  clauses: [
    clause(
      'emergency-case',
      'EMERGENCY',
      ['victim_rescue'],
      { 'victim.identity': 'release' },
      { caseReference: true, emergency: { maxDurationHours: 24 } },
      EMERGENCY_OBLIGATIONS,
    ),
  ],
};

/** Clauses ranked against each other in one cell: which applies first, and what the others needed. */
export const RANK = {
  id: 'kr-kh-rank',
  title: 'KR–KH Rank',
  kind: 'bilateral',
  parties: ['KR', 'KH'],
  instrument: { citation: 'Rank test treaty' },
  inForce: { from: '2020-01-01' },
  clauses: [
    clause(
      'mlat',
      'MLAT',
      ['investigation'],
      { 'person.identity': 'release', 'person.criminal_record': 'release' },
      { requestReference: true },
      { ...OBLIGATIONS, handlingCode: 'H2', evidentiaryUse: 'allowed' },
    ),
    clause(
      'police',
      'POLICE_COOPERATION',
      ['investigation'],
      { 'person.identity': 'release' },
      { caseReference: true },
    ),
    clause(
      'a-graded',
      'POLICE_COOPERATION',
      ['investigation'],
      { 'person.contact': 'release' },
      { caseReference: true, minimumSourceGrade: 'B' },
    ),
    clause(
      'b-plain',
      'POLICE_COOPERATION',
      ['investigation'],
      { 'person.contact': 'release' },
      { caseReference: true },
    ),
    clause(
      'mlat-hit',
      'MLAT',
      ['investigation'],
      { 'person.biometrics': 'hit-only' },
      { requestReference: true },
    ),
    clause('hit', 'HIT_ONLY', ['investigation'], { 'person.biometrics': 'hit-only' }, {}),
  ],
};

export const KH_GATE = {
  owner: 'KH',
  title: 'KH test gate',
  law: 'KH Test Act',
  grounds: [{ id: 'treaties', citation: 'KH Test Act art. 1', bases: ['MLAT'] }],
  requirements: [],
};

let loaded: AgreementSet | undefined;

export function coreSet(): AgreementSet {
  loaded ??= loadAgreementSet(
    writeSet({
      'members.yaml': MEMBERS,
      'instruments/core.yaml': JSON.stringify(CORE, null, 1),
      'instruments/future.yaml': JSON.stringify(FUTURE, null, 1),
      'instruments/rank.yaml': JSON.stringify(RANK, null, 1),
      'domestic/kh.yaml': JSON.stringify(KH_GATE, null, 1),
    }),
  );
  return loaded;
}

/** Compiled afresh on every call: what the compiler builds is then built inside the test that asks. */
export function corePolicy(): Policy {
  return compilePolicy(coreSet());
}
