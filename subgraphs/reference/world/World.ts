// The world: which records a member owns (core scenario first, then filler, serials 1..count per kind),
// which ring each filler record belongs to, and each record on demand. index.ts tells the whole story.
import { MEMBERS, formatGlobalId, parseGlobalId, type EntityInterface } from '../../../schema';
import { core, countKey } from './core';
import { Filler } from './filler';
import { normalizeSeed, validateSize, type WorldOptions } from './options';
import { DEFAULT_WEIGHTS, KIND_WEIGHTS } from './profiles';
import { Rng, mix } from './random';
import type { RingPlan } from './ring';
import type { AnyRecord, RecordsByKind } from './types';

const KINDS: readonly EntityInterface[] = ['Suspect', 'Compound', 'Case', 'Victim'];

/** A world: its members' records, core and filler, by global id or member by member. */
export class World {
  readonly seed: number;
  readonly size: number;
  readonly members: readonly string[];
  private readonly totals = new Map<string, number>();
  private readonly coreCounts: ReadonlyMap<string, number>;
  /** Filler compounds of each member, in registry order: ring g is the g-th filler compound. */
  private readonly ringStarts: readonly {
    readonly country: string;
    readonly first: number;
    readonly count: number;
  }[];
  private readonly ringCount: number;
  private readonly ringOffsets = new Map<string, number>();
  private readonly plans = new Map<number, RingPlan>();
  private readonly filler: Filler;

  constructor(options: WorldOptions = {}) {
    this.seed = normalizeSeed(options.seed);
    this.size = validateSize(options.size);
    this.members = options.members ?? MEMBERS.map((member) => member.code);
    this.coreCounts = core().counts;
    const starts: { country: string; first: number; count: number }[] = [];
    let rings = 0;
    for (const [countryIndex, country] of this.members.entries()) {
      for (const [kindIndex, kind] of KINDS.entries()) {
        const weight = (KIND_WEIGHTS[country] ?? DEFAULT_WEIGHTS)[kind];
        this.totals.set(
          countKey(country, kind),
          Math.max(this.coreCount(country, kind), Math.round(this.size * weight)),
        );
        this.ringOffsets.set(countKey(country, kind), mix(this.seed, 0x51, countryIndex, kindIndex));
      }
      const filler = this.fillerCount(country, 'Compound');
      starts.push({ country, first: rings, count: filler });
      rings += filler;
    }
    this.ringStarts = starts;
    this.ringCount = rings;
    this.filler = new Filler(this.seed, this.members);
  }

  /** How many records of a kind a member owns (serials 1..count). */
  count(country: string, kind: EntityInterface): number {
    return this.totals.get(countKey(country, kind)) ?? 0;
  }

  /** Whether a global id names a record of this world. */
  has(id: string): boolean {
    const parsed = parseGlobalId(id);
    return (
      parsed !== undefined && parsed.serial >= 1 && parsed.serial <= this.count(parsed.owner, parsed.kind)
    );
  }

  /** One record by global id, generated on demand; undefined when the world has no such record. */
  record(id: string): AnyRecord | undefined {
    const parsed = parseGlobalId(id);
    if (!parsed || !this.has(id)) return undefined;
    return this.generate(parsed.owner, parsed.kind, parsed.serial);
  }

  /** A member's records of one kind, in serial order, generated lazily (its share of the world). */
  *records<K extends EntityInterface>(country: string, kind: K): Generator<RecordsByKind[K]> {
    if (!this.members.includes(country))
      throw new Error(`"${country}" is not a member of this world (${this.members.join(', ')}).`);
    const total = this.count(country, kind);
    for (let serial = 1; serial <= total; serial++)
      yield this.generate(country, kind, serial) as RecordsByKind[K];
    this.plans.clear();
  }

  /** A member's whole share as arrays (small sizes: tests, demos). */
  share(country: string): { [K in EntityInterface]: RecordsByKind[K][] } {
    return {
      Suspect: [...this.records(country, 'Suspect')],
      Compound: [...this.records(country, 'Compound')],
      Case: [...this.records(country, 'Case')],
      Victim: [...this.records(country, 'Victim')],
    };
  }

  // --- structure -------------------------------------------------------------------------------------------

  private coreCount(country: string, kind: EntityInterface): number {
    return this.coreCounts.get(countKey(country, kind)) ?? 0;
  }

  private fillerCount(country: string, kind: EntityInterface): number {
    return this.count(country, kind) - this.coreCount(country, kind);
  }

  /** The ring of a filler record (by its 0-based filler index), or undefined in a world without rings. */
  private ringOf(country: string, kind: EntityInterface, fillerIndex: number): number | undefined {
    if (this.ringCount === 0) return undefined;
    if (kind === 'Compound')
      return this.ringStarts.find((start) => start.country === country)!.first + fillerIndex;
    return (fillerIndex + (this.ringOffsets.get(countKey(country, kind))! % this.ringCount)) % this.ringCount;
  }

  /** Filler ids of one kind that belong to a ring, across every member. */
  private ringMembers(ring: number, kind: Exclude<EntityInterface, 'Compound'>): string[] {
    const ids: string[] = [];
    for (const country of this.members) {
      const offset = this.ringOffsets.get(countKey(country, kind))! % this.ringCount;
      const filler = this.fillerCount(country, kind);
      const base = this.coreCount(country, kind);
      for (
        let index = (ring - offset + this.ringCount) % this.ringCount;
        index < filler;
        index += this.ringCount
      ) {
        ids.push(formatGlobalId(country, kind, base + index + 1));
      }
    }
    return ids;
  }

  private plan(ring: number): RingPlan {
    const cached = this.plans.get(ring);
    if (cached) return cached;
    const rng = new Rng(mix(this.seed, 0x7269, ring));
    const start = this.ringStarts.find((s) => ring >= s.first && ring < s.first + s.count)!;
    const compound = formatGlobalId(
      start.country,
      'Compound',
      this.coreCount(start.country, 'Compound') + ring - start.first + 1,
    );
    const suspects = this.ringMembers(ring, 'Suspect');
    const victims = this.ringMembers(ring, 'Victim');
    // Operators: one per member among the ring's suspects, up to four, so compounds are multinational.
    const byCountry = new Map<string, string[]>();
    for (const id of suspects) {
      const owner = id.slice(0, 2);
      byCountry.set(owner, [...(byCountry.get(owner) ?? []), id]);
    }
    const operators = rng.sample([...byCountry.keys()], 4).map((owner) => rng.pick(byCountry.get(owner)!));
    const cases = new Map<string, { suspects: string[]; victims: string[] }>();
    for (const id of this.ringMembers(ring, 'Case')) {
      cases.set(id, {
        suspects: suspects.length
          ? rng.sample(suspects, rng.int(1, Math.min(4, suspects.length))).sort()
          : [],
        victims: rng.sample(victims, rng.int(0, Math.min(3, victims.length))).sort(),
      });
    }
    const plan: RingPlan = { compound, compoundCountry: start.country, suspects, victims, operators, cases };
    // Generation walks serials, visiting rings round-robin; a bounded memo keeps memory flat at any size.
    if (this.plans.size > 4096) this.plans.clear();
    this.plans.set(ring, plan);
    return plan;
  }

  // --- record generation -----------------------------------------------------------------------------------

  private generate(country: string, kind: EntityInterface, serial: number): AnyRecord {
    const id = formatGlobalId(country, kind, serial);
    const coreRecord = core().records.get(id);
    if (coreRecord) return coreRecord;
    const fillerIndex = serial - this.coreCount(country, kind) - 1;
    const ring = this.ringOf(country, kind, fillerIndex);
    const plan = ring === undefined ? undefined : this.plan(ring);
    switch (kind) {
      case 'Suspect':
        return this.filler.suspect(id, country, plan);
      case 'Compound':
        return this.filler.compound(id, country, plan);
      case 'Case':
        return this.filler.case(id, country, plan);
      case 'Victim':
        return this.filler.victim(id, country, plan);
      default: {
        const unreachable: never = kind;
        throw new Error(`unknown kind ${String(unreachable)}`);
      }
    }
  }
}

/** The world for these options. Cheap: records are generated on demand. */
export function createWorld(options: WorldOptions = {}): World {
  return new World(options);
}
