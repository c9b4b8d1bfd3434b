import type { Purpose } from './index';

/**
 * What each purpose is for, in the analyst's words (shown by the explorer beside `Accord-Purpose`). One
 * entry per purpose: the type makes a purpose added to PURPOSES without its meaning a compile error.
 */
export const PURPOSE_MEANINGS: Readonly<Record<Purpose, string>> = {
  investigation: 'Investigating an offence in a case your service has opened (send its case reference).',
  victim_rescue: 'Finding and freeing a victim who is held or at risk now.',
  fugitive_location: 'Locating a person who is wanted and has fled.',
  arrest_extradition: 'Arresting a wanted person with a view to extradition (send the warrant reference).',
  asset_tracing: 'Following the money: accounts and transactions of criminal proceeds.',
  border_alert: 'Checking people or documents at a border against alerts.',
  victim_identification: 'Identifying a victim, alive or dead, who cannot be identified otherwise.',
  judicial_evidence: 'Obtaining evidence for use before a court (usually under a formal request).',
  strategic_analysis: 'Studying patterns and networks without personal data (compounds and case summaries only).',
};
