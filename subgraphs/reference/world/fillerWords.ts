// The vocabulary of the filler: aliases, compound names, offences, methods, evidence, messages. It never
// uses the core scenario's demo words, so demo searches stay crisp at any size.

/** Filler aliases. Never "Tiger" or anything in DEMO_SEARCH_TERMS. */
export const ALIAS_WORDS = [
  'Boss',
  'Manager',
  'Teacher',
  'Big Brother',
  'Ghost',
  'Falcon',
  'Captain',
  'Doctor',
  'Cobra',
  'Shadow',
  'Lucky',
  'Joker',
  'Professor',
  'Uncle',
  'Coach',
  'Banker',
  'Chairman',
  'Monk',
];
export const ALIAS_TITLES = ['Manager', 'Uncle', 'Boss', 'Director', 'Teacher', 'Brother'];

// Vocabulary of the filler. "Crane", "Heron", "Coral", "Moonlight" and "Tiger" are kept for the core.
export const COMPOUND_ADJECTIVES = [
  'Golden',
  'Jade',
  'Royal',
  'Lucky',
  'Diamond',
  'Silver',
  'Crystal',
  'Emerald',
  'Ruby',
  'Grand',
  'Star',
  'Ocean',
  'Sunrise',
  'Imperial',
  'Red',
];
export const COMPOUND_NOUNS = [
  'Palm',
  'Lotus',
  'Dragon',
  'Phoenix',
  'Orchid',
  'River',
  'Bay',
  'Garden',
  'Horizon',
  'Harbour',
  'Peak',
  'Bamboo',
  'Fortune',
  'Pagoda',
];
export const COMPOUND_SUFFIXES = [
  'Resort',
  'Tower',
  'Park',
  'Plaza',
  'Complex',
  'Village',
  'Casino',
  'Industrial Zone',
  'Residences',
  'Hub',
];
export const STREETS = ['Road', 'Street', 'Highway', 'Avenue', 'Lane'];
export const SECURITY = [
  'armed guards; high walls with razor wire; phones confiscated',
  'CCTV; guard dogs; workers’ passports held',
  'guard towers; electric fence',
  'private security company; locked dormitories',
  'lightly guarded; workers held by debt bondage',
];
export const RAID_OUTCOMES = [
  'compound cleared; operators fled before the raid',
  'workers freed; equipment seized',
  'partial search; main block not entered',
  'arrests made; investigation continues',
];
export const OFFENCES = [
  'fraud (voice phishing)',
  'human trafficking',
  'money laundering',
  'illegal confinement',
  'organised crime participation',
  'computer-related fraud',
  'assault',
  'document forgery',
];
export const SENTENCES = [
  '1 year imprisonment',
  '2 years imprisonment, suspended',
  '3 years imprisonment',
  '18 months imprisonment',
  'fine',
  '5 years imprisonment',
];
export const FRAUD_OFFENCES = [
  'fraud (voice phishing)',
  'fraud (loan scam)',
  'fraud (romance scam)',
  'fraud (investment scam)',
  'money laundering',
  'computer-related fraud',
];
export const TRAFFICKING_OFFENCES = [
  'human trafficking',
  'illegal confinement',
  'forced labour',
  'assault',
  'organised crime participation',
];
export const FRAUD_METHODS = [
  'callers impersonating prosecutors or bank staff persuade victims to move savings to “safe accounts”',
  'fake low-interest loan offers; victims pay “fees” and “deposits”',
  'romance contact on messaging apps leading to a fake investment platform',
  'fake crypto investment site showing false profits; withdrawals blocked',
  'messages posing as family members in trouble asking for urgent transfers',
];
export const TRAFFICKING_METHODS = [
  'well-paid overseas jobs advertised online; recruits’ passports taken on arrival',
  'recruits moved across the border at night and sold between compounds',
  'workers held by “debt” for travel costs and forced to meet scam quotas',
];
export const EVIDENCE = [
  'seized phone with messaging-app sessions',
  'call scripts printed in Korean',
  'laptop with victim lists',
  'USDT wallet recovery phrase on paper',
  'CCTV footage of the compound gate',
  'bank transfer records',
  'SIM cards and SIM boxes',
];
export const MESSAGES = [
  'Script B is updated: use the district prosecutor version from Monday.',
  'Move the USDT to the second wallet tonight and delete this chat.',
  'The new team lands Thursday; collect passports at the airport.',
  'Quota is 30 calls per hour. Anyone under quota stays late.',
];
export const INJURIES = [
  'bruising consistent with beatings',
  'malnutrition',
  'untreated fracture',
  'electric-shock burns',
  'dehydration',
  'sleep deprivation',
];
export const NEEDS = [
  'medical care',
  'psychological support',
  'interpreter',
  'emergency travel document',
  'shelter',
  'legal aid',
  'family tracing',
  'rescue',
];
export const KH_COMMUNES = [
  'Prey Thom',
  'Srae Chhuk',
  'Kampong Luong',
  'Phsar Thmei Bei',
  'Boeung Kak Pir',
  'Tuol Sangke',
  'Chamkar Leu',
  'Ou Chrov',
];
export const KR_UNITS = [
  'Financial Crime Investigation Unit',
  'Cyber Crime Investigation Unit',
  'Anti-Telecom Fraud Team',
  'Anti-Trafficking Team',
];
export const KR_STATIONS = ['Haeryong Central', 'Seonam', 'Gaeul', 'Mokhwa', 'Cheongmun', 'Baekdam'];
