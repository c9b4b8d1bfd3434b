import { accountKey, documentKey, handleKey, identifierKey, phoneKey, recordKey } from '../../alerts';
import { MEMBERS } from '../../schema';
import { createWorld } from '../../subgraphs/reference';

/**
 * The one normalisation of identifiers (alerts/identifiers.ts): the same number written the ways people
 * write it gives one key, and a different number never does. The expected E.164 forms are written out by
 * hand from the national numbering plans, not computed.
 */
describe('identifier normalisation', () => {
  it.each([
    // Korea: a mobile number with and without the trunk 0, hyphens, full-width digits and plus.
    ['010-5552-3318', 'KR', '+821055523318'],
    ['01055523318', 'KR', '+821055523318'],
    ['+82 10-5552-3318', undefined, '+821055523318'],
    ['＋８２ １０ ５５５２ ３３１８', undefined, '+821055523318'],
    // Cambodia
    ['096 555 0142', 'KH', '+855965550142'],
    ['(096) 555-0142', 'KH', '+855965550142'],
    ['+855 96 555 0142', undefined, '+855965550142'],
    // Thailand
    ['081 234 5678', 'TH', '+66812345678'],
    ['+66 81 234 5678', undefined, '+66812345678'],
    // The Philippines
    ['0917 123 4567', 'PH', '+639171234567'],
    ['(0917) 123-4567', 'PH', '+639171234567'],
    ['+63 917 123 4567', undefined, '+639171234567'],
    // Viet Nam
    ['091 234 56 78', 'VN', '+84912345678'],
    ['+84 91 234 5678', undefined, '+84912345678'],
  ])('reads the phone %j (%s) as %s', (written, country, e164) => {
    expect(phoneKey(written, country)).toBe(`phone:${e164}`);
  });

  it('refuses a national number without its country, and what is no number', () => {
    expect(phoneKey('010-5552-3318')).toBeUndefined();
    expect(phoneKey('not a phone', 'KR')).toBeUndefined();
    expect(phoneKey('12', 'KR')).toBeUndefined();
    expect(phoneKey('')).toBeUndefined();
  });

  it('gives two different numbers two keys, even when one is the beginning of the other', () => {
    expect(phoneKey('+82 10-5552-3318')).not.toBe(phoneKey('+82 10-5552-331'));
    expect(documentKey('M5550318', 'KR')).not.toBe(documentKey('M55503183', 'KR'));
    expect(accountKey('110-234-56789')).not.toBe(accountKey('110-234-567890'));
  });

  it('upper-cases a document number, drops its spaces and keys it with the issuing country', () => {
    expect(documentKey(' m 555 03183 ', 'kr')).toBe('document:KR:M55503183');
    expect(documentKey('M55503183', 'KR')).toBe('document:KR:M55503183');
    expect(documentKey('M55503183', 'TH')).not.toBe(documentKey('M55503183', 'KR'));
    // A passport and another travel document of the same number and issuer are the same document.
    expect(identifierKey({ kind: 'passport', number: 'm55503183', issuingCountry: 'KR' })).toBe(
      identifierKey({ kind: 'document', number: 'M55503183', issuingCountry: 'KR' }),
    );
    expect(documentKey('M55503183', 'Korea')).toBeUndefined();
  });

  it('upper-cases an account and drops its separators', () => {
    expect(accountKey('110-234-567890')).toBe('account:110234567890');
    expect(accountKey('110 234.567/890')).toBe('account:110234567890');
    expect(accountKey('tq7x 9k2a')).toBe('account:TQ7X9K2A');
  });

  it('lower-cases a handle and drops its leading @', () => {
    expect(handleKey('Telegram', '@Tiger_DGM')).toBe('handle:telegram:tiger_dgm');
    expect(handleKey('telegram', 'tiger_dgm')).toBe('handle:telegram:tiger_dgm');
    expect(handleKey('line', 'tiger_dgm')).not.toBe(handleKey('telegram', 'tiger_dgm'));
  });

  it('keys a record by its global id only', () => {
    expect(recordKey('KH-SUS-000001')).toBe('record:KH-SUS-000001');
    expect(recordKey('KH-SUS-1')).toBeUndefined();
  });

  it("reads every phone of every member's reference records", () => {
    const world = createWorld({ size: 30 });
    for (const { code } of MEMBERS)
      for (const suspect of world.records(code, 'Suspect'))
        for (const phone of suspect.phones)
          expect([phone, phoneKey(phone)]).toEqual([phone, expect.stringMatching(/^phone:\+\d{8,15}$/)]);
  });
});
