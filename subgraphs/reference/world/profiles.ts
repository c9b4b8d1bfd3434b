// Country profiles: how each member's (and a few other nationalities') names, phones, passports, banks,
// places and courts look, and how a member's share of the world is made up. All names, places and
// institutions are invented.
import type { EntityInterface } from '../../../schema';
import type { Rng } from './random';

export interface NamePool {
  readonly family: readonly string[];
  readonly given: readonly string[];
  /** How a full name is written from a family and a given name. */
  readonly format: (family: string, given: string) => string;
}

const NAME_POOLS: Readonly<Record<string, NamePool>> = {
  KR: {
    family: [
      'Kim',
      'Lee',
      'Park',
      'Choi',
      'Jung',
      'Kang',
      'Cho',
      'Yoon',
      'Jang',
      'Lim',
      'Han',
      'Oh',
      'Shin',
      'Kwon',
      'Hwang',
      'Ahn',
      'Song',
      'Jeon',
      'Hong',
      'Moon',
    ],
    given: [
      'Min-jun',
      'Seo-yeon',
      'Ji-hoon',
      'Ha-rin',
      'Jun-seo',
      'Su-bin',
      'Hyun-woo',
      'Ye-jin',
      'Tae-hoon',
      'Eun-ji',
      'Sung-min',
      'Ji-won',
      'Dong-hyun',
      'Hye-won',
      'Sang-woo',
      'Na-yeon',
      'Jae-sung',
      'Yu-na',
      'Woo-jin',
      'Seung-hee',
    ],
    format: (family, given) => `${family} ${given}`,
  },
  KH: {
    family: ['Sok', 'Chan', 'Keo', 'Heng', 'Meas', 'Ouk', 'Prak', 'Sam', 'Chea', 'Touch', 'Nhem', 'Long'],
    given: [
      'Dara',
      'Vannak',
      'Sophal',
      'Kosal',
      'Vibol',
      'Bopha',
      'Chenda',
      'Sreymom',
      'Rith',
      'Pisey',
      'Sokha',
      'Veasna',
      'Rathana',
      'Sothea',
    ],
    format: (family, given) => `${family} ${given}`,
  },
  TH: {
    family: [
      'Thongsuk',
      'Srisawat',
      'Kaewdee',
      'Chaiyasit',
      'Wongsakul',
      'Phromsri',
      'Rattanaporn',
      'Sukjai',
      'Meechai',
      'Inpanya',
      'Boonsong',
      'Saengthong',
    ],
    given: [
      'Somchai',
      'Niran',
      'Prasert',
      'Wichai',
      'Suda',
      'Malee',
      'Ratana',
      'Chaiwat',
      'Thanawat',
      'Pimchanok',
      'Sakda',
      'Boonmee',
      'Kanya',
      'Arthit',
    ],
    format: (family, given) => `${given} ${family}`,
  },
  PH: {
    family: [
      'Santos',
      'Reyes',
      'Cruz',
      'Bautista',
      'Garcia',
      'Mendoza',
      'Villanueva',
      'Ramos',
      'Castillo',
      'Salazar',
      'Fernandez',
      'Domingo',
      'Pascual',
      'Soriano',
    ],
    given: [
      'Juan',
      'Jose',
      'Mark',
      'John Paul',
      'Maria',
      'Ana',
      'Kristine',
      'Rodel',
      'Jericho',
      'Liza',
      'Ramon',
      'Joy',
      'Arnel',
      'Mylene',
    ],
    format: (family, given) => `${given} ${family}`,
  },
  VN: {
    family: ['Nguyen', 'Tran', 'Le', 'Pham', 'Hoang', 'Vu', 'Dang', 'Bui', 'Ngo', 'Duong'],
    given: [
      'Van An',
      'Thi Thu',
      'Minh Khanh',
      'Quoc Hung',
      'Duc Nam',
      'Thanh Huong',
      'Van Cuong',
      'Thi Linh',
      'Hoang Long',
      'Minh Tuan',
      'Thi Trang',
      'Quang Hai',
    ],
    format: (family, given) => `${family} ${given}`,
  },
  CN: {
    family: ['Chen', 'Wang', 'Zhang', 'Liu', 'Huang', 'Zhou', 'Wu', 'Lin', 'Xu', 'Zhao'],
    given: ['Wei', 'Hao', 'Jun', 'Lei', 'Ming', 'Tao', 'Yong', 'Qiang', 'Jie', 'Fang'],
    format: (family, given) => `${family} ${given}`,
  },
};

/** Khmer script for the KH name pool (national-only field `khmerName`). */
export const KHMER_SCRIPT: Readonly<Record<string, string>> = {
  Sok: 'សុខ',
  Chan: 'ចាន់',
  Keo: 'កែវ',
  Heng: 'ហេង',
  Meas: 'មាស',
  Ouk: 'អ៊ុក',
  Prak: 'ប្រាក់',
  Sam: 'សំ',
  Chea: 'ជា',
  Touch: 'ទូច',
  Nhem: 'ញឹម',
  Long: 'ឡុង',
  Dara: 'ដារ៉ា',
  Vannak: 'វណ្ណៈ',
  Sophal: 'សុផល',
  Kosal: 'កុសល',
  Vibol: 'វិបុល',
  Bopha: 'បុប្ផា',
  Chenda: 'ចិន្ដា',
  Sreymom: 'ស្រីមុំ',
  Rith: 'រិទ្ធ',
  Pisey: 'ពិសី',
  Sokha: 'សុខា',
  Veasna: 'វាសនា',
  Rathana: 'រតនា',
  Sothea: 'សុធា',
};

export interface CountryProfile {
  readonly currency: string;
  /** Loss amounts are drawn in [min, max] of this currency. */
  readonly lossRange: readonly [number, number];
  readonly phone: (rng: Rng) => string;
  readonly passport: (rng: Rng) => string;
  readonly banks: readonly string[];
  readonly telecom: readonly string[];
  readonly towns: readonly string[];
  readonly provinces: readonly string[];
  readonly crossingPoints: readonly string[];
  /** A rough box inside the country for coordinates: [latMin, latMax, lonMin, lonMax]. */
  readonly box: readonly [number, number, number, number];
  readonly agency: string;
  readonly agencyCode: string;
  readonly courts: readonly string[];
  readonly messenger: readonly string[];
}

const PROFILES: Readonly<Record<string, CountryProfile>> = {
  KR: {
    currency: 'KRW',
    lossRange: [3_000_000, 900_000_000],
    phone: (rng) => `+82 10-${rng.digits(4)}-${rng.digits(4)}`,
    passport: (rng) => `M${rng.digits(8)}`,
    banks: ['Hanul Bank', 'Daeyang Savings Bank', 'Mirae Citizens Bank', 'Saebyeok Bank'],
    telecom: ['Hanbit Mobile', 'K-Wave Telecom', 'Sori Mobile'],
    towns: [
      'Haeryong-si',
      'Dongbin-dong, Seonam-gu, Haeryong',
      'Mokhwa-eup',
      'Cheongmun-dong',
      'Gaeul-si',
      'Baekdam-ri',
    ],
    provinces: ['Haeryong Metropolitan City', 'Gaeul Province', 'Baekdam Province'],
    crossingPoints: ['Haeryong International Airport', 'Gaeul Ferry Terminal'],
    box: [35.1, 37.5, 126.8, 129.1],
    agency: 'Haeryong Metropolitan Police Agency — Anti-Telecom Fraud Unit',
    agencyCode: 'HRP',
    courts: ['Haeryong District Court', 'Gaeul District Court'],
    messenger: ['kakaotalk', 'telegram'],
  },
  KH: {
    currency: 'USD',
    lossRange: [2_000, 600_000],
    phone: (rng) =>
      `+855 ${rng.pick(['12', '16', '70', '77', '78', '85', '97'])} ${rng.digits(3)} ${rng.digits(4)}`,
    passport: (rng) => `N${rng.digits(8)}`,
    banks: ['Mekong Pearl Bank', 'Angkor Lotus Bank', 'Tonle Commercial Bank'],
    telecom: ['Angkor Cell', 'Mekong Mobile'],
    towns: ['Prey Meas', 'Kampong Svay Leu', 'Phsar Krom', 'Srae Ampil', 'Koh Sla', 'Phnum Dek'],
    provinces: ['Koh Sla Province', 'Prey Khla Province', 'Srae Meas Province', 'Phnum Dek Province'],
    crossingPoints: [
      'Prey Meas International Airport',
      'Phsar Daek International Checkpoint (KH–TH)',
      'Tan Hoa–Kampong Svay Checkpoint (KH–VN)',
    ],
    box: [10.7, 13.8, 102.6, 106.5],
    agency: 'Cambodian National Police — Anti-Human Trafficking Department',
    agencyCode: 'CNP-AHT',
    courts: ['Koh Sla Provincial Court', 'Prey Khla Provincial Court'],
    messenger: ['telegram', 'wechat'],
  },
  TH: {
    currency: 'THB',
    lossRange: [20_000, 20_000_000],
    phone: (rng) => `+66 ${rng.pick(['6', '8', '9'])}${rng.int(1, 9)} ${rng.digits(3)} ${rng.digits(4)}`,
    passport: (rng) => `AA${rng.digits(7)}`,
    banks: ['Siam Lotus Bank', 'Chao Nam Trust Bank', 'Andaman Savings Bank'],
    telecom: ['Siam Mobile Net', 'Lanna Cell'],
    towns: ['Ban Nong Sai Tai', 'Mae Lamphun Noi', 'Tha Khanun Nuea', 'Ban Huai Daeng', 'Moei Noi'],
    provinces: ['Mae Lamphun Province', 'Nong Sai Province', 'Moei Noi District'],
    crossingPoints: [
      'Moei Noi Friendship Bridge (TH–MM)',
      'Ban Khlong Daen Checkpoint (TH–KH)',
      'Nong Sai International Airport',
    ],
    box: [13.5, 18.5, 98.6, 102.5],
    agency: 'Royal Thai Police — Anti-Trafficking in Persons Division',
    agencyCode: 'RTP-ATPD',
    courts: ['Mae Lamphun Provincial Court', 'Nong Sai Criminal Court'],
    messenger: ['line', 'telegram'],
  },
  PH: {
    currency: 'PHP',
    lossRange: [10_000, 15_000_000],
    phone: (rng) => `+63 9${rng.digits(2)} ${rng.digits(3)} ${rng.digits(4)}`,
    passport: (rng) => `P${rng.digits(7)}A`,
    banks: ['Bayanihan Savings Bank', 'Visayas Pacific Bank', 'Luzon Unity Bank'],
    telecom: ['Islas Telco', 'Kapuluan Mobile'],
    towns: ['Port Lumina', 'Santa Ligaya', 'Bagong Pag-asa', 'San Isidro Norte', 'Dalampasigan'],
    provinces: ['Lumina Province', 'Ligaya Province', 'Dalampasigan Province'],
    crossingPoints: ['Port Lumina International Airport', 'Santa Ligaya Seaport'],
    box: [7.5, 16.5, 120.6, 125.5],
    agency: 'Philippine National Police — Anti-Cybercrime Group',
    agencyCode: 'PNP-ACG',
    courts: ['Port Lumina Regional Trial Court', 'Santa Ligaya Regional Trial Court'],
    messenger: ['telegram', 'viber'],
  },
  VN: {
    currency: 'VND',
    lossRange: [50_000_000, 9_000_000_000],
    phone: (rng) => `+84 ${rng.pick(['32', '33', '86', '90', '97', '98'])} ${rng.digits(3)} ${rng.digits(4)}`,
    passport: (rng) => `C${rng.digits(7)}`,
    banks: ['Song Hong Commercial Bank', 'Mekong Delta Joint Stock Bank', 'Ha Lam Bank'],
    telecom: ['Song Viet Mobile', 'Lac Hong Telecom'],
    towns: ['Tan Phu Dong', 'Ha Lam', 'Tan Hoa', 'Xuan Khe', 'Dong Linh'],
    provinces: ['Tan Hoa Province', 'Ha Lam Province', 'Xuan Khe Province'],
    crossingPoints: ['Tan Hoa International Border Gate (VN–KH)', 'Xuan Khe International Airport'],
    box: [10.0, 21.5, 104.5, 108.5],
    agency: 'Ministry of Public Security — Criminal Police Department',
    agencyCode: 'MPS-C03',
    courts: ['Tan Hoa Provincial People’s Court', 'Ha Lam People’s Court'],
    messenger: ['zalo', 'telegram'],
  },
  CN: {
    currency: 'CNY',
    lossRange: [5_000, 3_000_000],
    phone: (rng) => `+86 13${rng.int(0, 9)} ${rng.digits(4)} ${rng.digits(4)}`,
    passport: (rng) => `E${rng.digits(8)}`,
    banks: ['Jinhe Commercial Bank'],
    telecom: ['Huaxia Mobile'],
    towns: ['Jinhe'],
    provinces: ['Jinhe Prefecture'],
    crossingPoints: ['Jinhe International Airport'],
    box: [22.0, 30.0, 105.0, 118.0],
    agency: 'Public Security Bureau',
    agencyCode: 'PSB',
    courts: ['Jinhe Intermediate Court'],
    messenger: ['wechat'],
  },
};

/** A member added to the registry without a profile here gets a plain, still deterministic, profile. */
export function profileOf(country: string): CountryProfile {
  return (
    PROFILES[country] ?? {
      ...PROFILES['KH']!,
      currency: 'USD',
      agency: `${country} National Police`,
      agencyCode: `${country}-NP`,
      banks: [`${country} National Savings Bank`],
      telecom: [`${country} Mobile`],
    }
  );
}

export function namePoolOf(nationality: string): NamePool {
  return NAME_POOLS[nationality] ?? NAME_POOLS['CN']!;
}

/** Share of `size` per kind, by owner: compounds sit mostly in KH and PH; KR holds most victims. */
export const KIND_WEIGHTS: Readonly<Record<string, Readonly<Record<EntityInterface, number>>>> = {
  KR: { Suspect: 0.32, Compound: 0.02, Case: 0.26, Victim: 0.4 },
  KH: { Suspect: 0.45, Compound: 0.12, Case: 0.18, Victim: 0.25 },
  TH: { Suspect: 0.5, Compound: 0.06, Case: 0.22, Victim: 0.22 },
  PH: { Suspect: 0.45, Compound: 0.1, Case: 0.2, Victim: 0.25 },
  VN: { Suspect: 0.5, Compound: 0.05, Case: 0.25, Victim: 0.2 },
};
export const DEFAULT_WEIGHTS: Readonly<Record<EntityInterface, number>> = {
  Suspect: 0.5,
  Compound: 0.04,
  Case: 0.24,
  Victim: 0.22,
};

/** Who a filler suspect or victim is, by owner: mostly the owner's nationals, Koreans everywhere. */
export const SUSPECT_NATIONALITIES: Readonly<Record<string, readonly (readonly [string, number])[]>> = {
  KR: [
    ['KR', 85],
    ['CN', 5],
    ['KH', 3],
    ['TH', 3],
    ['VN', 2],
    ['PH', 2],
  ],
  KH: [
    ['KH', 45],
    ['KR', 20],
    ['CN', 15],
    ['TH', 8],
    ['VN', 7],
    ['PH', 5],
  ],
  TH: [
    ['TH', 60],
    ['KR', 12],
    ['CN', 12],
    ['KH', 6],
    ['VN', 5],
    ['PH', 5],
  ],
  PH: [
    ['PH', 55],
    ['KR', 18],
    ['CN', 15],
    ['VN', 4],
    ['TH', 4],
    ['KH', 4],
  ],
  VN: [
    ['VN', 70],
    ['KR', 10],
    ['CN', 12],
    ['KH', 5],
    ['TH', 3],
  ],
};
export const VICTIM_NATIONALITIES: Readonly<Record<string, readonly (readonly [string, number])[]>> = {
  KR: [
    ['KR', 92],
    ['CN', 3],
    ['VN', 3],
    ['TH', 2],
  ],
  KH: [
    ['KR', 45],
    ['KH', 25],
    ['VN', 10],
    ['TH', 8],
    ['CN', 7],
    ['PH', 5],
  ],
  TH: [
    ['TH', 45],
    ['KR', 35],
    ['VN', 7],
    ['KH', 5],
    ['CN', 8],
  ],
  PH: [
    ['KR', 45],
    ['PH', 40],
    ['VN', 5],
    ['CN', 10],
  ],
  VN: [
    ['VN', 75],
    ['KR', 20],
    ['CN', 5],
  ],
};

/** The country a phone number belongs to, by its calling code (undefined: not one of ours). */
export function phoneCountry(phone: string): string | undefined {
  const prefix = /^\+(\d+)/.exec(phone)?.[1];
  return prefix ? CALLING_CODES[prefix] : undefined;
}

const CALLING_CODES: Readonly<Record<string, string>> = {
  '82': 'KR',
  '855': 'KH',
  '66': 'TH',
  '63': 'PH',
  '84': 'VN',
  '86': 'CN',
};
