/**
 * Reads an agreement set from a folder laid out as agreements/ is:
 *
 *   members.yaml           the members agreements may name (members.schema.json)
 *   instruments/*.yaml     one instrument each (agreement.schema.json)
 *   domestic/*.yaml        one domestic release gate per owner (domestic-gate.schema.json)
 *
 * Each file is parsed (YAML 1.2), validated against its schema, then the set is cross-checked
 * (policy/crossCheck.ts). A set with any problem is refused as a whole with every problem listed
 * (AgreementSetError): running on part of a legal text is worse than not running.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Category, LegalBasisKind, Purpose } from '../vocabulary';
import { AGREEMENT_SCHEMA, DOMESTIC_GATE_SCHEMA, MEMBERS_SCHEMA } from './agreementSchemas';
import { AgreementSetError, type Problem } from './AgreementSetError';
import { crossCheck, type Loaded } from './crossCheck';
import { revisionOf } from './revision';
import type { SourceGrade } from './sourceGrades';
import type {
  Agreement,
  AgreementSet,
  CategoryMode,
  Clause,
  Conditions,
  Direction,
  DomesticGate,
  GateGround,
  HandlingCode,
  Member,
  Obligations,
  UsePermission,
} from './types';
import { validateSchema } from './validateSchema';
import { YamlSource } from './yamlSource';

export function loadAgreementSet(dir: string): AgreementSet {
  const problems: Problem[] = [];
  const read = (file: string, schema: Readonly<Record<string, unknown>>): YamlSource | undefined => {
    const source = new YamlSource(file, readFileSync(file, 'utf8'));
    if (source.syntaxProblems.length > 0) {
      problems.push(...source.syntaxProblems);
      return undefined;
    }
    const invalid = validateSchema(source, schema);
    problems.push(...invalid);
    return invalid.length === 0 ? source : undefined;
  };

  let members: Loaded<readonly Member[]> | undefined;
  const membersFile = join(dir, 'members.yaml');
  if (!existsSync(membersFile)) {
    problems.push({ file: membersFile, line: 1, message: 'missing: the set must list its members' });
  } else {
    const source = read(membersFile, MEMBERS_SCHEMA);
    if (source !== undefined) members = { value: toMembers(source.value), source };
  }

  const agreements: Loaded<Agreement>[] = [];
  const instrumentFiles = yamlFiles(join(dir, 'instruments'));
  if (instrumentFiles.length === 0) {
    problems.push({
      file: join(dir, 'instruments'),
      line: 1,
      message: 'no instruments (*.yaml) found: a set without agreements allows nothing',
    });
  }
  for (const file of instrumentFiles) {
    const source = read(file, AGREEMENT_SCHEMA);
    if (source !== undefined) agreements.push({ value: toAgreement(source), source });
  }

  const gates: Loaded<DomesticGate>[] = [];
  for (const file of yamlFiles(join(dir, 'domestic'))) {
    const source = read(file, DOMESTIC_GATE_SCHEMA);
    if (source !== undefined) gates.push({ value: toGate(source), source });
  }

  problems.push(...crossCheck(members, agreements, gates));
  if (problems.length > 0 || members === undefined) {
    throw new AgreementSetError(
      dir,
      [...problems].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line)),
    );
  }

  const content = {
    members: members.value,
    agreements: agreements.map(({ value }) => value),
    gates: gates.map(({ value }) => value),
  };
  return { revision: revisionOf(content), dir, ...content };
}

function yamlFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .sort()
    .map((name) => join(folder, name));
}

// The raw shapes below are guaranteed by the schema the file just passed; these functions only give them
// their types, add source lines and fill defaults.

interface RawMembers {
  members: {
    code: string;
    name: string;
    domesticGate: 'required' | 'optional';
    desk?: { twoApproverCategories?: Category[] };
  }[];
}

function toMembers(value: unknown): Member[] {
  return (value as RawMembers).members.map(({ code, name, domesticGate, desk }) => ({
    code,
    name,
    domesticGate,
    // Only when declared: a member without desk rules keeps the revision it had before desks existed.
    ...(desk !== undefined && { desk: { twoApproverCategories: desk.twoApproverCategories ?? [] } }),
  }));
}

interface RawClause {
  id: string;
  citation: string;
  summary?: string;
  basis: LegalBasisKind;
  purposes: Purpose[];
  categories: Partial<Record<Category, CategoryMode>>;
  direction: 'both' | { from: string[]; to: string[] };
  conditions?: Conditions & { minimumSourceGrade?: SourceGrade };
  obligations: {
    handlingCode: HandlingCode;
    onwardTransfer: UsePermission;
    evidentiaryUse: UsePermission;
    retentionDays: number;
    notifySource: boolean;
    reviewWithinHours?: number;
  };
}

interface RawAgreement {
  id: string;
  title: string;
  kind: 'bilateral' | 'multilateral';
  parties: string[];
  instrument: { citation: string; signed?: string; basedOn?: string[] };
  inForce: { from: string; until?: string };
  disclaimer?: string;
  clauses: RawClause[];
  requestDeadlines?: { urgentDirectHours?: number; urgentDays?: number; normalDays?: number };
}

function toAgreement(source: YamlSource): Agreement {
  const raw = source.value as RawAgreement;
  return {
    id: raw.id,
    title: raw.title,
    kind: raw.kind,
    parties: raw.parties,
    instrument: raw.instrument,
    inForce: raw.inForce,
    ...(raw.disclaimer !== undefined && { disclaimer: raw.disclaimer }),
    clauses: raw.clauses.map((clause, i) =>
      toClause(clause, { file: source.file, line: source.lineOf(['clauses', i]) }),
    ),
    ...(raw.requestDeadlines !== undefined && { requestDeadlines: { ...raw.requestDeadlines } }),
    source: { file: source.file, line: 1 },
  };
}

function toClause(raw: RawClause, source: Clause['source']): Clause {
  const direction: Direction =
    raw.direction === 'both' ? 'both' : { from: raw.direction.from, to: raw.direction.to };
  const obligations: Obligations = { ...raw.obligations };
  return {
    id: raw.id,
    citation: raw.citation,
    ...(raw.summary !== undefined && { summary: raw.summary }),
    basis: raw.basis,
    purposes: raw.purposes,
    categories: raw.categories,
    direction,
    conditions: raw.conditions ?? {},
    obligations,
    source,
  };
}

interface RawGround {
  id: string;
  citation: string;
  summary?: string;
  bases?: LegalBasisKind[];
  purposes?: Purpose[];
}

interface RawGate {
  owner: string;
  title: string;
  law: string;
  disclaimer?: string;
  grounds: RawGround[];
  requirements?: RawGround[];
}

function toGate(source: YamlSource): DomesticGate {
  const raw = source.value as RawGate;
  const ground =
    (list: 'grounds' | 'requirements') =>
    (item: RawGround, i: number): GateGround => ({
      ...item,
      source: { file: source.file, line: source.lineOf([list, i]) },
    });
  return {
    owner: raw.owner,
    title: raw.title,
    law: raw.law,
    ...(raw.disclaimer !== undefined && { disclaimer: raw.disclaimer }),
    grounds: raw.grounds.map(ground('grounds')),
    requirements: (raw.requirements ?? []).map(ground('requirements')),
    source: { file: source.file, line: 1 },
  };
}
