import { nearestNames } from '../../../vocabulary';
import type { FieldRule, LintFinding, SetRule } from '../types';

const HEADING = {
  id: 'member-unknown',
  severity: 'warning',
  description:
    "the set's members and the schema's registry disagree, or a record type belongs to a country that is not a member",
} as const;

const finding = (message: string): LintFinding => ({ rule: HEADING.id, severity: HEADING.severity, message });

/** The supergraph serves records of a country the set does not know (needs the set's members). */
export const memberUnknownInFields: FieldRule = {
  ...HEADING,
  needs: 'fields',
  check: ({ fields, members }) => {
    if (fields === undefined || members === undefined) return [];
    const findings: LintFinding[] = [];
    for (const owner of [...new Set(fields.fields.map((entry) => entry.owner))].sort()) {
      if (!members.includes(owner)) {
        findings.push(
          finding(
            `the supergraph serves ${owner} records, but ${owner} is not a member of the agreement set (members: ${members.join(', ')})`,
          ),
        );
      }
    }
    return findings;
  },
};

/** The set's members and the schema's registry (schema/members.ts) name different countries. */
export const memberUnknownInRegistry: SetRule = {
  ...HEADING,
  needs: 'set',
  check: ({ set, registry }) => {
    if (registry === undefined) return [];
    const findings: LintFinding[] = [];
    const members = set.members.map((member) => member.code);
    for (const code of members) {
      if (!registry.includes(code)) {
        const near = nearestNames(code, registry);
        findings.push(
          finding(
            `member ${code} of the agreement set is not in the schema's registry${near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : ''}: no subgraph serves its records`,
          ),
        );
      }
    }
    for (const code of registry) {
      if (!members.includes(code))
        findings.push(
          finding(
            `${code} serves a subgraph (schema registry) but is not a member of the agreement set: no agreement may name it, so none of its records can cross a border`,
          ),
        );
    }
    return findings;
  },
};
