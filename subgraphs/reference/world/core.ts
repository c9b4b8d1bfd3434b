// The core scenario finished: links made symmetric and operations derived from cases, computed once.
import { parseGlobalId, type EntityInterface } from '../../../schema';
import { CORE_CASES } from './scenario/cases';
import { CORE_COMPOUNDS } from './scenario/compounds';
import { CORE_SUSPECTS } from './scenario/suspects';
import { CORE_VICTIMS } from './scenario/victims';
import type { AnyRecord } from './types';

/** The finished core: links made symmetric and operations derived from cases, computed once. */
interface Core {
  readonly records: ReadonlyMap<string, AnyRecord>;
  /** Core records per owner and kind (serials 1..n). */
  readonly counts: ReadonlyMap<string, number>;
}

let coreCache: Core | undefined;

export function core(): Core {
  if (coreCache) return coreCache;
  const linked = new Map<string, Set<string>>();
  const operationsOf = new Map<string, Set<string>>();
  const note = (map: Map<string, Set<string>>, key: string, value: string): void => {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(value);
  };
  for (const c of CORE_CASES) {
    for (const ref of [...c.suspects, ...c.compounds, ...c.victims]) {
      note(linked, ref, c.id);
      for (const operation of c.operations) note(operationsOf, ref, operation);
    }
  }
  const associates = new Map<string, Set<string>>();
  for (const s of CORE_SUSPECTS) {
    for (const other of s.associates ?? []) {
      note(associates, s.id, other);
      note(associates, other, s.id);
    }
  }
  const sorted = (set: Set<string> | undefined): string[] => [...(set ?? [])].sort();
  const records = new Map<string, AnyRecord>();
  for (const s of CORE_SUSPECTS) {
    records.set(s.id, {
      ...s,
      associates: sorted(associates.get(s.id)),
      linkedCases: sorted(linked.get(s.id)),
      operations: sorted(operationsOf.get(s.id)),
    });
  }
  for (const c of CORE_COMPOUNDS)
    records.set(c.id, {
      ...c,
      linkedCases: sorted(linked.get(c.id)),
      operations: sorted(operationsOf.get(c.id)),
    });
  for (const v of CORE_VICTIMS)
    records.set(v.id, {
      ...v,
      linkedCases: sorted(linked.get(v.id)),
      operations: sorted(operationsOf.get(v.id)),
    });
  for (const c of CORE_CASES) records.set(c.id, c);

  const counts = new Map<string, number>();
  for (const id of records.keys()) {
    const parsed = parseGlobalId(id)!;
    const key = countKey(parsed.owner, parsed.kind);
    const serial = parsed.serial;
    if (serial !== (counts.get(key) ?? 0) + 1) throw new Error(`core scenario: ${id} is out of sequence`);
    counts.set(key, serial);
  }
  coreCache = { records, counts };
  return coreCache;
}

export function countKey(country: string, kind: EntityInterface): string {
  return `${country}/${kind}`;
}
