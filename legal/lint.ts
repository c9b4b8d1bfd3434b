/**
 * Lint of an agreement set and the supergraph it governs, for legal review before a change goes live.
 * The rules (each finding names its rule, file and line where there is one):
 *
 *   set-invalid            the loader refused the set (unknown categories, parties, purposes, …: each
 *                          problem with its line and the nearest valid names)                    error
 *   field-category-missing a field of a record type carries no @category                         error
 *   field-category-unknown a field's @category is not in the vocabulary                          error
 *   member-unknown         the set's members and the schema's registry disagree, or a record type
 *                          belongs to a country that is not a member                              warning
 *   citation-missing       a clause, instrument or gate ground cites nothing (blank or a
 *                          placeholder)                                                           error
 *   citation-vague         a clause citation names no article or paragraph                        warning
 *   clause-shadowed        whenever the clause applies, a clause ranked before it applies too and
 *                          decides: it never determines a decision, its obligations never travel warning
 *   clause-redundant       removing the clause changes no effect anywhere; only which clause is
 *                          cited (and its obligations) would change                               info
 *   condition-never-met    for some flows and purposes the clause never applies, at any time,
 *                          whatever the request carries (e.g. the owner's domestic gate has no
 *                          ground for it)                                                         warning
 *   agreement-expired      the agreement (or a joint team's window) ended before the date        warning
 *   agreement-not-in-force the agreement (or a joint team's window) starts after the date          info
 *   disclaimer-missing     an agreement says nothing of its status (sample agreements must say
 *                          ILLUSTRATIVE, docs/domain.md)                                                info
 *
 * Shadowing, redundancy and conditions never met are decided on the finite domain (legal/domain.ts) by
 * the engine itself: policy.explain says which clauses apply to each question, decide which one
 * determines it.
 */
import { compilePolicy, type Agreement, type AgreementSet, type Clause, type ClauseRef, type FailedCondition, type Policy } from '../policy/core';
import { CATEGORIES, META_REFERENCE, PURPOSES, isCategory, nearestNames, type Purpose } from '../vocabulary';
import { candidatesOf, cellsOf, dayStart, DAY_MS, dimensionsOf, edgesOf, formatInstant, inputOf, profilesOf, timePointsOf, type Cell } from './domain';
import type { FieldCatalog } from './fields';
import { EFFECT_RANK } from './standing';

export type LintSeverity = 'error' | 'warning' | 'info';

export type LintRule =
  | 'set-invalid'
  | 'field-category-missing'
  | 'field-category-unknown'
  | 'member-unknown'
  | 'citation-missing'
  | 'citation-vague'
  | 'clause-shadowed'
  | 'clause-redundant'
  | 'condition-never-met'
  | 'agreement-expired'
  | 'agreement-not-in-force'
  | 'disclaimer-missing';

export interface LintFinding {
  readonly rule: LintRule;
  readonly severity: LintSeverity;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly clause?: ClauseRef;
}

export interface LintOptions {
  /** The date agreements are judged in force at (expired / not yet in force). */
  readonly at: number;
  /** The supergraph's record fields. */
  readonly fields?: FieldCatalog;
  /** Member codes of the schema's registry (schema/members.ts). */
  readonly registry?: readonly string[];
}

export interface LintReport {
  readonly revision?: string;
  readonly findings: readonly LintFinding[];
  readonly counts: Readonly<Record<LintSeverity, number>>;
}

export function report(findings: LintFinding[], revision?: string): LintReport {
  const order: Record<LintSeverity, number> = { error: 0, warning: 1, info: 2 };
  findings.sort((a, b) => order[a.severity] - order[b.severity] || (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0));
  const counts = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return { ...(revision !== undefined && { revision }), findings, counts };
}

/** Problems of a set the loader refused, as findings. */
export function problemFindings(problems: readonly { file: string; line: number; message: string }[]): LintFinding[] {
  return problems.map((problem) => ({ rule: 'set-invalid', severity: 'error', message: problem.message, file: problem.file, line: problem.line }));
}

/** Checks of the supergraph's fields (possible without a valid set). */
export function lintFields(fields: FieldCatalog, members?: readonly string[]): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const entry of fields.uncategorized) {
    findings.push({
      rule: 'field-category-missing',
      severity: 'error',
      message: `${entry.coordinate} has no @category: no agreement can speak about it (deny by default withholds it from every foreign analyst)`,
    });
  }
  for (const entry of fields.fields) {
    if (isCategory(entry.category)) continue;
    const near = nearestNames(entry.category, CATEGORIES);
    findings.push({
      rule: 'field-category-unknown',
      severity: 'error',
      message: `${entry.coordinate} has the unknown category '${entry.category}'${near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : ''}`,
    });
  }
  if (members !== undefined) {
    for (const owner of [...new Set(fields.fields.map((entry) => entry.owner))].sort()) {
      if (!members.includes(owner)) {
        findings.push({ rule: 'member-unknown', severity: 'warning', message: `the supergraph serves ${owner} records, but ${owner} is not a member of the agreement set (members: ${members.join(', ')})` });
      }
    }
  }
  return findings;
}

export function lintPolicy(policy: Policy, options: LintOptions): LintReport {
  const set = policy.set;
  const findings: LintFinding[] = [];
  const members = set.members.map((member) => member.code);
  if (options.fields !== undefined) findings.push(...lintFields(options.fields, members));
  if (options.registry !== undefined) findings.push(...lintRegistry(set, options.registry));
  findings.push(...lintCitations(set), ...lintDates(set, options.at));
  findings.push(...lintCoverage(policy));
  return report(findings, policy.revision);
}

function lintRegistry(set: AgreementSet, registry: readonly string[]): LintFinding[] {
  const findings: LintFinding[] = [];
  const members = set.members.map((member) => member.code);
  for (const code of members) {
    if (!registry.includes(code)) {
      const near = nearestNames(code, registry);
      findings.push({ rule: 'member-unknown', severity: 'warning', message: `member ${code} of the agreement set is not in the schema's registry${near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : ''}: no subgraph serves its records` });
    }
  }
  for (const code of registry) {
    if (!members.includes(code)) findings.push({ rule: 'member-unknown', severity: 'warning', message: `${code} serves a subgraph (schema registry) but is not a member of the agreement set: no agreement may name it, so none of its records can cross a border` });
  }
  return findings;
}

const PLACEHOLDER = /^(?:tbd|tba|todo|fixme|xxx|n\/?a|none|unknown|\?+|-+|\.+)$/i;

function lintCitations(set: AgreementSet): LintFinding[] {
  const findings: LintFinding[] = [];
  const missing = (text: string | undefined): boolean => text === undefined || text.trim() === '' || PLACEHOLDER.test(text.trim());
  for (const agreement of set.agreements) {
    if (missing(agreement.instrument.citation)) {
      findings.push({ rule: 'citation-missing', severity: 'error', message: `${agreement.title} (${agreement.id}) does not cite its instrument ('${agreement.instrument.citation}')`, ...at(agreement.source) });
    }
    if (agreement.disclaimer === undefined || agreement.disclaimer.trim() === '') {
      findings.push({ rule: 'disclaimer-missing', severity: 'info', message: `${agreement.title} (${agreement.id}) has no disclaimer: say whether its contents are the instrument's text or a model`, ...at(agreement.source) });
    }
    for (const clause of agreement.clauses) {
      const ref = refOf(agreement, clause);
      if (missing(clause.citation)) {
        findings.push({ rule: 'citation-missing', severity: 'error', message: `${describeClause(ref)} cites no article ('${clause.citation}'): every rule must say where it comes from`, ...at(clause.source), clause: ref });
      } else if (!/\d/.test(clause.citation) && !/\b[ivxlcdm]+\b/i.test(clause.citation)) {
        findings.push({ rule: 'citation-vague', severity: 'warning', message: `${describeClause(ref)} cites '${clause.citation}', which names no article or paragraph`, ...at(clause.source), clause: ref });
      }
    }
  }
  for (const gate of set.gates) {
    for (const ground of [...gate.grounds, ...gate.requirements]) {
      if (missing(ground.citation)) findings.push({ rule: 'citation-missing', severity: 'error', message: `${gate.title}: ground '${ground.id}' cites no provision`, ...at(ground.source) });
    }
  }
  return findings;
}

function lintDates(set: AgreementSet, asOf: number): LintFinding[] {
  const findings: LintFinding[] = [];
  const date = formatInstant(asOf - (asOf % DAY_MS));
  for (const agreement of set.agreements) {
    const { from, until } = agreement.inForce;
    if (until !== undefined && dayStart(until) + DAY_MS <= asOf) {
      findings.push({ rule: 'agreement-expired', severity: 'warning', message: `${agreement.title} (${agreement.id}) expired on ${until}: on ${date} none of its ${agreement.clauses.length} clause(s) applies`, ...at(agreement.source) });
    } else if (dayStart(from) > asOf) {
      findings.push({ rule: 'agreement-not-in-force', severity: 'info', message: `${agreement.title} (${agreement.id}) is not yet in force on ${date}: it applies from ${from}`, ...at(agreement.source) });
    }
    const teams = new Map<string, Clause[]>();
    for (const clause of agreement.clauses) {
      const team = clause.conditions.jointTeam;
      if (team !== undefined) teams.set(team.id, [...(teams.get(team.id) ?? []), clause]);
    }
    for (const [id, clauses] of teams) {
      const team = clauses[0]!.conditions.jointTeam!;
      const names = clauses.map((clause) => clause.citation).join(', ');
      if (dayStart(team.validUntil) + DAY_MS <= asOf) {
        findings.push({ rule: 'agreement-expired', severity: 'warning', message: `joint team ${id} of ${agreement.title} acted until ${team.validUntil}: on ${date} its clauses (${names}) no longer apply`, ...at(clauses[0]!.source) });
      } else if (dayStart(team.validFrom) > asOf) {
        findings.push({ rule: 'agreement-not-in-force', severity: 'info', message: `joint team ${id} of ${agreement.title} acts only from ${team.validFrom}: on ${date} its clauses (${names}) do not apply yet`, ...at(clauses[0]!.source) });
      }
    }
  }
  return findings;
}

interface ClauseStats {
  readonly agreement: Agreement;
  readonly clause: Clause;
  determines: boolean;
  applies: boolean;
  readonly shadowers: Set<string>;
  /** Flow "owner>requester" → purposes where it applied at least once. */
  readonly appliedFlows: Map<string, Set<Purpose>>;
  /** Flow|purpose → the furthest failure seen where it never applied. */
  readonly furthest: Map<string, FailedCondition>;
  /** Cells (listed categories) where it is a candidate. */
  readonly cells: Cell[];
}

/** Shadowed, redundant and never-applying clauses, by sweeping the finite domain with the engine. */
function lintCoverage(policy: Policy): LintFinding[] {
  const set = policy.set;
  const stats = new Map<string, ClauseStats>();
  for (const agreement of set.agreements) {
    for (const clause of agreement.clauses) {
      stats.set(`${agreement.id}/${clause.id}`, { agreement, clause, determines: false, applies: false, shadowers: new Set(), appliedFlows: new Map(), furthest: new Map(), cells: [] });
    }
  }
  const members = set.members.map((member) => member.code);
  // meta.reference is implied by every clause: a clause's own contribution is its listed categories.
  const categories = CATEGORIES.filter((category) => category !== META_REFERENCE);
  for (const cell of cellsOf(members, members, PURPOSES, categories)) {
    const candidates = candidatesOf(policy, cell);
    if (candidates.length === 0) continue;
    for (const { agreement, clause } of candidates) stats.get(`${agreement.id}/${clause.id}`)!.cells.push(cell);
    const dimensions = dimensionsOf(candidates);
    const candidateKeys = new Set(candidates.map(({ agreement, clause }) => `${agreement.id}/${clause.id}`));
    const flow = `${cell.owner}>${cell.requester}`;
    for (const time of timePointsOf(edgesOf(candidates))) {
      for (const profile of profilesOf(dimensions, cell.requester)) {
        const { decision, considered } = policy.explain(inputOf(cell, profile, time.at, dimensions.teams));
        const determining = decision.clauses[0];
        const determiningKey = determining === undefined ? undefined : `${determining.agreement}/${determining.clause}`;
        for (const evaluation of considered) {
          const key = `${evaluation.agreement}/${evaluation.clause}`;
          if (!candidateKeys.has(key)) continue;
          const stat = stats.get(key)!;
          const flowPurpose = `${flow}|${cell.purpose!}`;
          if (evaluation.applies) {
            stat.applies = true;
            let purposes = stat.appliedFlows.get(flow);
            if (purposes === undefined) stat.appliedFlows.set(flow, (purposes = new Set()));
            purposes.add(cell.purpose!);
            if (key === determiningKey) stat.determines = true;
            else if (determiningKey !== undefined) stat.shadowers.add(determiningKey);
          } else if (evaluation.failed !== undefined) {
            const known = stat.furthest.get(flowPurpose);
            if (known === undefined || failureStage(evaluation.failed) > failureStage(known)) stat.furthest.set(flowPurpose, evaluation.failed);
          }
        }
      }
    }
  }

  const findings: LintFinding[] = [];
  for (const [key, stat] of stats) {
    const ref = refOf(stat.agreement, stat.clause);
    if (stat.applies && !stat.determines) {
      const by = [...stat.shadowers].sort().map((shadower) => describeClause(refOf(stats.get(shadower)!.agreement, stats.get(shadower)!.clause)));
      findings.push({
        rule: 'clause-shadowed',
        severity: 'warning',
        message: `${describeClause(ref)} is shadowed: whenever it applies, ${by.join(' or ')} applies too and decides first, so it never determines a decision and its obligations never travel`,
        ...at(stat.clause.source),
        clause: ref,
      });
    }
    findings.push(...neverMet(stat, ref));
    if (stat.determines) {
      const takers = redundancy(policy, key, stat);
      if (takers !== undefined) {
        findings.push({
          rule: 'clause-redundant',
          severity: 'info',
          message: `${describeClause(ref)} is redundant: without it every question gets the same effect (from ${takers.join(', ')}); only the clause cited and its obligations would change`,
          ...at(stat.clause.source),
          clause: ref,
        });
      }
    }
  }
  return findings;
}

/** Flows and purposes for which the clause never applies, grouped by why. */
function neverMet(stat: ClauseStats, ref: ClauseRef): LintFinding[] {
  const byReason = new Map<string, { flows: Set<string>; purposes: Set<string> }>();
  for (const [flowPurpose, failure] of stat.furthest) {
    const [flow = '', purpose = ''] = flowPurpose.split('|');
    if (stat.appliedFlows.get(flow)?.has(purpose as Purpose) === true) continue;
    let entry = byReason.get(failure.text);
    if (entry === undefined) byReason.set(failure.text, (entry = { flows: new Set(), purposes: new Set() }));
    entry.flows.add(flow);
    entry.purposes.add(purpose);
  }
  const findings: LintFinding[] = [];
  for (const [text, { flows, purposes }] of byReason) {
    const owners = [...new Set([...flows].map((flow) => flow.split('>')[0]!))].sort();
    const flowText = owners
      .map((owner) => `${owner} data to ${[...flows].filter((flow) => flow.startsWith(`${owner}>`)).map((flow) => flow.split('>')[1]!).sort().join(', ')}`)
      .join('; ');
    const scope = `for ${flowText}, for ${[...purposes].join(', ')}`;
    findings.push({
      rule: 'condition-never-met',
      severity: 'warning',
      message: `${describeClause(ref)} never applies${stat.applies ? '' : ' at all'} ${scope}, whatever the request carries and at any time: ${text}`,
      ...at(stat.clause.source),
      clause: ref,
    });
  }
  return findings;
}

/**
 * The clauses that take over when this one is removed, if removing it changes no effect on any question
 * of the cells where it is a candidate; undefined when some effect changes.
 */
function redundancy(policy: Policy, key: string, stat: ClauseStats): string[] | undefined {
  const set = policy.set;
  const without = compilePolicy({
    ...set,
    revision: `${set.revision} without ${key}`,
    agreements: set.agreements.map((agreement) => (agreement === stat.agreement ? { ...agreement, clauses: agreement.clauses.filter((clause) => clause !== stat.clause) } : agreement)),
  });
  const takers = new Set<string>();
  for (const cell of stat.cells) {
    const candidates = candidatesOf(policy, cell);
    const dimensions = dimensionsOf(candidates);
    for (const time of timePointsOf(edgesOf(candidates))) {
      for (const profile of profilesOf(dimensions, cell.requester)) {
        const input = inputOf(cell, profile, time.at, dimensions.teams);
        const with_ = policy.decide(input);
        const clause = with_.clauses[0];
        if (clause === undefined || `${clause.agreement}/${clause.clause}` !== key) continue;
        const other = without.decide(input);
        if (EFFECT_RANK[other.effect] !== EFFECT_RANK[with_.effect]) return undefined;
        const taker = other.clauses[0];
        if (taker !== undefined) takers.add(describeClause(taker));
      }
    }
  }
  return [...takers].sort();
}

/** How far a clause got (policy/evaluateClause.ts order): the furthest failure says most. */
function failureStage(failure: FailedCondition): number {
  switch (failure.kind) {
    case 'direction':
    case 'category':
    case 'purpose':
      return 0;
    case 'notInForce':
      return 1;
    case 'domesticGate':
      return 3;
    case 'jointTeamScope':
    case 'sourceGrade':
      return 4;
    default:
      return 2;
  }
}

function refOf(agreement: Agreement, clause: Clause): ClauseRef {
  return { agreement: agreement.id, clause: clause.id, title: agreement.title, citation: clause.citation };
}

export function describeClause(ref: ClauseRef): string {
  return `${ref.title} ${ref.citation} (${ref.agreement}/${ref.clause})`;
}

function at(source: { file: string; line: number }): { file: string; line: number } {
  return { file: source.file, line: source.line };
}
