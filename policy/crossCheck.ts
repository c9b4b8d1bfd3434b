/**
 * The rules of an agreement set that a JSON Schema cannot state: names known across files, unique ids,
 * dates that exist and come in order, and the docs/domain.md invariants that can be proven from the data
 * alone (they are then also proven on every decision by test/policy/invariants.test.ts).
 */
import { nearestNames, type Category, type LegalBasisKind } from '../vocabulary';
import type { Problem } from './AgreementSetError';
import { parseIsoDate } from './dates';
import { kindBoundBreaches } from './kindBounds';
import { canonicalJson } from './revision';
import type { Agreement, Clause, Conditions, DomesticGate, Member } from './types';
import type { YamlSource } from './yamlSource';

export interface Loaded<T> {
  readonly value: T;
  readonly source: YamlSource;
}

/** What each kind of basis needs in the request (docs/domain.md#kinds-of-legal-basis). */
const REQUIRED_CONDITION: Readonly<Record<LegalBasisKind, keyof Conditions | undefined>> = {
  MLAT: 'requestReference',
  POLICE_COOPERATION: 'caseReference',
  JIT: 'jointTeam',
  EMERGENCY: 'emergency',
  HIT_ONLY: undefined,
  INTERPOL_NOTICE: 'interpolNotice',
  EXTRADITION: 'warrantReference',
};

/** Categories without personal data: the only ones strategic analysis may touch (docs/domain.md#purposes). */
const NON_PERSONAL: ReadonlySet<Category> = new Set(['compound.location', 'case.reference', 'case.summary']);

export function crossCheck(
  members: Loaded<readonly Member[]> | undefined,
  agreements: readonly Loaded<Agreement>[],
  gates: readonly Loaded<DomesticGate>[],
): Problem[] {
  const problems: Problem[] = [];
  const known = members === undefined ? undefined : checkMembers(members, problems);

  const agreementIds = new Map<string, string>();
  const teamIds = new Map<string, { agreement: string; definition: string }>();
  for (const { value: agreement, source } of agreements) {
    const first = agreementIds.get(agreement.id);
    if (first !== undefined)
      problems.push(source.problem(['id'], `duplicate agreement id '${agreement.id}' (also in ${first})`));
    else agreementIds.set(agreement.id, source.file);
    checkAgreement(agreement, source, known, teamIds, problems);
  }

  const gateOwners = new Map<string, string>();
  for (const { value: gate, source } of gates) {
    const first = gateOwners.get(gate.owner);
    if (first !== undefined)
      problems.push(source.problem(['owner'], `second domestic gate for ${gate.owner} (first in ${first})`));
    else gateOwners.set(gate.owner, source.file);
    checkParty(gate.owner, ['owner'], source, known, problems);
    checkUniqueIds(
      [...gate.grounds, ...gate.requirements],
      (i) =>
        i < gate.grounds.length ? ['grounds', i, 'id'] : ['requirements', i - gate.grounds.length, 'id'],
      'ground',
      source,
      problems,
    );
  }
  if (members !== undefined) {
    members.value.forEach((member, i) => {
      if (member.domesticGate === 'required' && !gateOwners.has(member.code)) {
        problems.push(
          members.source.problem(
            ['members', i, 'domesticGate'],
            `${member.code} requires a domestic gate, but agreements/domestic/ has none for it`,
          ),
        );
      }
    });
  }
  return problems;
}

function checkMembers(members: Loaded<readonly Member[]>, problems: Problem[]): ReadonlySet<string> {
  const codes = new Set<string>();
  members.value.forEach((member, i) => {
    if (codes.has(member.code))
      problems.push(members.source.problem(['members', i, 'code'], `duplicate member '${member.code}'`));
    codes.add(member.code);
  });
  return codes;
}

function checkAgreement(
  agreement: Agreement,
  source: YamlSource,
  known: ReadonlySet<string> | undefined,
  teamIds: Map<string, { agreement: string; definition: string }>,
  problems: Problem[],
): void {
  const parties = new Set(agreement.parties);
  agreement.parties.forEach((party, i) => checkParty(party, ['parties', i], source, known, problems));
  if (agreement.kind === 'bilateral' && agreement.parties.length !== 2) {
    problems.push(
      source.problem(
        ['parties'],
        `a bilateral agreement has exactly 2 parties, not ${agreement.parties.length}`,
      ),
    );
  }
  if (agreement.kind === 'multilateral' && agreement.parties.length < 3) {
    problems.push(
      source.problem(['parties'], `a multilateral agreement has at least 3 parties (use kind: bilateral)`),
    );
  }

  const from = checkDate(agreement.inForce.from, ['inForce', 'from'], source, problems);
  const until =
    agreement.inForce.until === undefined
      ? undefined
      : checkDate(agreement.inForce.until, ['inForce', 'until'], source, problems);
  if (from !== undefined && until !== undefined && until < from) {
    problems.push(
      source.problem(
        ['inForce', 'until'],
        `inForce.until ${agreement.inForce.until ?? ''} is before inForce.from ${agreement.inForce.from}`,
      ),
    );
  }
  if (agreement.instrument.signed !== undefined) {
    const signed = checkDate(agreement.instrument.signed, ['instrument', 'signed'], source, problems);
    if (signed !== undefined && from !== undefined && signed > from) {
      problems.push(
        source.problem(
          ['instrument', 'signed'],
          `signed ${agreement.instrument.signed} after entering into force ${agreement.inForce.from}`,
        ),
      );
    }
  }

  checkUniqueIds(agreement.clauses, (i) => ['clauses', i, 'id'], 'clause', source, problems);
  agreement.clauses.forEach((clause, i) => {
    checkClause(agreement, clause, ['clauses', i], parties, { from, until }, source, teamIds, problems);
  });
}

function checkClause(
  agreement: Agreement,
  clause: Clause,
  at: readonly (string | number)[],
  parties: ReadonlySet<string>,
  inForce: { readonly from: number | undefined; readonly until: number | undefined },
  source: YamlSource,
  teamIds: Map<string, { agreement: string; definition: string }>,
  problems: Problem[],
): void {
  const report = (path: readonly (string | number)[], message: string, key = false): void => {
    problems.push(source.problem([...at, ...path], `clause '${clause.id}': ${message}`, { key }));
  };
  const categories = Object.keys(clause.categories) as Category[];

  if (clause.direction !== 'both') {
    for (const side of ['from', 'to'] as const) {
      clause.direction[side].forEach((party, i) => {
        if (!parties.has(party))
          report(
            ['direction', side, i],
            `direction names ${party}, who is not a party to ${agreement.id} (${[...parties].join(', ')})`,
          );
      });
    }
    const { from, to } = clause.direction;
    if (!from.some((sender) => to.some((receiver) => receiver !== sender)))
      report(['direction'], 'direction lets no data go from one country to another');
  }

  const needed = REQUIRED_CONDITION[clause.basis];
  if (needed !== undefined && !clause.conditions[needed]) {
    report(
      ['conditions'],
      `a ${clause.basis} clause needs the condition '${needed}' (docs/domain.md#kinds-of-legal-basis)`,
    );
  }
  if (clause.basis === 'HIT_ONLY') {
    for (const category of categories) {
      if (clause.categories[category] !== 'hit-only')
        report(
          ['categories', category],
          `a HIT_ONLY clause can only give hit-only, not ${clause.categories[category] ?? ''} for ${category}`,
          true,
        );
    }
  }
  if (clause.conditions.emergency !== undefined && clause.basis !== 'EMERGENCY') {
    report(['conditions', 'emergency'], 'only an EMERGENCY clause takes an emergency condition', true);
  }
  if (clause.conditions.noticeColours !== undefined && clause.conditions.interpolNotice !== true) {
    report(
      ['conditions', 'noticeColours'],
      'noticeColours says which notices meet the interpolNotice condition: set interpolNotice: true as well',
      true,
    );
  }
  if (clause.conditions.jointTeam !== undefined && clause.basis !== 'JIT') {
    report(['conditions', 'jointTeam'], 'only a JIT clause takes a joint-team condition', true);
  }

  // What the kind may ever do (policy/kindBounds.ts): categories, evidentiary use, duration, obligations,
  // and message content only under an MLAT with a request and a judicial order.
  for (const breach of kindBoundBreaches(clause)) report(breach.path, breach.message, breach.key === true);
  if (clause.purposes.includes('strategic_analysis')) {
    for (const category of categories) {
      if (!NON_PERSONAL.has(category)) {
        report(
          ['categories', category],
          `strategic_analysis takes no personal data, so it cannot cover ${category} (only ${[...NON_PERSONAL].join(', ')}); put it in a separate clause`,
          true,
        );
      }
    }
  }
  // H2: no dissemination without the source's permission.
  if (clause.obligations.handlingCode === 'H2' && clause.obligations.onwardTransfer === 'allowed') {
    report(
      ['obligations', 'onwardTransfer'],
      "handling code H2 (no dissemination without permission) contradicts onwardTransfer 'allowed'",
    );
  }

  const team = clause.conditions.jointTeam;
  if (team !== undefined) {
    const teamAt = ['conditions', 'jointTeam'];
    const definition = canonicalJson(team);
    const first = teamIds.get(team.id);
    if (first === undefined) teamIds.set(team.id, { agreement: agreement.id, definition });
    else if (first.agreement !== agreement.id)
      report([...teamAt, 'id'], `joint team '${team.id}' is already defined by ${first.agreement}`);
    else if (first.definition !== definition)
      report(
        [...teamAt, 'id'],
        `joint team '${team.id}' is defined differently in another clause (use one YAML anchor)`,
      );
    for (const country of Object.keys(team.members)) {
      if (!parties.has(country))
        report(
          [...teamAt, 'members', country],
          `joint-team member country ${country} is not a party to ${agreement.id}`,
          true,
        );
    }
    const validFrom = parseIsoDate(team.validFrom);
    const validUntil = parseIsoDate(team.validUntil);
    if (validFrom === undefined)
      report([...teamAt, 'validFrom'], `'${team.validFrom}' is not a calendar date`);
    if (validUntil === undefined)
      report([...teamAt, 'validUntil'], `'${team.validUntil}' is not a calendar date`);
    if (validFrom !== undefined && validUntil !== undefined) {
      if (validUntil < validFrom)
        report(
          [...teamAt, 'validUntil'],
          `validUntil ${team.validUntil} is before validFrom ${team.validFrom}`,
        );
      const outside =
        (inForce.from !== undefined && validFrom < inForce.from) ||
        (inForce.until !== undefined && validUntil > inForce.until);
      if (outside)
        report(
          [...teamAt],
          `the team's window ${team.validFrom}..${team.validUntil} is not inside the agreement's time in force`,
        );
    }
  }
}

function checkParty(
  party: string,
  path: readonly (string | number)[],
  source: YamlSource,
  known: ReadonlySet<string> | undefined,
  problems: Problem[],
): void {
  if (known !== undefined && !known.has(party)) {
    const near = nearestNames(party, [...known]);
    const hint = near.length > 0 ? `did you mean ${near.join(', ')}? ` : '';
    problems.push(
      source.problem(path, `unknown party '${party}' (${hint}members: ${[...known].join(', ')})`),
    );
  }
}

function checkDate(
  text: string,
  path: readonly (string | number)[],
  source: YamlSource,
  problems: Problem[],
): number | undefined {
  const ms = parseIsoDate(text);
  if (ms === undefined) problems.push(source.problem(path, `'${text}' is not a calendar date`));
  return ms;
}

function checkUniqueIds(
  items: readonly { readonly id: string }[],
  pathOf: (index: number) => (string | number)[],
  noun: string,
  source: YamlSource,
  problems: Problem[],
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) problems.push(source.problem(pathOf(i), `duplicate ${noun} id '${item.id}'`));
    seen.add(item.id);
  });
}
