/** A question of the prover in a lawyer's words: who asks what of whom, when, carrying what. */
import type { DecisionInput } from '../policy/core';

export function describeQuestion(input: DecisionInput, profile: string): string {
  const { requester } = input;
  const purpose = requester.purpose === undefined ? 'no purpose declared' : `purpose ${requester.purpose}`;
  const carried = [
    reference(requester.caseReference, 'a case reference'),
    reference(requester.requestReference, 'a request reference'),
    reference(requester.warrantReference, 'a warrant reference'),
    reference(requester.interpolNotice, 'an INTERPOL notice', true),
    requester.jointTeam !== undefined && `joint team ${requester.jointTeam}`,
    requester.emergency !== undefined &&
      `an emergency declared ${new Date(requester.emergency.declaredAt).toISOString()}${requester.emergency.justification.trim() === '' ? ' without a justification' : ''}`,
  ].filter((item): item is string => item !== false);
  const record =
    input.record === undefined
      ? 'record not yet known'
      : `record linked to ${input.record.operations?.length ? input.record.operations.join(', ') : 'no operation'}, source grade ${input.record.sourceGrade ?? 'none'}`;
  return `a ${requester.country} analyst (${requester.analyst}) asks for ${input.category} of a ${input.owner} record (${purpose}) at ${new Date(input.at).toISOString()}, carrying ${carried.length === 0 ? 'nothing' : carried.join(', ')}; ${record} [${profile}]`;
}

/** A reference the request carries, in words: a blank one says so; a notice shows how it is written. */
function reference(value: string | undefined, words: string, shown = false): string | false {
  if (value === undefined) return false;
  if (value === '') return `${words} that is empty`;
  if (value.trim() === '') return `${words} of white space only`;
  return shown ? `${words} (${value})` : words;
}
