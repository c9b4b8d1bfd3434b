import { MEMBERS } from '../../schema';
import { SYSTEMS, type CreateSystem } from '../../bench/memberSystems';

/**
 * Every member's subgraph module, found from the registry (schema/members.ts), never listed by hand: a
 * member added as CONTRIBUTING.md says is in every test that starts "every member", with no test edit.
 * The folders are loaded by bench/memberSystems.ts (`subgraphs/<code in lower case>/`, exporting
 * `COUNTRY` and `createSystem`), the one place that knows where a member's system lives.
 */
export interface MemberModule {
  readonly COUNTRY: string;
  readonly createSystem: CreateSystem;
}

/** One module per registry member, in registry order. */
export const MEMBER_MODULES: readonly MemberModule[] = MEMBERS.map((member) => ({
  COUNTRY: member.code,
  createSystem: SYSTEMS[member.code]!,
}));
