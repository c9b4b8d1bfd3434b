/**
 * What the reference model (legal/model/decide.ts) is asked and answers, in the words of docs/domain.md.
 * Every fact the decision reads is explicit here: in particular whether the request reference counts
 * (`requestReferenceSatisfied`) is an input, not something the model works out from a string, so that
 * the rule for it (today: present and not blank; with owner-signed grants: a grant covering subject,
 * category, purpose, case and time) can change without touching the model.
 */
import type { HandlingCode, UsePermission } from '../../policy/core';
import type { Category, Purpose } from '../../vocabulary';

export interface ModelQuestion {
  /** Country that owns the record, country of the analyst who asks. */
  readonly owner: string;
  readonly requester: string;
  readonly analyst: string;
  readonly purpose: Purpose | undefined;
  readonly category: Category;
  /** Epoch milliseconds of the moment asked about. */
  readonly at: number;
  /** Which references the request carries, each already judged (present, not blank, valid). */
  readonly caseReference: boolean;
  readonly requestReferenceSatisfied: boolean;
  readonly warrantReference: boolean;
  readonly interpolNotice: boolean;
  readonly jointTeam: string | undefined;
  readonly emergency: { readonly declaredAt: number; readonly justified: boolean } | undefined;
  /** Absent when the record is not known yet (then record conditions fail, as nothing shows them met). */
  readonly record: { readonly operations: readonly string[]; readonly sourceGrade: string | undefined } | undefined;
}

export type ModelEffect = 'release' | 'hit-only' | 'withhold';

export type ModelReason =
  | 'DOMESTIC'
  | 'RELEASED'
  | 'HIT_ONLY'
  | 'PURPOSE_REQUIRED'
  | 'NO_AGREEMENT'
  | 'CATEGORY_NOT_COVERED'
  | 'PURPOSE_NOT_COVERED'
  | 'NOT_IN_FORCE'
  | 'CONDITION_UNMET'
  | 'DOMESTIC_GATE';

export interface ModelObligations {
  readonly handlingCode: HandlingCode;
  readonly onwardTransfer: UsePermission;
  readonly evidentiaryUse: UsePermission;
  readonly retentionDays: number;
  readonly notifySource: boolean;
  readonly reviewWithinHours?: number;
}

export interface ModelAnswer {
  readonly effect: ModelEffect;
  readonly reason: ModelReason;
  /** The clause that determined it: `agreement-id/clause-id`. */
  readonly clause?: string;
  readonly obligations?: ModelObligations;
}
