import type { Purpose } from './index';

/**
 * What each purpose is for, in the words of docs/analysts.md "Purposes" (test/docs/explorerWords.test.ts
 * keeps the two the same); the explorer shows them beside `Accord-Purpose`. One entry per purpose: the
 * type makes a purpose added to PURPOSES without its meaning a compile error.
 */
export const PURPOSE_MEANINGS: Readonly<Record<Purpose, string>> = {
  investigation: 'a criminal investigation into offences already identified, under a case (send Accord-Case)',
  victim_rescue:
    'finding and freeing a victim who is confined, trafficked or in danger; with a registered emergency, the one purpose an emergency releases data for',
  fugitive_location:
    'finding a wanted person who has fled: their whereabouts, on a warrant or an INTERPOL red or blue notice',
  arrest_extradition:
    'arresting a wanted person for surrender to the requesting country (send Accord-Warrant, or a red notice)',
  asset_tracing: 'tracing, freezing and recovering the proceeds: accounts and transactions',
  border_alert:
    'flagging a person or a travel document at a border crossing (watch lists; green and orange notices)',
  victim_identification: 'establishing who a victim or an unidentified body is (yellow and black notices)',
  judicial_evidence:
    'obtaining material to be produced in court: only clauses that allow evidentiary use, usually a formal request under a treaty',
  strategic_analysis:
    'patterns and trends, no personal data: a clause serving it may cover only compound.location, case.reference and case.summary',
};
