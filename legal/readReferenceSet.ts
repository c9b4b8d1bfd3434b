/**
 * The agreement set as the reference model reads it: straight from the files of an agreements folder
 * (members.yaml, instruments/*.yaml, domestic/*.yaml), parsed here with the `yaml` package, never through
 * the engine's loader (policy/loadAgreementSet.ts and the steps it calls).
 *
 * Why: `prove` compares every engine answer with the reference model (legal/model/). Given the set the
 * engine's loader produced, the model would inherit every mistake of that loader (a clause's retention
 * read one day longer, an `until` moved, a condition dropped) and agree with the engine on it. Read from the
 * files, a loader that changes any of the data the decision reads shows up as a disagreement.
 *
 * The smallest honest design: the model keeps consuming the plain data types of policy/core (Agreement,
 * Clause, DomesticGate, Member). A type is a declaration, not code: it cannot add a day or drop a
 * condition, so sharing it shares nothing that could be wrong in the same way; a shape of the model's own
 * would only copy it. What must not be shared is the code that fills those types, and that is this file.
 * It only reads: the engine's loader has already validated the same files (schema, cross-checks) before
 * prove runs, so nothing is re-validated here beyond failing loudly on what cannot be read. It copies the
 * fields the model and the prover's questions read, each from the file by name, and the file and line of
 * every clause.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { Agreement, AgreementSet, Clause, DomesticGate, GateGround, Member } from '../policy/core';

/** What prove's reference model and questions read of a set. */
export type ReferenceSet = Pick<AgreementSet, 'members' | 'agreements' | 'gates'>;

// The files' shapes as written (agreements/*.schema.json); only what is copied below.
type RawClause = Omit<Clause, 'source' | 'conditions'> & { conditions?: Clause['conditions'] };
type RawAgreement = Omit<Agreement, 'source' | 'clauses'> & { clauses: RawClause[] };
type RawGate = Omit<DomesticGate, 'source' | 'grounds' | 'requirements'> & {
  grounds: Omit<GateGround, 'source'>[];
  requirements?: Omit<GateGround, 'source'>[];
};

interface ReadFile {
  readonly value: unknown;
  /** Line of the item `index` of the list `list` at the top of the file (1 when it cannot be told). */
  readonly lineOf: (list: string, index: number) => number;
}

function readYaml(file: string): ReadFile {
  const lineCounter = new LineCounter();
  // YAML 1.2 core schema (the package's default): dates stay strings, as the agreement files mean them.
  const document = parseDocument(readFileSync(file, 'utf8'), { lineCounter });
  if (document.errors.length > 0)
    throw new Error(`${file}: cannot be read: ${document.errors[0]!.message.split('\n')[0]}`);
  return {
    value: document.toJS() as unknown,
    lineOf: (list, index) => {
      const node = document.getIn([list, index], true) as { range?: [number, number, number] } | undefined;
      return node?.range === undefined ? 1 : lineCounter.linePos(node.range[0]).line;
    },
  };
}

function yamlFiles(folder: string): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .sort()
    .map((name) => join(folder, name));
}

function clauseOf(raw: RawClause, source: Clause['source']): Clause {
  return {
    id: raw.id,
    citation: raw.citation,
    basis: raw.basis,
    purposes: raw.purposes,
    categories: raw.categories,
    direction: raw.direction,
    // No conditions written: none to meet.
    conditions: raw.conditions ?? {},
    obligations: raw.obligations,
    source,
  };
}

function agreementOf(file: string): Agreement {
  const { value, lineOf } = readYaml(file);
  const raw = value as RawAgreement;
  return {
    id: raw.id,
    title: raw.title,
    kind: raw.kind,
    parties: raw.parties,
    instrument: raw.instrument,
    inForce: raw.inForce,
    clauses: raw.clauses.map((clause, i) => clauseOf(clause, { file, line: lineOf('clauses', i) })),
    source: { file, line: 1 },
  };
}

function gateOf(file: string): DomesticGate {
  const { value, lineOf } = readYaml(file);
  const raw = value as RawGate;
  const ground =
    (list: 'grounds' | 'requirements') =>
    (item: Omit<GateGround, 'source'>, i: number): GateGround => ({
      id: item.id,
      citation: item.citation,
      // An absent list matches every kind (or purpose): keep it absent.
      ...(item.bases !== undefined && { bases: item.bases }),
      ...(item.purposes !== undefined && { purposes: item.purposes }),
      source: { file, line: lineOf(list, i) },
    });
  return {
    owner: raw.owner,
    title: raw.title,
    law: raw.law,
    grounds: raw.grounds.map(ground('grounds')),
    // No requirements written: nothing more to match.
    requirements: (raw.requirements ?? []).map(ground('requirements')),
    source: { file, line: 1 },
  };
}

/** The set of an agreements folder, read from its files. */
export function readReferenceSet(dir: string): ReferenceSet {
  const members = (readYaml(join(dir, 'members.yaml')).value as { members: Member[] }).members.map(
    ({ code, name, domesticGate }): Member => ({ code, name, domesticGate }),
  );
  return {
    members,
    agreements: yamlFiles(join(dir, 'instruments')).map(agreementOf),
    gates: yamlFiles(join(dir, 'domestic')).map(gateOf),
  };
}
