/**
 * The identifiers a crossing is logged under. The requester's gateway makes one decision id per crossing
 * (request × owner country) and passes it to the owner with the signed subgraph call, so both sides log
 * the same id.
 */
import { createHash, randomUUID } from 'node:crypto';

export function newDecisionId(): string {
  return randomUUID();
}

/** sha256 (hex) of the operation text as the analyst sent it: the record names the operation, not its data. */
export function hashOperation(operation: string): string {
  return createHash('sha256').update(operation).digest('hex');
}
