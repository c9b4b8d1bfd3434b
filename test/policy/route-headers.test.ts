// A refusal's routes say which header meets each unmet condition (review finding 6): "needs a request
// reference" is no help to an analyst who does not know to send Accord-Request-Ref. Every decision for
// every pair of members, category and purpose (nothing else declared) is read; the phrases and headers
// below are written here, from the request headers' documentation, not taken from the code.
import { REQUEST_HEADERS } from '../../policy';
import { shippedPolicy } from './shippedPolicy';
import { MEMBERS } from '../../schema';
import { CATEGORIES, PURPOSES } from '../../vocabulary';

const policy = shippedPolicy();
const AT = Date.parse('2026-06-01T12:00:00Z');

const PHRASE_HEADER: readonly (readonly [string, string])[] = [
  ['needs a case reference', 'Accord-Case'],
  ['needs a request reference', 'Accord-Request-Ref'],
  ['needs a warrant or judicial order reference', 'Accord-Warrant'],
  ['needs an INTERPOL notice id', 'Accord-Notice'],
  ['needs an emergency declaration', 'Accord-Emergency'],
  ['needs a justification', 'Accord-Justification'],
  ['needs one of the purposes', 'Accord-Purpose'],
  ['needs a declared purpose', 'Accord-Purpose'],
  ['needs the joint-team id', 'Accord-JIT'],
];

/**
 * The header named as a whole word: not part of a longer name (`Accord-Warrant-Ref` does not name
 * `Accord-Warrant`, nor `Accord-Case` name `Accord-CaseRef`).
 */
function namesHeader(text: string, header: string): boolean {
  const escaped = header.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\w-])${escaped}(?![\\w-])`).test(text);
}

it('a header is named only as a whole word', () => {
  expect(namesHeader('send Accord-Warrant: <reference>', 'Accord-Warrant')).toBe(true);
  expect(namesHeader('(Accord-Warrant)', 'Accord-Warrant')).toBe(true);
  expect(namesHeader('send Accord-Warrant-Ref: <reference>', 'Accord-Warrant')).toBe(false);
  expect(namesHeader('send X-Accord-Warrant: <reference>', 'Accord-Warrant')).toBe(false);
  expect(namesHeader('send Accord-WarrantRef', 'Accord-Warrant')).toBe(false);
});

it('each header named is one the gateway reads', () => {
  const read = new Set(Object.values(REQUEST_HEADERS));
  for (const [, header] of PHRASE_HEADER) expect(read).toContain(header.toLowerCase());
});

/**
 * What the requester declares besides the purpose: nothing, and every reference but one (a route names
 * only the first condition a clause misses, so a reference a clause asks for after another one is named
 * only when the others are there).
 */
const REFERENCES = {
  caseReference: 'CASE-1',
  requestReference: 'REQUEST-1',
  warrantReference: 'WARRANT-1',
  interpolNotice: 'red:NOTICE-1',
} as const;
const DECLARED: readonly Partial<Record<keyof typeof REFERENCES, string>>[] = [
  {},
  ...Object.keys(REFERENCES).map((dropped) =>
    Object.fromEntries(Object.entries(REFERENCES).filter(([name]) => name !== dropped)),
  ),
];

it('every route that asks for a declaration names the header that makes it', () => {
  const seen = new Set<string>();
  const missing: string[] = [];
  for (const { code: from } of MEMBERS) {
    for (const { code: owner } of MEMBERS) {
      if (from === owner) continue;
      for (const category of CATEGORIES) {
        for (const [purpose, declared] of [undefined, ...PURPOSES].flatMap((p) =>
          DECLARED.map((d) => [p, d] as const),
        )) {
          const decision = policy.decide({
            requester: {
              country: from,
              analyst: 'a.test',
              roles: ['analyst'],
              ...(purpose ? { purpose } : {}),
              ...declared,
            },
            owner,
            category,
            at: AT,
          });
          for (const route of decision.routes) {
            for (const [phrase, header] of PHRASE_HEADER) {
              if (!route.text.includes(phrase)) continue;
              seen.add(phrase);
              if (!namesHeader(route.text, header))
                missing.push(`${from}→${owner} ${category} ${purpose ?? '-'}: ${route.text}`);
            }
          }
        }
      }
    }
  }
  expect(missing.slice(0, 5)).toEqual([]);
  // The agreements in force ask at least for these, so the check above is not empty.
  expect([...seen]).toEqual(
    expect.arrayContaining([
      'needs a case reference',
      'needs a request reference',
      'needs a warrant or judicial order reference',
      'needs one of the purposes',
    ]),
  );
});
