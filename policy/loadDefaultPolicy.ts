/**
 * The policy of the agreement set shipped in agreements/ (found from that module's location, not the
 * working directory). Throws AgreementSetError when the set is invalid: callers refuse to start.
 */
import { AGREEMENTS_DIR } from '../agreements';
import { compilePolicy } from './compilePolicy';
import { loadAgreementSet } from './loadAgreementSet';
import type { Policy } from './types';

export const DEFAULT_AGREEMENTS_DIR: string = AGREEMENTS_DIR;

export function loadDefaultPolicy(): Policy {
  return compilePolicy(loadAgreementSet(DEFAULT_AGREEMENTS_DIR));
}
