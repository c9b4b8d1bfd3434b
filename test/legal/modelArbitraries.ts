/**
 * Random agreement sets and random questions for the differential test of the engine against the
 * reference model (test/legal/model.test.ts). The sets are plain data of the loaded shape (what the
 * loader hands the engine), drawn from small pools so that clauses collide on pairs, categories and
 * purposes, and questions fall on and around every validity edge of the set they are asked of.
 */
import fc from 'fast-check';
import type {
  Agreement,
  AgreementSet,
  Clause,
  Conditions,
  DecisionInput,
  DomesticGate,
  Grant,
  JointTeam,
  Obligations,
} from '../../policy';
import type { ModelQuestion } from '../../legal/model';
import {
  CATEGORIES,
  LEGAL_BASIS_KINDS,
  META_REFERENCE,
  PURPOSES,
  type Category,
  type LegalBasisKind,
  type Purpose,
} from '../../vocabulary';

const COUNTRIES = ['AA', 'BB', 'CC'] as const;
const ANALYSTS = ['ann', 'bo', 'cy'] as const;
const OPERATIONS = ['OP-1', 'OP-2'] as const;
const TEAMS = ['team-1', 'team-2'] as const;
const GRADES = ['A', 'B', 'C', 'X'] as const;
/** What a record may carry as its grade: good, bad, with a digit, unknown letters, blank. */
const RECORD_GRADES = ['A', 'B2', 'C', 'X', 'Z', ''] as const;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const BASE = Date.UTC(2024, 0, 1);
const location = { file: 'random.yaml', line: 1 };

const dayText = (offset: number): string => new Date(BASE + offset * DAY).toISOString().slice(0, 10);
const window = fc
  .tuple(fc.integer({ min: 0, max: 12 }), fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }))
  .map(([from, length]) => ({
    from: dayText(from),
    until: length === undefined ? undefined : dayText(from + length),
  }));

/** The categories and purposes one set speaks about: few, so that its clauses overlap. */
export interface Universe {
  readonly categories: readonly Category[];
  readonly purposes: readonly Purpose[];
}
const universe: fc.Arbitrary<Universe> = fc.record({
  categories: fc.shuffledSubarray(
    CATEGORIES.filter((category) => category !== META_REFERENCE),
    { minLength: 1, maxLength: 3 },
  ),
  purposes: fc.shuffledSubarray([...PURPOSES], { minLength: 1, maxLength: 2 }),
});

const obligations: fc.Arbitrary<Obligations> = fc.record(
  {
    handlingCode: fc.constantFrom('H0', 'H1', 'H2', 'H3'),
    onwardTransfer: fc.constantFrom('forbidden', 'with_consent', 'allowed'),
    evidentiaryUse: fc.constantFrom('forbidden', 'with_consent', 'allowed'),
    retentionDays: fc.integer({ min: 1, max: 3650 }),
    notifySource: fc.boolean(),
    reviewWithinHours: fc.integer({ min: 1, max: 96 }),
  },
  { requiredKeys: ['handlingCode', 'onwardTransfer', 'evidentiaryUse', 'retentionDays', 'notifySource'] },
);

const team = (parties: readonly string[]): fc.Arbitrary<JointTeam> =>
  fc
    .record({
      id: fc.constantFrom(...TEAMS),
      members: fc.dictionary(
        fc.constantFrom(...parties),
        fc.shuffledSubarray([...ANALYSTS], { minLength: 1 }),
        { minKeys: 1 },
      ),
      operation: fc.constantFrom(...OPERATIONS),
      window,
    })
    .map(({ window: days, ...rest }) => ({
      ...rest,
      validFrom: days.from,
      validUntil: days.until ?? days.from,
    }));

const seldom = fc.constantFrom(false, false, true);

function clause(
  id: string,
  parties: readonly string[],
  world: Universe,
  requestReference: fc.Arbitrary<boolean>,
): fc.Arbitrary<Clause> {
  return fc.constantFrom(...LEGAL_BASIS_KINDS).chain((basis: LegalBasisKind) =>
    fc
      .record({
        purposes: fc.shuffledSubarray([...world.purposes], { minLength: 1 }),
        categories: fc.dictionary(
          fc.constantFrom(...world.categories),
          fc.constantFrom('release' as const, 'hit-only' as const),
          { minKeys: 1 },
        ),
        direction: fc.oneof(
          fc.constant('both' as const),
          fc
            .tuple(
              fc.shuffledSubarray([...parties], { minLength: 1 }),
              fc.shuffledSubarray([...parties], { minLength: 1 }),
            )
            .map(([from, to]) => ({ from, to })),
        ),
        // Each extra reference now and then: a clause that asks for all of them would rarely apply.
        flags: fc.record({
          caseReference: seldom,
          requestReference,
          warrantReference: seldom,
          interpolNotice: seldom,
        }),
        grade: fc.option(fc.constantFrom(...GRADES), { nil: undefined }),
        jointTeam: team(parties),
        hours: fc.constantFrom(1, 2, 24),
        // The colours a notice clause takes, now and then none named (any notice).
        colours: fc.option(fc.subarray(['red', 'yellow', 'blue'] as const, { minLength: 1 }), {
          nil: undefined,
        }),
        obligations,
      })
      .map(
        ({
          purposes,
          categories,
          direction,
          flags,
          grade,
          jointTeam,
          hours,
          colours,
          obligations: duties,
        }): Clause => {
          const conditions: Conditions = {
            ...Object.fromEntries(Object.entries(flags).filter(([, on]) => on)),
            ...(grade !== undefined && { minimumSourceGrade: grade }),
            ...(flags.interpolNotice && colours !== undefined && { noticeColours: colours }),
            ...(basis === 'JIT' && { jointTeam }),
            ...(basis === 'EMERGENCY' && { emergency: { maxDurationHours: hours } }),
          };
          const modes =
            basis === 'HIT_ONLY'
              ? Object.fromEntries(Object.keys(categories).map((category) => [category, 'hit-only']))
              : categories;
          return {
            id,
            citation: `art. ${id}`,
            basis,
            purposes,
            categories: modes,
            direction,
            conditions,
            obligations: duties,
            source: location,
          };
        },
      ),
  );
}

function agreement(
  index: number,
  world: Universe,
  requestReference: fc.Arbitrary<boolean>,
): fc.Arbitrary<Agreement> {
  return fc
    .record({
      parties: fc.shuffledSubarray([...COUNTRIES], { minLength: 2 }),
      window,
      clauseCount: fc.integer({ min: 1, max: 3 }),
    })
    .chain(({ parties, window: days, clauseCount }) =>
      fc
        .tuple(
          ...Array.from({ length: clauseCount }, (_, i) => clause(`c${i}`, parties, world, requestReference)),
        )
        .map((clauses): Agreement => ({
          id: `agreement-${index}`,
          title: `Agreement ${index}`,
          kind: parties.length === 2 ? 'bilateral' : 'multilateral',
          parties,
          instrument: { citation: `Instrument ${index}` },
          inForce: days.until === undefined ? { from: days.from } : { from: days.from, until: days.until },
          clauses,
          source: location,
        })),
    );
}

const ground = (id: string, world: Universe) =>
  fc.record(
    {
      id: fc.constant(id),
      citation: fc.constant(`art. ${id}`),
      bases: fc.shuffledSubarray([...LEGAL_BASIS_KINDS], { minLength: 1 }),
      purposes: fc.shuffledSubarray([...world.purposes], { minLength: 1 }),
      source: fc.constant(location),
    },
    { requiredKeys: ['id', 'citation', 'source'] },
  );

function gate(owner: string, world: Universe): fc.Arbitrary<DomesticGate> {
  return fc
    .record({
      grounds: fc.array(ground('g', world), { minLength: 1, maxLength: 3 }),
      requirements: fc.array(ground('r', world), { maxLength: 1 }),
    })
    .map(({ grounds, requirements }) => ({
      owner,
      title: `${owner} gate`,
      law: `${owner} law`,
      grounds: grounds.map((item, i) => ({ ...item, id: `g${i}` })),
      requirements,
      source: location,
    }));
}

export interface RandomSet {
  readonly set: AgreementSet;
  readonly world: Universe;
}

/** Random sets; `requestReference` draws whether a clause needs a request reference (seldom by default). */
export function randomSetWith(requestReference: fc.Arbitrary<boolean> = seldom): fc.Arbitrary<RandomSet> {
  return universe.chain((world) =>
    fc
      .record({
        agreementCount: fc.integer({ min: 1, max: 4 }),
        gated: fc.subarray([...COUNTRIES]),
      })
      .chain(({ agreementCount, gated }) =>
        fc.record({
          agreements: fc.tuple(
            ...Array.from({ length: agreementCount }, (_, i) => agreement(i, world, requestReference)),
          ),
          gates: fc.tuple(...gated.map((owner) => gate(owner, world))),
        }),
      )
      .map(({ agreements, gates }) => ({
        world,
        set: {
          revision: 'random',
          dir: 'random',
          members: COUNTRIES.map((code) => ({ code, name: code, domesticGate: 'optional' as const })),
          agreements,
          gates,
        },
      })),
  );
}

export const randomSet = randomSetWith();

/** Every moment where something starts or stops in the set, and the millisecond before it. */
export function edgesOf(set: AgreementSet): number[] {
  const days: string[] = [];
  for (const item of set.agreements) {
    days.push(item.inForce.from);
    if (item.inForce.until !== undefined) days.push(item.inForce.until);
    for (const { conditions } of item.clauses) {
      if (conditions.jointTeam !== undefined)
        days.push(conditions.jointTeam.validFrom, conditions.jointTeam.validUntil);
    }
  }
  const starts = days.flatMap((day) => {
    const ms = Date.parse(`${day}T00:00:00Z`);
    return [ms, ms + DAY];
  });
  return starts.flatMap((ms) => [ms - 1, ms]);
}

/** A question in both forms: the engine's input and the model's facts, describing the same request. */
export interface RandomQuestion {
  readonly input: DecisionInput;
  readonly question: ModelQuestion;
}

const blank = fc.constantFrom(undefined, '', '   ');
/** Records a question may be about, and a grant may name. */
const RECORD_IDS = ['AA-SUS-1', 'AA-SUS-2'] as const;
/** Each respect in which a drawn grant may miss the question, each now and then. */
const SPOILS = [
  'name',
  'country',
  'analyst',
  'purpose',
  'case',
  'subject',
  'category',
  'clause',
  'early',
  'expired',
  'revoked',
] as const;
type Spoil = (typeof SPOILS)[number];
/** None (half the time) or exactly one respect: a grant short of the question in one way is the hard case. */
const spoiled = fc
  .constantFrom<Spoil | undefined>(...Array<undefined>(SPOILS.length).fill(undefined), ...SPOILS)
  .map((one) => Object.fromEntries(SPOILS.map((spoil) => [spoil, spoil === one])) as Record<Spoil, boolean>);
/** A reference: mostly carried, sometimes missing or blank. */
const reference = (value: string) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(value) }, { weight: 1, arbitrary: blank });

/** What the decider holds: no grants at all (the gateway), an empty book, or the owner's grant. */
export type Book = 'gateway' | 'empty' | 'held';

export function randomQuestion(
  { set, world }: RandomSet,
  books: readonly Book[] = ['gateway', 'empty', 'held', 'held'],
): fc.Arbitrary<RandomQuestion> {
  const edges = edgesOf(set);
  const withRequestClause = set.agreements.flatMap((item, i) =>
    item.clauses.some((clause) => clause.conditions.requestReference === true) ? [i] : [],
  );
  return fc
    .record({
      // Mostly across a border: a domestic question is decided before any clause is read.
      pair: fc.oneof(
        {
          weight: 9,
          arbitrary: fc.constantFrom(
            ...COUNTRIES.flatMap((owner) =>
              COUNTRIES.filter((other) => other !== owner).map((requester) => [owner, requester] as const),
            ),
          ),
        },
        { weight: 1, arbitrary: fc.constantFrom(...COUNTRIES.map((owner) => [owner, owner] as const)) },
      ),
      analyst: fc.constantFrom(...ANALYSTS),
      purpose: fc.option(fc.constantFrom(...world.purposes), { nil: undefined, freq: 8 }),
      category: fc.constantFrom(META_REFERENCE, ...world.categories),
      at: fc.oneof(fc.constantFrom(...edges), fc.integer({ min: BASE - 2 * DAY, max: BASE + 30 * DAY })),
      caseReference: reference('CASE-1'),
      requestReference: reference('REQ-1'),
      warrantReference: reference('W-1'),
      // A notice with a colour a clause may take, one it may not, in capitals, with none, or blank.
      interpolNotice: fc.oneof(
        fc.constantFrom('red:N-1', 'blue:N-1', 'YELLOW:N-1', 'N-1', 'green:N-1'),
        blank,
      ),
      jointTeam: fc.option(fc.constantFrom(...TEAMS), { nil: undefined, freq: 3 }),
      emergency: fc.option(
        fc.record({
          offsetHours: fc.integer({ min: -2, max: 26 }),
          edge: fc.boolean(),
          justification: fc.constantFrom('life at risk', ' ', ''),
        }),
        { nil: undefined },
      ),
      record: fc.option(
        fc.record({
          id: fc.option(fc.constantFrom(...RECORD_IDS), { nil: undefined, freq: 5 }),
          operations: fc.subarray([...OPERATIONS]),
          sourceGrade: fc.option(fc.constantFrom(...RECORD_GRADES), { nil: undefined }),
        }),
        { nil: undefined },
      ),
      book: fc.constantFrom(...books),
      grant: fc.record({
        // Mostly an agreement with a clause that needs a request reference, and all its clauses.
        agreement: fc.constantFrom(
          ...(withRequestClause.length > 0 ? withRequestClause : set.agreements.map((_, i) => i)),
        ),
        clauses: fc.oneof(
          { weight: 3, arbitrary: fc.constant(['c0', 'c1', 'c2']) },
          { weight: 1, arbitrary: fc.shuffledSubarray(['c0', 'c1', 'c2'], { minLength: 1 }) },
        ),
        evidentiaryUse: fc.boolean(),
        spoiled,
      }),
    })
    .map(({ pair: [owner, requester], ...drawn }): RandomQuestion => {
      // An emergency declared some hours before (or after) the moment; `edge` puts the moment exactly on an hour boundary.
      const emergency =
        drawn.emergency === undefined
          ? undefined
          : {
              declaredAt: drawn.at - drawn.emergency.offsetHours * HOUR - (drawn.emergency.edge ? 0 : 1),
              justification: drawn.emergency.justification,
            };
      const record =
        drawn.record === undefined
          ? undefined
          : {
              ...(drawn.record.id !== undefined && { id: drawn.record.id }),
              operations: drawn.record.operations,
              ...(drawn.record.sourceGrade !== undefined && { sourceGrade: drawn.record.sourceGrade }),
            };
      const grant = drawn.book === 'held' ? grantFor(set, drawn, requester) : undefined;
      const grants =
        drawn.book === 'gateway' ? undefined : new Map(grant === undefined ? [] : [[grant.id, grant]]);
      const optional = <K extends string>(key: K, value: string | undefined) =>
        value === undefined ? {} : { [key]: value };
      const input: DecisionInput = {
        owner,
        category: drawn.category,
        at: drawn.at,
        ...(record !== undefined && { record }),
        requester: {
          country: requester,
          analyst: drawn.analyst,
          roles: [],
          ...(drawn.purpose !== undefined && { purpose: drawn.purpose }),
          ...optional('caseReference', drawn.caseReference),
          ...optional('requestReference', drawn.requestReference),
          ...optional('warrantReference', drawn.warrantReference),
          ...optional('interpolNotice', drawn.interpolNotice),
          ...(drawn.jointTeam !== undefined && { jointTeam: drawn.jointTeam }),
          ...(emergency !== undefined && { emergency }),
        },
        ...(grants !== undefined && { grants }),
      };
      // The model's facts, judged here by the rule docs/domain.md#conditions states (present and not blank).
      const carried = (value: string | undefined): boolean => value !== undefined && value.trim() !== '';
      const question: ModelQuestion = {
        owner,
        requester,
        analyst: drawn.analyst,
        purpose: drawn.purpose,
        category: drawn.category,
        at: drawn.at,
        caseReference: carried(drawn.caseReference),
        requestReference: carried(drawn.requestReference),
        grant:
          grant !== undefined && covers(grant, drawn, requester)
            ? {
                id: grant.id,
                clauses: grant.clauses.map((id) => `${grant.agreement}/${id}`),
                evidentiaryUse: grant.evidentiaryUse,
              }
            : undefined,
        warrantReference: carried(drawn.warrantReference),
        interpolNotice: carried(drawn.interpolNotice),
        // The colour is the word before the first colon, in any case (docs/domain.md#interpol-notices).
        noticeColour:
          drawn.interpolNotice !== undefined && drawn.interpolNotice.includes(':')
            ? drawn.interpolNotice.split(':')[0]!.toLowerCase()
            : undefined,
        jointTeam: drawn.jointTeam,
        emergency:
          emergency === undefined
            ? undefined
            : { declaredAt: emergency.declaredAt, justified: carried(emergency.justification) },
        record:
          record === undefined
            ? undefined
            : { operations: record.operations, sourceGrade: record.sourceGrade },
      };
      return { input, question };
    });
}

interface DrawnForGrant {
  readonly analyst: string;
  readonly purpose: Purpose | undefined;
  readonly category: Category;
  readonly at: number;
  readonly caseReference: string | undefined;
  readonly requestReference: string | undefined;
  readonly record: { readonly id: string | undefined } | undefined;
  readonly grant: {
    readonly agreement: number;
    readonly clauses: readonly string[];
    readonly evidentiaryUse: boolean;
    readonly spoiled: Readonly<Record<Spoil, boolean>>;
  };
}

/** The owner's grant by the name REQ-1: made for the question drawn, but for each respect drawn as spoiled. */
function grantFor(set: AgreementSet, drawn: DrawnForGrant, requester: string): Grant {
  const { spoiled: miss } = drawn.grant;
  const agreement = set.agreements[drawn.grant.agreement]!;
  const other = CATEGORIES.find((category) => category !== drawn.category && category !== META_REFERENCE)!;
  return {
    id: miss.name ? 'REQ-2' : 'REQ-1',
    owner: 'any',
    requesterCountry: miss.country ? COUNTRIES.find((country) => country !== requester)! : requester,
    analysts: [miss.analyst ? ANALYSTS.find((analyst) => analyst !== drawn.analyst)! : drawn.analyst],
    purpose: miss.purpose
      ? PURPOSES.find((purpose) => purpose !== drawn.purpose)!
      : (drawn.purpose ?? PURPOSES[0]),
    caseReference: miss.case ? 'CASE-2' : 'CASE-1',
    agreement: agreement.id,
    clauses: miss.clause ? drawn.grant.clauses.map((id) => `${id}-other`) : drawn.grant.clauses,
    subjects: [miss.subject ? RECORD_IDS[1] : RECORD_IDS[0]],
    categories: miss.category || drawn.category === META_REFERENCE ? [other] : [drawn.category],
    validFrom: miss.early ? drawn.at + 1 : drawn.at - DAY,
    validUntil: miss.expired ? drawn.at : drawn.at + DAY,
    ...(miss.revoked && { revokedAt: drawn.at }),
    evidentiaryUse: drawn.grant.evidentiaryUse,
  };
}

/**
 * Whether the grant covers the question, judged here by the rule docs/domain.md#conditions states (not by
 * the engine's code): held under the name the request carries, for this country, analyst, purpose, case
 * and record, for the category (the reference goes with any), valid and not revoked at the moment.
 */
function covers(grant: Grant, drawn: DrawnForGrant, requester: string): boolean {
  return (
    grant.id === drawn.requestReference &&
    grant.requesterCountry === requester &&
    grant.analysts.includes(drawn.analyst) &&
    grant.purpose === drawn.purpose &&
    grant.caseReference === drawn.caseReference &&
    drawn.record?.id !== undefined &&
    grant.subjects.includes(drawn.record.id) &&
    (drawn.category === META_REFERENCE
      ? grant.categories.length > 0
      : grant.categories.includes(drawn.category)) &&
    grant.validFrom <= drawn.at &&
    drawn.at < grant.validUntil &&
    (grant.revokedAt === undefined || drawn.at < grant.revokedAt)
  );
}
