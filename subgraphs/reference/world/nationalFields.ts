// National-only field values of filler suspects (schema/national/<CC>.graphql): identifiers in each
// member's own format, for a member's own nationals only.
import type { Identity } from './identity';
import { KHMER_SCRIPT } from './profiles';
import { pad, type Rng } from './random';
import type { NationalFields } from './types';

/** A filler suspect's national-only fields: only the owner's own nationals have its identifiers. */
export function nationalSuspectFields(owner: string, person: Identity, rng: Rng): NationalFields {
  if (owner !== person.nationality) return {};
  switch (owner) {
    case 'KR': {
      const [year, month, day] = person.dateOfBirth.split('-');
      const centuryDigit = Number(year) >= 2000 ? rng.pick([3, 4]) : rng.pick([1, 2]);
      return {
        residentRegistrationNumber: `${year!.slice(2)}${month}${day}-${centuryDigit}${rng.digits(6)}`,
      };
    }
    case 'KH': {
      const khmer = [KHMER_SCRIPT[person.family], KHMER_SCRIPT[person.given]];
      return khmer.every(Boolean) ? { khmerName: khmer.join(' ') } : {};
    }
    case 'TH':
      return { thaiIdNumber: thaiIdNumber(rng) };
    case 'PH':
      return { philsysNumber: `${rng.digits(4)}-${rng.digits(4)}-${rng.digits(4)}-${rng.digits(4)}` };
    case 'VN': {
      const year = Number(person.dateOfBirth.slice(0, 4));
      const genderCentury = year >= 2000 ? rng.pick([2, 3]) : rng.pick([0, 1]);
      return {
        citizenIdNumber: `0${pad(rng.int(1, 96), 2)}${genderCentury}${person.dateOfBirth.slice(2, 4)}${rng.digits(6)}`,
      };
    }
    default:
      return {};
  }
}

/** Thai national id: 12 digits and a mod-11 check digit, written 1-2345-67890-12-3. */
function thaiIdNumber(rng: Rng): string {
  const digits = [rng.int(1, 8), ...Array.from({ length: 11 }, () => rng.int(0, 9))];
  const sum = digits.reduce((total, digit, i) => total + digit * (13 - i), 0);
  const check = (11 - (sum % 11)) % 10;
  const all = [...digits, check].join('');
  return `${all.slice(0, 1)}-${all.slice(1, 5)}-${all.slice(5, 10)}-${all.slice(10, 12)}-${all.slice(12)}`;
}
