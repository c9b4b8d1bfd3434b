/**
 * Agreement set → Policy: compiles the set once (policy/policyIndex.ts) and returns the decision
 * functions bound to it. The policy is immutable and identified by the set's revision.
 */
import { decide } from './decide';
import { explain } from './explain';
import { buildPolicyIndex } from './policyIndex';
import { recordDecidedById } from './recordDecidedById';
import type { AgreementSet, Policy } from './types';

export function compilePolicy(set: AgreementSet): Policy {
  const index = buildPolicyIndex(set);
  return Object.freeze({
    revision: set.revision,
    set,
    decide: (input) => decide(index, input),
    explain: (input) => explain(index, input),
    recordDecidedById: (input) => recordDecidedById(index, input),
  } satisfies Policy);
}
