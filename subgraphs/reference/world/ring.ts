// Rings: how filler records are linked. A ring is one filler compound with the filler suspects, cases and
// victims of every member that work with or through it; links stay inside a ring (World.ts plans them).

/** One ring: a filler compound and the filler records of every member that work with or through it. */
export interface RingPlan {
  readonly compound: string;
  readonly compoundCountry: string;
  readonly suspects: readonly string[];
  readonly victims: readonly string[];
  readonly operators: readonly string[];
  /** Case id → its suspects and victims (all inside the ring). */
  readonly cases: ReadonlyMap<
    string,
    { readonly suspects: readonly string[]; readonly victims: readonly string[] }
  >;
}

/** A ring's suspects form a cycle of associates: symmetric by construction. */
export function neighbours(ring: readonly string[], id: string): string[] {
  if (ring.length < 2) return [];
  const index = ring.indexOf(id);
  const before = ring[(index - 1 + ring.length) % ring.length]!;
  const after = ring[(index + 1) % ring.length]!;
  return [...new Set([before, after])].sort();
}

/** The cases of a ring that list `id` among their suspects or victims, sorted (none outside a ring). */
export function linkedCasesIn(
  plan: RingPlan | undefined,
  id: string,
  field: 'suspects' | 'victims',
): string[] {
  if (!plan) return [];
  const linked: string[] = [];
  for (const [caseId, links] of plan.cases) if (links[field].includes(id)) linked.push(caseId);
  return linked.sort();
}
