// The filler: records grown by `size` and drawn from the seed, in rings (ring.ts). Every filler record is
// a pure function of (seed, members, id, its ring): each draws from its own streams, keyed by its id, and
// what other records need of it (a person's name, a suspect's accounts, a compound's place, a case's
// operations) has a stream of its own, so it can be drawn again without generating the whole record.
// Filler never reuses the core's demo names and numbers (fillerWords.ts, Rng.digits).
import { core } from './core';
import {
  ALIAS_TITLES,
  ALIAS_WORDS,
  COMPOUND_ADJECTIVES,
  COMPOUND_NOUNS,
  COMPOUND_SUFFIXES,
  EVIDENCE,
  FRAUD_METHODS,
  FRAUD_OFFENCES,
  INJURIES,
  KH_COMMUNES,
  KR_STATIONS,
  KR_UNITS,
  MESSAGES,
  NEEDS,
  OFFENCES,
  RAID_OUTCOMES,
  SECURITY,
  SENTENCES,
  STREETS,
  TRAFFICKING_METHODS,
  TRAFFICKING_OFFENCES,
} from './fillerWords';
import { drawIdentity, type Identity } from './identity';
import { nationalSuspectFields } from './nationalFields';
import { SUSPECT_NATIONALITIES, VICTIM_NATIONALITIES, phoneCountry, profileOf } from './profiles';
import { Rng, hashString, hex, mix, pad } from './random';
import { linkedCasesIn, neighbours, type RingPlan } from './ring';
import {
  OPERATIONS,
  SOURCE_GRADES,
  type BorderMovement,
  type CallRecord,
  type CaseRecord,
  type CaseStatus,
  type CompoundRecord,
  type CompoundStatus,
  type Conviction,
  type FinancialAccount,
  type GeoPoint,
  type InterceptedMessage,
  type InterpolNoticeColour,
  type Location,
  type Money,
  type Raid,
  type SuspectRecord,
  type Transaction,
  type VictimRecord,
  type VictimStatus,
  type WantedStatus,
  type Warrant,
} from './types';
import { loc, passport, subscriber } from './values';

/** The alphabet of the filler's crypto wallet addresses (base58, as TRC-20 addresses are written). */
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** The filler records of one world (its seed and members); World.ts decides which record is which. */
export class Filler {
  constructor(
    private readonly seed: number,
    /** The world's members: a victim who is a member's national is at home there. */
    private readonly members: readonly string[],
  ) {}

  private operationsOfCases(caseIds: readonly string[], plan: RingPlan | undefined): string[] {
    const operations = new Set<string>();
    for (const caseId of caseIds)
      for (const operation of this.caseOperations(caseId, plan)) operations.add(operation);
    return [...operations].sort();
  }

  /** A filler case's operations, from its own stream and its ring's compound (cheap, no full case). */
  private caseOperations(caseId: string, plan: RingPlan | undefined): string[] {
    const owner = caseId.slice(0, 2);
    const rng = this.rng(caseId, 'operations');
    const compoundCountry = plan?.compoundCountry;
    if ((owner === 'KR' || owner === 'KH') && compoundCountry === 'KH' && rng.chance(0.5))
      return [OPERATIONS.BREAKING_CHAINS];
    if ((owner === 'KR' || owner === 'PH') && compoundCountry === 'PH' && rng.chance(0.4))
      return [OPERATIONS.SILVER_TIDE];
    return rng.chance(0.08) ? [OPERATIONS.BREAKING_CHAINS] : [];
  }

  private rng(id: string, stream: string): Rng {
    return new Rng(mix(this.seed, hashString(id), hashString(stream)));
  }

  private identity(
    id: string,
    owner: string,
    nationalities: Readonly<Record<string, readonly (readonly [string, number])[]>>,
    years: readonly [number, number],
  ): Identity {
    return drawIdentity(this.rng(id, 'identity'), owner, nationalities, years);
  }

  private suspectIdentity(id: string): Identity {
    return this.identity(id, id.slice(0, 2), SUSPECT_NATIONALITIES, [1962, 2002]);
  }

  /** A filler suspect's accounts, from their own stream: cases list them as proceeds without the suspect. */
  private suspectAccounts(id: string): FinancialAccount[] {
    const known = core().records.get(id);
    if (known) return [...(known as SuspectRecord).financialAccounts];
    const rng = this.rng(id, 'accounts');
    const person = this.suspectIdentity(id);
    const owner = id.slice(0, 2);
    const accounts: FinancialAccount[] = [];
    const count = rng.int(0, 3);
    for (let i = 0; i < count; i++) {
      const where = rng.chance(0.7) ? owner : person.nationality;
      if (rng.chance(0.25)) {
        let address = 'T';
        for (let k = 0; k < 33; k++) address += BASE58.charAt(rng.int(0, BASE58.length - 1));
        accounts.push({
          kind: 'crypto_wallet',
          institution: 'USDT (TRC-20)',
          number: address,
          country: where,
          holderName: person.fullName,
        });
      } else {
        const profile = profileOf(where);
        const mule = rng.chance(0.3);
        accounts.push({
          kind: where === 'PH' && rng.chance(0.4) ? 'e_wallet' : 'bank',
          institution: rng.pick(profile.banks),
          number: `${rng.digits(3)}-${rng.digits(4)}-${rng.digits(5)}`,
          country: where,
          holderName: mule
            ? this.identity(`${id}/mule${i}`, where, VICTIM_NATIONALITIES, [1970, 2004]).fullName
            : person.fullName,
        });
      }
    }
    return accounts;
  }

  private point(rng: Rng, country: string): GeoPoint {
    const [latMin, latMax, lonMin, lonMax] = profileOf(country).box;
    const round = (value: number): number => Math.round(value * 10_000) / 10_000;
    return {
      latitude: round(latMin + rng.float() * (latMax - latMin)),
      longitude: round(lonMin + rng.float() * (lonMax - lonMin)),
    };
  }

  /** A compound's place, from its own stream: victims confined there need it without the compound. */
  private compoundSite(id: string): {
    name: string;
    town: string;
    province: string;
    country: string;
    point: GeoPoint;
  } {
    const known = core().records.get(id) as CompoundRecord | undefined;
    if (known)
      return {
        name: known.name,
        town: known.address,
        province: known.province,
        country: known.country,
        point: known.coordinates,
      };
    const rng = this.rng(id, 'site');
    const country = id.slice(0, 2);
    const profile = profileOf(country);
    return {
      name: `${rng.pick(COMPOUND_ADJECTIVES)} ${rng.pick(COMPOUND_NOUNS)} ${rng.pick(COMPOUND_SUFFIXES)}`,
      town: rng.pick(profile.towns),
      province: rng.pick(profile.provinces),
      country,
      point: this.point(rng, country),
    };
  }

  suspect(id: string, owner: string, plan: RingPlan | undefined): SuspectRecord {
    const rng = this.rng(id, 'suspect');
    const person = this.suspectIdentity(id);
    const home = profileOf(person.nationality);
    const local = profileOf(owner);
    const passports = [home.passport(rng), ...(rng.chance(0.2) ? [home.passport(rng)] : [])];
    const phones = [
      local.phone(rng),
      ...(rng.chance(0.4) ? [home.phone(rng)] : []),
      ...(rng.chance(0.15) ? [local.phone(rng)] : []),
    ];
    const handleBase = `${person.given.split(/[ -]/)[0]!.toLowerCase()}_${person.family.toLowerCase()}${rng.digits(2)}`;
    const messengerHandles = rng
      .sample(home.messenger, rng.int(0, 2))
      .map(
        (app) =>
          `${app}:${app === 'zalo' || app === 'viber' ? phones[0]!.replace(/[^\d+]/g, '') : `@${handleBase}`}`,
      );
    const aliases: string[] = [];
    for (let i = rng.int(0, 2); i > 0; i--)
      aliases.push(rng.chance(0.5) ? rng.pick(ALIAS_WORDS) : `${rng.pick(ALIAS_TITLES)} ${person.family}`);
    const wanted = rng.chance(0.3);
    const warrants: Warrant[] = wanted
      ? Array.from({ length: rng.int(1, 2) }, () => ({
          reference: `${local.agencyCode}-W-${rng.int(2019, 2025)}-${rng.digits(5)}`,
          issuedBy: rng.pick(local.courts),
          issuedOn: rng.date(2019, 2025),
          offence: rng.pick(OFFENCES),
        }))
      : [];
    const notice = rng.chance(wanted ? 0.35 : 0.03);
    const wantedStatus: WantedStatus = {
      wanted,
      warrants,
      interpolNotice: notice
        ? {
            colour: rng.weighted<InterpolNoticeColour>([
              ['RED', 6],
              ['BLUE', 3],
              ['PURPLE', 1],
            ]),
            id: `A-${rng.digits(4)}/${rng.int(1, 12)}-${rng.int(2018, 2025)}`,
          }
        : null,
    };
    const criminalRecord: Conviction[] = Array.from(
      {
        length: rng.weighted([
          [0, 6],
          [1, 3],
          [2, 1],
        ]),
      },
      () => ({
        court: rng.pick(home.courts),
        date: rng.date(2005, 2023),
        offence: rng.pick(OFFENCES),
        sentence: rng.pick(SENTENCES),
      }),
    );
    const site = plan ? this.compoundSite(plan.compound) : undefined;
    const lastKnownLocation = rng.chance(0.8)
      ? site && rng.chance(0.5)
        ? loc(`near ${site.name}, ${site.town}`, site.country, site.point, rng.timestamp(2024, 2025))
        : loc(rng.pick(local.towns), owner, this.point(rng, owner), rng.timestamp(2023, 2025))
      : null;
    const borderMovements: BorderMovement[] = [];
    for (
      let i = rng.weighted([
        [0, 4],
        [1, 2],
        [2, 3],
        [4, 1],
      ]);
      i > 0;
      i--
    ) {
      borderMovements.push({
        direction: rng.chance(0.5) ? 'ENTRY' : 'EXIT',
        crossingPoint: rng.pick(local.crossingPoints),
        country: owner,
        at: rng.timestamp(2021, 2025),
        documentNumber: rng.pick(passports),
      });
    }
    borderMovements.sort((a, b) => a.at.localeCompare(b.at));
    const travelDocuments = passports.map((number) =>
      passport(number, person.nationality, rng.date(2026, 2034)),
    );
    const subscriberRecords = phones.map((phone) =>
      subscriber(
        phone,
        rng.pick(profileOf(phoneCountry(phone) ?? owner).telecom),
        rng.chance(0.7)
          ? person.fullName
          : this.identity(`${id}/${phone}`, owner, VICTIM_NATIONALITIES, [1950, 2004]).fullName,
        rng.date(2015, 2025),
      ),
    );
    const callRecords: CallRecord[] = Array.from(
      {
        length: rng.weighted([
          [0, 5],
          [1, 2],
          [3, 1],
        ]),
      },
      () => ({
        from: rng.pick(phones),
        to: profileOf('KR').phone(rng),
        at: rng.timestamp(2024, 2025),
        durationSeconds: rng.int(20, 1800),
      }),
    );
    const interceptedMessages: InterceptedMessage[] =
      messengerHandles.length && rng.chance(0.15)
        ? [
            {
              at: rng.timestamp(2024, 2025),
              channel: 'Telegram',
              from: messengerHandles[0]!,
              to: `telegram:@${rng.pick(ALIAS_WORDS).toLowerCase().replace(/ /g, '_')}${rng.digits(3)}`,
              content: rng.pick(MESSAGES),
            },
          ]
        : [];
    const linkedCases = linkedCasesIn(plan, id, 'suspects');
    const associates = plan ? neighbours(plan.suspects, id) : [];
    return {
      id,
      country: owner,
      sourceGrade: rng.pick(SOURCE_GRADES),
      operations: this.operationsOfCases(linkedCases, plan),
      national: nationalSuspectFields(owner, person, rng),
      fullName: person.fullName,
      aliases,
      dateOfBirth: person.dateOfBirth,
      nationality: person.nationality,
      passportNumbers: passports,
      phones,
      messengerHandles,
      wantedStatus,
      criminalRecord,
      lastKnownLocation,
      borderMovements,
      travelDocuments,
      financialAccounts: this.suspectAccounts(id),
      subscriberRecords,
      callRecords,
      interceptedMessages,
      associates,
      linkedCases,
      biometricTemplateHash: rng.chance(0.3) ? `sha256:${hex(rng, 64)}` : null,
    };
  }

  compound(id: string, owner: string, plan: RingPlan | undefined): CompoundRecord {
    const rng = this.rng(id, 'compound');
    const site = this.compoundSite(id);
    const status = rng.weighted<CompoundStatus>([
      ['ACTIVE', 55],
      ['RAIDED', 30],
      ['RELOCATED', 15],
    ]);
    const profile = profileOf(owner);
    const raids: Raid[] =
      status === 'RAIDED' || rng.chance(0.1)
        ? [
            {
              date: rng.date(2022, 2025),
              leadAgency: profile.agency,
              outcome: rng.pick(RAID_OUTCOMES),
              workersFreed: rng.int(0, 400),
              arrests: rng.int(0, 60),
            },
          ]
        : [];
    const linkedCases = plan ? [...plan.cases.keys()].sort() : [];
    return {
      id,
      country: owner,
      sourceGrade: rng.pick(SOURCE_GRADES),
      operations: this.operationsOfCases(linkedCases, plan),
      national:
        owner === 'KH' ? { commune: `${rng.pick(['Sangkat', 'Khum'])} ${rng.pick(KH_COMMUNES)}` } : {},
      name: site.name,
      address: `Building ${rng.pick(['A', 'B', 'C', 'D', '1', '2', '3'])}, ${site.name}, ${rng.pick(STREETS)} ${rng.int(1, 120)}, ${site.town}`,
      province: site.province,
      coordinates: site.point,
      status,
      estimatedWorkers: rng.int(20, 3000),
      security: rng.pick(SECURITY),
      operators: plan ? plan.operators : [],
      raids,
      linkedCases,
    };
  }

  case(id: string, owner: string, plan: RingPlan | undefined): CaseRecord {
    const rng = this.rng(id, 'case');
    const profile = profileOf(owner);
    const year = rng.int(2021, 2025);
    const caseNumber = `${profile.agencyCode}-${year}-${pad(Number(id.slice(-6)) % 100_000, 5)}`;
    const links = plan?.cases.get(id) ?? { suspects: [], victims: [] };
    const money = (amount: number): Money => ({ amount, currency: profile.currency });
    const [lossMin, lossMax] = profile.lossRange;
    const trafficking = rng.chance(0.4);
    const loss = trafficking ? 0 : Math.round(lossMin + rng.float() * (lossMax - lossMin));
    const proceeds = rng.sample(
      links.suspects.flatMap((suspect) => this.suspectAccounts(suspect)),
      3,
    );
    const transactions: Transaction[] = proceeds.length
      ? Array.from({ length: rng.int(0, 3) }, () => ({
          at: rng.timestamp(year, Math.min(year + 1, 2025)),
          fromAccount: `${rng.digits(3)}-${rng.digits(3)}-${rng.digits(6)} (${rng.pick(profile.banks)}, victim)`,
          toAccount: rng.pick(proceeds).number,
          amount: money(Math.max(1, Math.round(loss * (0.1 + rng.float() * 0.4)))),
        }))
      : [];
    const frozen = loss > 0 && rng.chance(0.3) ? money(Math.round(loss * rng.float() * 0.5)) : null;
    const recovered = loss > 0 && rng.chance(0.2) ? money(Math.round(loss * rng.float() * 0.3)) : null;
    return {
      id,
      country: owner,
      sourceGrade: rng.pick(SOURCE_GRADES),
      operations: this.caseOperations(id, plan),
      national:
        owner === 'KR'
          ? { investigatingUnit: `${rng.pick(KR_UNITS)}, ${rng.pick(KR_STATIONS)} Police Station` }
          : {},
      caseNumber,
      leadAgency: profile.agency,
      offences: trafficking
        ? rng.sample(TRAFFICKING_OFFENCES, rng.int(1, 3))
        : rng.sample(FRAUD_OFFENCES, rng.int(1, 3)),
      status: rng.weighted<CaseStatus>([
        ['OPEN', 3],
        ['UNDER_INVESTIGATION', 4],
        ['PROSECUTION', 2],
        ['CLOSED', 1],
      ]),
      modusOperandi: trafficking ? rng.pick(TRAFFICKING_METHODS) : rng.pick(FRAUD_METHODS),
      lossAmount: money(loss),
      suspects: links.suspects,
      compounds: plan ? [plan.compound] : [],
      victims: links.victims,
      evidence: Array.from({ length: rng.int(0, 3) }, (_, k) => ({
        reference: `${caseNumber}-E${k + 1}`,
        description: rng.pick(EVIDENCE),
        custodian: `${profile.agency} evidence store`,
        seizedOn: rng.date(year, 2025),
      })),
      proceedsAccounts: proceeds,
      transactions,
      frozenAmount: frozen,
      recoveredAmount: recovered,
    };
  }

  victim(id: string, owner: string, plan: RingPlan | undefined): VictimRecord {
    const rng = this.rng(id, 'victim');
    const person = this.identity(id, owner, VICTIM_NATIONALITIES, [1945, 2006]);
    const defraudedOnly = rng.chance(0.2) || !plan;
    const status: VictimStatus | null = defraudedOnly
      ? null
      : rng.weighted<VictimStatus>([
          ['MISSING', 20],
          ['CONFINED', 30],
          ['RESCUED', 30],
          ['REPATRIATED', 20],
        ]);
    const site = plan ? this.compoundSite(plan.compound) : undefined;
    const homeCountry = this.members.includes(person.nationality) ? person.nationality : owner;
    const home = (): Location =>
      loc(`${rng.pick(profileOf(homeCountry).towns)} (home)`, homeCountry, null, rng.timestamp(2023, 2025));
    let lastKnownLocation: Location | null;
    let confinedAt: string | null = null;
    switch (status) {
      case null:
        lastKnownLocation = home();
        break;
      case 'MISSING':
        lastKnownLocation = site
          ? loc(`${site.town} (last message to family)`, site.country, site.point, rng.timestamp(2024, 2025))
          : null;
        confinedAt = rng.chance(0.5) ? plan!.compound : null;
        break;
      case 'CONFINED':
        lastKnownLocation = loc(
          `${site!.name} (reported)`,
          site!.country,
          site!.point,
          rng.timestamp(2024, 2025),
        );
        confinedAt = plan!.compound;
        break;
      case 'RESCUED':
        lastKnownLocation = loc(
          `${site!.town} victim shelter`,
          site!.country,
          this.point(rng, site!.country),
          rng.timestamp(2023, 2025),
        );
        confinedAt = plan!.compound;
        break;
      case 'REPATRIATED':
        lastKnownLocation = home();
        confinedAt = plan!.compound;
        break;
      default: {
        const unreachable: never = status;
        throw new Error(`unknown victim status ${String(unreachable)}`);
      }
    }
    const linkedCases = linkedCasesIn(plan, id, 'victims');
    return {
      id,
      country: owner,
      sourceGrade: rng.pick(SOURCE_GRADES),
      operations: this.operationsOfCases(linkedCases, plan),
      national: {},
      fullName: person.fullName,
      dateOfBirth: person.dateOfBirth,
      nationality: person.nationality,
      status,
      lastKnownLocation,
      confinedAt,
      injuries: status && status !== 'MISSING' ? rng.sample(INJURIES, rng.int(0, 2)) : [],
      needs: status ? rng.sample(NEEDS, rng.int(1, 3)) : ['victim support'],
      linkedCases,
    };
  }
}
