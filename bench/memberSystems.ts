/**
 * Every member's reference system for benchmarks, found from the registry (schema/members.ts): the folder
 * `subgraphs/<code in lower case>/` exports `COUNTRY` and `createSystem` (CONTRIBUTING.md, "Add a member
 * country"), so a member added there is benchmarked with no edit here.
 */
import { MEMBERS, subgraphName } from '../schema';
import type { NationalSystem } from '../subgraphs/kit';
import type { NationalSystemOptions, ReferenceRecords } from '../subgraphs/reference';

export type CreateSystem = (options: NationalSystemOptions) => NationalSystem<ReferenceRecords>;

function load(code: string): CreateSystem {
  // The path comes from the registry, so a require: static imports would be a list of members kept by hand.
  // A relative template literal, not a path built at run time: esbuild bundles every file it can match
  // (subgraphs/*/index.ts) into the bench's compiled entries (bench/compiledEntries.ts), where a require of
  // a TypeScript folder by absolute path would find nothing node can load.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(`../subgraphs/${subgraphName(code)}/index.ts`) as {
    COUNTRY?: unknown;
    createSystem?: CreateSystem;
  };
  if (loaded.COUNTRY !== code || typeof loaded.createSystem !== 'function') {
    throw new Error(
      `subgraphs/${subgraphName(code)} must export COUNTRY = '${code}' and createSystem (CONTRIBUTING.md, "Add a member country").`,
    );
  }
  return loaded.createSystem;
}

/** Member code → its reference system's constructor, for every member of the registry. */
export const SYSTEMS: Readonly<Record<string, CreateSystem>> = Object.fromEntries(
  MEMBERS.map((member) => [member.code, load(member.code)]),
);
