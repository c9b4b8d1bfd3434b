import { identifierKey } from '../../alerts';
import { formatGlobalId, type EntityInterface } from '../../schema';
import { mulberry32 } from './world';
import { profileOf } from './world/profiles';
import type { CompoundStatus, RecordsByKind, SuspectRecord, VictimStatus } from './world/types';
import type { AppliedChange, OwnerAlerts } from './ownerAlerts';
import type { RecordChange } from './recordChanges';
import { recordIdentifiers } from './recordIdentifiers';
import type { ReferenceStore } from './store';

/**
 * A small activity simulator for the reference members (issue 11, item 6): every few seconds one of the
 * member's own records changes (a border crossing, a transaction on a case, a compound's or a victim's
 * status), through `OwnerAlerts.apply`, so that a newcomer sees the alerts flow end to end on synthetic
 * data. Every other change is made on a record that a watch held here names, so that a watch registered
 * on a value from the README fires within a minute. What a notice says, and whether there is one at all,
 * is still decided by the owner's engine: the simulator only changes records.
 *
 * Demo only: `npm start` turns it on (`ACCORD_SIMULATE`); a real member's changes come from its own systems.
 */
export interface ActivitySimulator {
  /** Makes one change now; undefined when the member holds nothing it could change. */
  step(): SimulatedChange | undefined;
  /** Changes a record every `everyMs` until `stop()`. */
  start(): void;
  stop(): void;
}

export interface SimulatedChange {
  readonly change: RecordChange;
  readonly applied: AppliedChange;
  /** True when the record was picked because a held watch names one of its identifiers. */
  readonly watched: boolean;
}

export interface ActivitySimulatorOptions {
  readonly store: ReferenceStore;
  readonly alerts: OwnerAlerts;
  /** Epoch ms: the time written into the change (a crossing's `at`). */
  readonly now: () => number;
  /** The seed of its choices (default: the store's seed); the same seed and store give the same changes. */
  readonly seed?: number;
  /** Default 5 s. */
  readonly everyMs?: number;
  readonly onChange?: (change: SimulatedChange) => void;
  /** A change that could not be applied (the store closed, say); the simulator goes on. */
  readonly onError?: (error: unknown) => void;
}

export const DEFAULT_SIMULATION_EVERY_MS = 5_000;

const COMPOUND_STATUSES: readonly CompoundStatus[] = ['ACTIVE', 'RAIDED', 'RELOCATED'];
const VICTIM_STATUSES: readonly VictimStatus[] = ['MISSING', 'CONFINED', 'RESCUED', 'REPATRIATED'];

export function createActivitySimulator(options: ActivitySimulatorOptions): ActivitySimulator {
  const { store, alerts } = options;
  const owner = store.country;
  const random = mulberry32(options.seed ?? store.seed);
  const pick = <T>(items: readonly T[]): T | undefined =>
    items.length === 0 ? undefined : items[Math.floor(random() * items.length)];
  const idsOf = (kind: EntityInterface): string[] =>
    Array.from({ length: store.counts[kind] }, (_, i) => formatGlobalId(owner, kind, i + 1));
  // Which of the member's suspects carry which identifier key: built once, on the first watched pick. A
  // border movement adds no identifier a suspect did not have (it uses one of its own documents).
  let suspectsByKey: Map<string, string[]> | undefined;
  const suspectsWithKey = (key: string): readonly string[] => {
    if (suspectsByKey === undefined) {
      suspectsByKey = new Map();
      for (const suspect of store.load('Suspect', idsOf('Suspect')).values())
        for (const { key: own } of recordIdentifiers(owner, 'Suspect', suspect)) {
          const list = suspectsByKey.get(own) ?? [];
          list.push(suspect.id);
          suspectsByKey.set(own, list);
        }
    }
    return suspectsByKey.get(key) ?? [];
  };

  const crossing = (suspect: SuspectRecord): RecordChange | undefined => {
    const document = suspect.passportNumbers[0] ?? suspect.travelDocuments[0]?.number;
    const point = pick(profileOf(owner).crossingPoints);
    if (document === undefined || point === undefined) return undefined;
    return {
      kind: 'border_movement',
      suspect: suspect.id,
      movement: {
        direction: random() < 0.5 ? 'ENTRY' : 'EXIT',
        crossingPoint: point,
        country: owner,
        at: new Date(options.now()).toISOString(),
        documentNumber: document,
      },
    };
  };

  /** A suspect that a held watch names, when there is one. */
  const watchedSuspect = (): SuspectRecord | undefined => {
    const keys = alerts
      .held()
      .filter((watch) => watch.expiresAt > options.now())
      .flatMap((watch) => watch.identifiers.map((identifier) => identifierKey(identifier)!));
    const candidates = [...new Set(keys.flatMap((key) => suspectsWithKey(key)))];
    const id = pick(candidates);
    return id === undefined ? undefined : store.load('Suspect', [id]).get(id);
  };

  const one = <K extends EntityInterface>(kind: K): RecordsByKind[K] | undefined => {
    const id = pick(idsOf(kind));
    return id === undefined ? undefined : store.load(kind, [id]).get(id);
  };

  const anyChange = (): RecordChange | undefined => {
    switch (Math.floor(random() * 4)) {
      case 0: {
        const suspect = one('Suspect');
        return suspect && crossing(suspect);
      }
      case 1: {
        const case_ = one('Case');
        const earlier = case_ && pick(case_.transactions);
        if (case_ === undefined || earlier === undefined) return undefined;
        const amount = Math.round(earlier.amount.amount * (0.5 + random()));
        return {
          kind: 'transaction',
          case: case_.id,
          transaction: {
            ...earlier,
            at: new Date(options.now()).toISOString(),
            amount: { ...earlier.amount, amount },
          },
        };
      }
      case 2: {
        const compound = one('Compound');
        const status = compound && pick(COMPOUND_STATUSES.filter((s) => s !== compound.status));
        return compound && status && { kind: 'compound_status', compound: compound.id, status };
      }
      default: {
        const victim = one('Victim');
        const status = victim && pick(VICTIM_STATUSES.filter((s) => s !== victim.status));
        return victim && status && { kind: 'victim_status', victim: victim.id, status };
      }
    }
  };

  let timer: NodeJS.Timeout | undefined;
  let watchedTurn = false;
  const simulator: ActivitySimulator = {
    step() {
      // Every other step is on a watched record when a watch is held here, so that a watch fires soon.
      watchedTurn = !watchedTurn;
      const suspect = watchedTurn ? watchedSuspect() : undefined;
      const watchedChange = suspect && crossing(suspect);
      const change = watchedChange ?? anyChange();
      if (change === undefined) return undefined;
      const applied = alerts.apply(change);
      return { change, applied, watched: watchedChange !== undefined };
    },
    start() {
      if (timer !== undefined) return;
      timer = setInterval(() => {
        try {
          const made = simulator.step();
          if (made) options.onChange?.(made);
        } catch (error) {
          options.onError?.(error);
        }
      }, options.everyMs ?? DEFAULT_SIMULATION_EVERY_MS);
      // A demo's timer never keeps a stopping process alive.
      timer.unref();
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
  return simulator;
}
