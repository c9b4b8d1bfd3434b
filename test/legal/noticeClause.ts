/**
 * The shipped set has no clause that needs an INTERPOL notice; the planted-bug tests of the notice rules
 * (prove-planted-interpol, prove-planted-variants) add one to the bilateral agreement between KR and TH,
 * within the INTERPOL_NOTICE kind's bounds, to the engine's set and the model's alike.
 */
import type { AgreementSet, Clause } from '../../policy';

/** A clause that takes Red and Yellow notices, each for the purpose it serves. */
export const NOTICE_CLAUSE: Clause = {
  id: 'interpol-notices',
  citation: 'art. N (added by this test)',
  basis: 'INTERPOL_NOTICE',
  purposes: ['arrest_extradition', 'victim_rescue'],
  categories: { 'person.location': 'release', 'victim.location': 'release' },
  direction: 'both',
  conditions: { interpolNotice: true, noticeColours: ['red', 'yellow'] },
  obligations: {
    handlingCode: 'H1',
    onwardTransfer: 'forbidden',
    evidentiaryUse: 'forbidden',
    retentionDays: 90,
    notifySource: true,
  },
  source: { file: 'instruments/kr-th-police-mou-2019.yaml', line: 1 },
};

/** A copy of `set` with `clauses` added to the agreement between KR and TH. */
export function withClausesBetweenKrAndTh<T extends Pick<AgreementSet, 'agreements'>>(
  set: T,
  ...clauses: Clause[]
): T {
  const copy = structuredClone(set);
  const agreement = copy.agreements.find(
    (item) => item.parties.length === 2 && item.parties.includes('KR') && item.parties.includes('TH'),
  );
  if (agreement === undefined)
    throw new Error('the shipped set has no KR–TH agreement to add the clauses to');
  (agreement.clauses as Clause[]).push(...clauses);
  return copy;
}
