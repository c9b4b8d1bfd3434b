/** A question of the prover in a lawyer's words: who asks what of whom, when, carrying what. */
import type { DecisionInput } from '../policy/core';

export function describeQuestion(input: DecisionInput, profile: string): string {
  const { requester } = input;
  const purpose = requester.purpose === undefined ? 'no purpose declared' : `purpose ${requester.purpose}`;
  const carried = [
    requester.caseReference !== undefined && 'a case reference',
    requester.requestReference !== undefined && 'a request reference',
    requester.warrantReference !== undefined && 'a warrant reference',
    requester.interpolNotice !== undefined && 'an INTERPOL notice',
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
