/**
 * The second key (docs/domain.md#two-keys-the-domestic-gate): the owner's gate lets a transfer under a
 * kind of basis for a purpose through when some ground matches it and every requirement does.
 */
import type { DomesticGate, GateGround } from '../../policy/core';
import type { LegalBasisKind, Purpose } from '../../vocabulary';

function fits(ground: GateGround, basis: LegalBasisKind, purpose: Purpose): boolean {
  const basisFits = ground.bases === undefined || ground.bases.includes(basis);
  const purposeFits = ground.purposes === undefined || ground.purposes.includes(purpose);
  return basisFits && purposeFits;
}

/** True when there is no gate for the owner, or the gate lets it through. */
export function gateOpens(gate: DomesticGate | undefined, basis: LegalBasisKind, purpose: Purpose): boolean {
  if (gate === undefined) return true;
  return (
    gate.grounds.some((ground) => fits(ground, basis, purpose)) &&
    gate.requirements.every((requirement) => fits(requirement, basis, purpose))
  );
}
