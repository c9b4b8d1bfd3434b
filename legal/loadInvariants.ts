/**
 * Reads agreements/invariants.yaml: parsed as YAML 1.2, validated against its schema
 * (legal/invariantsSchema.ts) with the agreement loader's line-accurate problems and "did you mean"
 * hints, then cross-checked (unique ids; countries are members of the set). A file with any problem is
 * refused whole (InvariantsError), every problem listed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateSchema, YamlSource, type AgreementSet, type Problem } from '../policy';
import { nearestNames } from '../vocabulary';
import type { DecisionFilter, DecisionRequirement, Invariant } from './invariants';
import { INVARIANTS_SCHEMA } from './invariantsSchema';

export const INVARIANTS_FILE = 'invariants.yaml';

export class InvariantsError extends Error {
  override readonly name = 'InvariantsError';
  constructor(
    readonly file: string,
    readonly problems: readonly Problem[],
  ) {
    super(
      `Invariants ${file} refused: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${problems.map((problem) => `  ${problem.file}:${problem.line}: ${problem.message}`).join('\n')}`,
    );
  }
}

interface RawInvariant {
  id: string;
  statement: string;
  source?: string;
  decisions?: { when: DecisionFilter; require: DecisionRequirement };
  supergraph?: { category: string; returns: string[] };
}

/** The invariants of a file; countries are checked against `set`'s members when it is given. */
export function loadInvariants(file: string, set?: AgreementSet): Invariant[] {
  if (!existsSync(file))
    throw new InvariantsError(file, [{ file, line: 1, message: 'missing: no invariants file' }]);
  const source = new YamlSource(file, readFileSync(file, 'utf8'));
  if (source.syntaxProblems.length > 0) throw new InvariantsError(file, source.syntaxProblems);
  const schemaProblems = validateSchema(source, INVARIANTS_SCHEMA);
  if (schemaProblems.length > 0) throw new InvariantsError(file, schemaProblems);

  const raw = (source.value as { invariants: RawInvariant[] }).invariants;
  const problems: Problem[] = [];
  const ids = new Set<string>();
  const members = set?.members.map((member) => member.code);
  raw.forEach((item, i) => {
    if (ids.has(item.id))
      problems.push(source.problem(['invariants', i, 'id'], `duplicate invariant id '${item.id}'`));
    ids.add(item.id);
    if (item.decisions === undefined && item.supergraph === undefined) {
      problems.push(
        source.problem(
          ['invariants', i],
          `invariant '${item.id}' states nothing: give 'decisions', 'supergraph' or both`,
        ),
      );
    }
    if (members === undefined || item.decisions === undefined) return;
    for (const side of ['owner', 'requester'] as const) {
      (item.decisions.when[side] ?? []).forEach((country, j) => {
        if (members.includes(country)) return;
        const near = nearestNames(country, members);
        problems.push(
          source.problem(
            ['invariants', i, 'decisions', 'when', side, j],
            `unknown ${side} '${country}' (${near.length > 0 ? `did you mean ${near.join(', ')}? ` : ''}members: ${members.join(', ')})`,
          ),
        );
      });
    }
  });
  if (problems.length > 0) throw new InvariantsError(file, problems);
  return raw.map((item, i) => ({ ...item, location: { file, line: source.lineOf(['invariants', i]) } }));
}

/** The invariants file of an agreement folder. */
export function invariantsFileOf(agreementsDir: string): string {
  return join(agreementsDir, INVARIANTS_FILE);
}
