/**
 * What the reference model (legal/model/decide.ts) is asked and answers, in the words of docs/domain.md.
 * Every fact the decision reads is explicit here: in particular whether the request reference counts is
 * an input (`grant`), not something the model works out from a string or a grant book: it counts under a
 * clause only when the owner holds a valid grant by that name covering this requester and analyst,
 * purpose, case, record, category and moment, made under that clause (docs/domain.md#conditions).
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
  readonly requestReference: boolean;
  /**
   * The owner's grant the request reference names, already judged: undefined when the owner holds none
   * that covers this question (or the decider holds no grants: the gateway); else the clauses
   * (`agreement-id/clause-id`) it was made under, and whether it allows evidentiary use.
   */
  readonly grant:
    | { readonly id: string; readonly clauses: readonly string[]; readonly evidentiaryUse: boolean }
    | undefined;
  readonly warrantReference: boolean;
  readonly interpolNotice: boolean;
  /**
   * The colour the notice names before its id (`red:…`, `RED:…`), lower-case, as legal/model/notices.ts
   * reads it; undefined when it names none.
   */
  readonly noticeColour: string | undefined;
  readonly jointTeam: string | undefined;
  /** `registration`: the hub's id of the declaration when it is a registered one (a release under it cites it). */
  readonly emergency:
    { readonly declaredAt: number; readonly justified: boolean; readonly registration?: string } | undefined;
  /** Absent when the record is not known yet (then record conditions fail, as nothing shows them met). */
  readonly record:
    { readonly operations: readonly string[]; readonly sourceGrade: string | undefined } | undefined;
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
  /** The grant the data was released under, when its clause needs a request reference. */
  readonly grant?: string;
  /** The emergency registration the data was released under, when its clause needs an emergency. */
  readonly emergency?: string;
}

export interface ModelAnswer {
  readonly effect: ModelEffect;
  readonly reason: ModelReason;
  /** The clause that determined it: `agreement-id/clause-id`. */
  readonly clause?: string;
  readonly obligations?: ModelObligations;
  /** The grant the release relied on, when its clause needs a request reference. */
  readonly grant?: string;
  /** The registered emergency the release relied on, when its clause needs an emergency. */
  readonly emergency?: string;
}
