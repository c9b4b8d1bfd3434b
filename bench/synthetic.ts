/**
 * A synthetic alliance for benchmarks that need more members than the five reference systems: registries
 * of any size (codes AA, AB, …), a minimal national system that answers a search after a fixed delay,
 * and a policy that releases everything between them.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { concreteTypeName, formatGlobalId, type Member } from '../schema';
import { loadDefaultPolicy, type Decision, type Policy, type RequestContext } from '../policy';
import type { NationalSystem } from '../subgraphs/kit';

/** At most 26 × 26 two-letter codes; benchmarks use far fewer. */
const MAX_MEMBERS = 26 * 26;

/**
 * A registry of `count` synthetic members shaped like schema/members.ts: codes AA, AB, …, AZ, BA, …
 * Their default ports are never listened on: benchmarks pass every subgraph URL explicitly.
 */
export function syntheticMembers(count: number): Member[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_MEMBERS)
    throw new RangeError(`A synthetic registry has 1 to ${MAX_MEMBERS} members, not ${count}.`);
  return Array.from({ length: count }, (_, i) => {
    const code = String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26));
    return {
      code,
      name: `Synthetic member ${code}`,
      authority: `Synthetic police of ${code}`,
      defaultPort: 49_152 + i,
    };
  });
}

export interface SyntheticSystemOptions {
  /** How long the member takes to answer a search (a timer, no CPU). */
  readonly delayMs: number;
  /** Suspects returned per search (default 2). */
  readonly suspectsPerSearch?: number;
}

/**
 * A minimal national system: `<CC>Search` waits `delayMs`, then answers with a few suspects; suspects
 * resolve from memory, and so does one case (`syntheticCaseId`). Nothing else is served (the
 * other lists are empty).
 */
export function syntheticSystem(country: string, options: SyntheticSystemOptions): NationalSystem {
  const suspects = Array.from({ length: options.suspectsPerSearch ?? 2 }, (_, i) => suspect(country, i + 1));
  const byId = new Map(suspects.map((s) => [s.id, s]));
  const theCase = {
    id: syntheticCaseId(country),
    country,
    caseNumber: `${country}-2026-0001`,
    leadAgency: `Synthetic police of ${country}`,
    operations: ['SYNTHETIC-OPERATION'],
  };
  return {
    country,
    createRequestRecords: () => undefined,
    resolvers: {
      [concreteTypeName(country, 'Search')]: {
        async __resolveReference(reference: { term: string; country: string }) {
          await delay(options.delayMs);
          return { term: reference.term, country: reference.country };
        },
        suspects: () => suspects,
        compounds: () => [],
        cases: () => [],
        victims: () => [],
      },
      [concreteTypeName(country, 'Suspect')]: {
        __resolveReference: (reference: { id: string }) => byId.get(reference.id) ?? null,
      },
      [concreteTypeName(country, 'Case')]: {
        __resolveReference: (reference: { id: string }) => (reference.id === theCase.id ? theCase : null),
      },
    },
  };
}

/** The one case a synthetic member holds. */
export function syntheticCaseId(country: string): string {
  return formatGlobalId(country, 'Case', 1);
}

function suspect(country: string, serial: number) {
  return {
    id: formatGlobalId(country, 'Suspect', serial),
    country,
    fullName: `Suspect ${serial} of ${country}`,
    nationality: country,
    aliases: [`alias-${serial}`],
  };
}

/**
 * A policy under which every member releases every category to every other, for every purpose. The
 * synthetic members are in no agreement, and the fan-out benchmark measures the gateway's fan-out, not
 * decisions: the decision path still runs (one call per category and request), it just always releases.
 */
export function releaseAllPolicy(): Policy {
  const base = loadDefaultPolicy();
  const revision = 'bench-release-all';
  const decision: Decision = Object.freeze({
    effect: 'release',
    reason: 'RELEASED',
    clauses: [
      {
        agreement: 'bench',
        clause: 'release-all',
        title: 'Benchmark: release everything',
        citation: 'bench/synthetic.ts',
      },
    ],
    routes: [],
    recordDependent: false,
    revision,
  });
  return {
    revision,
    set: base.set,
    decide: () => decision,
    explain: (input) => base.explain(input),
    recordDecidedById: () => true,
  };
}

/** Who asks in benchmark requests: an analyst of `country` investigating a case. */
export function benchRequester(country: string): RequestContext {
  return {
    country,
    analyst: 'bench.analyst',
    roles: ['analyst'],
    purpose: 'investigation',
    caseReference: 'BENCH-CASE-1',
  };
}
