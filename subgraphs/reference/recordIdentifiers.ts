import {
  accountKey,
  documentKey,
  fieldCategory,
  handleKey,
  phoneKey,
  recordKey,
  type IdentifierKey,
  type RecordIdentifier,
} from '../../alerts';
import type { EntityInterface } from '../../schema';
import { META_REFERENCE, type Category } from '../../vocabulary';
import type { RecordsByKind, SuspectRecord } from './world';

/**
 * The identifiers of one of this member's records, normalised as watches are (alerts/identifiers.ts), each
 * with the category of the field it was read from (the member's schema, alerts/categories.ts): what a
 * watch is matched against when the record changes (subgraphs/reference/ownerAlerts.ts). A value that does
 * not normalise (a phone libphonenumber-js cannot read) gives no key: it can match nothing.
 */
export function recordIdentifiers<K extends EntityInterface>(
  country: string,
  kind: K,
  record: RecordsByKind[K],
): RecordIdentifier[] {
  const out: RecordIdentifier[] = [];
  const seen = new Set<string>();
  const subject = record;
  const add = (key: IdentifierKey | undefined, category: Category): void => {
    if (key === undefined) return;
    const unique = `${key}\0${category}`;
    if (seen.has(unique)) return;
    seen.add(unique);
    out.push({ key, category, subject });
  };
  const field = (name: string): Category => fieldCategory(country, name);
  add(recordKey(record.id), META_REFERENCE);
  switch (kind) {
    case 'Suspect': {
      const suspect = record as SuspectRecord;
      const issuer = issuingCountryOf(suspect);
      for (const number of suspect.passportNumbers)
        add(documentKey(number, issuer(number)), field('Suspect.passportNumbers'));
      for (const document of suspect.travelDocuments)
        add(documentKey(document.number, document.issuingCountry), field('Suspect.travelDocuments'));
      for (const movement of suspect.borderMovements)
        add(
          documentKey(movement.documentNumber, issuer(movement.documentNumber)),
          field('Suspect.borderMovements'),
        );
      for (const phone of suspect.phones) add(phoneKey(phone), field('Suspect.phones'));
      for (const subscriber of suspect.subscriberRecords)
        add(phoneKey(subscriber.phone), field('Suspect.subscriberRecords'));
      for (const handle of suspect.messengerHandles) {
        const colon = handle.indexOf(':');
        if (colon > 0)
          add(handleKey(handle.slice(0, colon), handle.slice(colon + 1)), field('Suspect.messengerHandles'));
      }
      for (const account of suspect.financialAccounts)
        add(accountKey(account.number), field('Suspect.financialAccounts'));
      for (const id of suspect.associates) add(recordKey(id), field('Suspect.associates'));
      break;
    }
    case 'Case': {
      const record_ = record as RecordsByKind['Case'];
      for (const account of record_.proceedsAccounts)
        add(accountKey(account.number), field('Case.proceedsAccounts'));
      for (const transaction of record_.transactions) {
        // "123-456-789012 (Bank, victim)": the number is what comes before the note in brackets.
        add(accountKey(transaction.fromAccount.replace(/\s*\(.*$/, '')), field('Case.transactions'));
        add(accountKey(transaction.toAccount.replace(/\s*\(.*$/, '')), field('Case.transactions'));
      }
      for (const id of record_.suspects) add(recordKey(id), field('Case.suspects'));
      for (const id of record_.victims) add(recordKey(id), field('Case.victims'));
      for (const id of record_.compounds) add(recordKey(id), field('Case.compounds'));
      break;
    }
    case 'Compound':
      for (const id of (record as RecordsByKind['Compound']).operators)
        add(recordKey(id), field('Compound.operators'));
      break;
    case 'Victim': {
      const confinedAt = (record as RecordsByKind['Victim']).confinedAt;
      if (confinedAt !== null) add(recordKey(confinedAt), field('Victim.confinedAt'));
      break;
    }
  }
  return out;
}

/**
 * Who issued a document number the record holds: the travel document with that number, else the
 * person's nationality (a passport is issued by the holder's country).
 */
function issuingCountryOf(suspect: SuspectRecord): (number: string) => string {
  const compact = (value: string): string => value.replace(/\s+/g, '').toUpperCase();
  const issuers = new Map(suspect.travelDocuments.map((d) => [compact(d.number), d.issuingCountry] as const));
  return (number) => issuers.get(compact(number)) ?? suspect.nationality;
}
