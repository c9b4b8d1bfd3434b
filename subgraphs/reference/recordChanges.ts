import type { EventKind } from '../../alerts';
import type { EntityInterface } from '../../schema';
import type {
  BorderMovement,
  CompoundStatus,
  RecordsByKind,
  SubscriberRecord,
  Transaction,
  VictimStatus,
} from './world/types';

/**
 * The changes of a member's own records that watches are matched against (issue 11): a border movement
 * recorded, a transaction on a case's accounts, a subscriber record, a compound's or a victim's status, a
 * case naming a person. Each names the record it changes by global id; the record must exist.
 */
export type RecordChange =
  | { readonly kind: 'border_movement'; readonly suspect: string; readonly movement: BorderMovement }
  | { readonly kind: 'transaction'; readonly case: string; readonly transaction: Transaction }
  | { readonly kind: 'subscriber_record'; readonly suspect: string; readonly subscriber: SubscriberRecord }
  | { readonly kind: 'compound_status'; readonly compound: string; readonly status: CompoundStatus }
  | { readonly kind: 'victim_status'; readonly victim: string; readonly status: VictimStatus }
  | { readonly kind: 'case_naming'; readonly case: string; readonly suspect: string }
  /** A new case: an event of kind `case_naming` for each person it names. */
  | { readonly kind: 'case_opened'; readonly record: RecordsByKind['Case'] };

/** Which record a change is about. */
export function changedRecord(change: RecordChange): { readonly kind: EntityInterface; readonly id: string } {
  switch (change.kind) {
    case 'border_movement':
    case 'subscriber_record':
      return { kind: 'Suspect', id: change.suspect };
    case 'transaction':
    case 'case_naming':
      return { kind: 'Case', id: change.case };
    case 'case_opened':
      return { kind: 'Case', id: change.record.id };
    case 'compound_status':
      return { kind: 'Compound', id: change.compound };
    case 'victim_status':
      return { kind: 'Victim', id: change.victim };
  }
}

/**
 * The record after the change; throws (nothing is written) when the change does not apply to it.
 * `record` is the stored one, undefined when there is none (only a new case may then be written).
 */
export function applyChange(
  change: RecordChange,
  record: RecordsByKind[EntityInterface] | undefined,
): RecordsByKind[EntityInterface] {
  if (change.kind === 'case_opened') {
    if (record !== undefined) throw new Error(`recordChange: ${change.record.id} exists already.`);
    return change.record;
  }
  if (record === undefined) throw new Error(`recordChange: there is no record ${changedRecord(change).id}.`);
  switch (change.kind) {
    case 'border_movement': {
      const suspect = record as RecordsByKind['Suspect'];
      return { ...suspect, borderMovements: [...suspect.borderMovements, change.movement] };
    }
    case 'subscriber_record': {
      const suspect = record as RecordsByKind['Suspect'];
      return { ...suspect, subscriberRecords: [...suspect.subscriberRecords, change.subscriber] };
    }
    case 'transaction': {
      const case_ = record as RecordsByKind['Case'];
      return { ...case_, transactions: [...case_.transactions, change.transaction] };
    }
    case 'case_naming': {
      const case_ = record as RecordsByKind['Case'];
      if (case_.suspects.includes(change.suspect))
        throw new Error(`recordChange: ${case_.id} already names ${change.suspect}.`);
      return { ...case_, suspects: [...case_.suspects, change.suspect] };
    }
    case 'compound_status': {
      const compound = record as RecordsByKind['Compound'];
      if (compound.status === change.status)
        throw new Error(`recordChange: ${compound.id} is already ${change.status}.`);
      return { ...compound, status: change.status };
    }
    case 'victim_status': {
      const victim = record as RecordsByKind['Victim'];
      if (victim.status === change.status)
        throw new Error(`recordChange: ${victim.id} is already ${change.status}.`);
      return { ...victim, status: change.status };
    }
  }
}

/** The event kind a change is (alerts/categories.ts EVENT_KINDS): a new case names people, as a case naming one does. */
export function eventKindOf(change: RecordChange): EventKind {
  return change.kind === 'case_opened' ? 'case_naming' : change.kind;
}

/** The people a change names: those a new case or a case naming adds. */
export function namedSuspects(change: RecordChange): readonly string[] {
  if (change.kind === 'case_naming') return [change.suspect];
  if (change.kind === 'case_opened') return change.record.suspects;
  return [];
}
