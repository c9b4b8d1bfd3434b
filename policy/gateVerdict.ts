/**
 * The second key: does the owner's domestic release gate allow a transfer of its data under a basis kind
 * for a purpose? Static for a (clause, purpose), so the compiler asks once and decide() never does.
 */
import type { LegalBasisKind, Purpose } from '../vocabulary';
import { domesticGate } from './failedConditions';
import type { DomesticGate, FailedCondition, GateGround, GateRef } from './types';

export type GateVerdict =
  | { readonly allowed: true; readonly ref: GateRef }
  | { readonly allowed: false; readonly failure: Extract<FailedCondition, { kind: 'domesticGate' }> };

/** Allowed when the first matching ground (file order) exists and every requirement matches too. */
export function gateVerdict(gate: DomesticGate, basis: LegalBasisKind, purpose: Purpose): GateVerdict {
  const matches = (ground: GateGround): boolean =>
    (ground.bases === undefined || ground.bases.includes(basis)) &&
    (ground.purposes === undefined || ground.purposes.includes(purpose));
  const ground = gate.grounds.find(matches);
  if (ground === undefined) {
    const citations = gate.grounds.map((item) => item.citation);
    return {
      allowed: false,
      failure: domesticGate(
        gate.owner,
        gate.title,
        citations,
        basis,
        purpose,
        `has no ground (${citations.join('; ')})`,
      ),
    };
  }
  const unmet = gate.requirements.find((requirement) => !matches(requirement));
  if (unmet !== undefined) {
    return {
      allowed: false,
      failure: domesticGate(
        gate.owner,
        gate.title,
        [unmet.citation],
        basis,
        purpose,
        `requires ${unmet.citation}, which does not allow it`,
      ),
    };
  }
  const citations = Object.freeze([
    ground.citation,
    ...gate.requirements.map((requirement) => requirement.citation),
  ]);
  return { allowed: true, ref: Object.freeze({ owner: gate.owner, title: gate.title, citations }) };
}
