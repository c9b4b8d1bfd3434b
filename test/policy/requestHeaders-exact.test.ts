/**
 * The Accord-* headers (policy/requestHeaders.ts), pinned exactly: each problem's full sentence, the
 * context read from the gateway's forwarded headers (country, analyst, roles, emergency), the edges of
 * the emergency instant and the headers written back for a subgraph. Expected values are written by hand.
 */
import { parseRequestHeaders, requestContextHeaders, type RequestContext } from '../../policy';
import { PURPOSES } from '../../vocabulary';

const NOW = Date.parse('2026-06-15T09:00:00Z');
const identity = { country: 'KR', analyst: 'kim.j', roles: ['analyst'] };
const JUSTIFICATION = 'Confinement reported tonight.';

/** An analyst's request: who asks comes from the token. */
function fromAnalyst(headers: Record<string, string>, jit?: string) {
  return parseRequestHeaders((name) => headers[name], NOW, {
    ...identity,
    ...(jit !== undefined && { jit }),
  });
}

/** The gateway's forwarded context, as an owner reads it: who asks is in the headers. */
function forwarded(headers: Record<string, string>) {
  return parseRequestHeaders((name) => headers[name], NOW);
}

const who = { 'accord-country': 'KR', 'accord-analyst': 'kim.j' };

/** `headers` without the one named. */
function withoutHeader(headers: Record<string, string>, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([key]) => key !== name));
}

function problemsOf(parsed: ReturnType<typeof parseRequestHeaders>): readonly string[] {
  expect(parsed.ok).toBe(false);
  return parsed.ok ? [] : parsed.problems;
}

describe('problems, word for word', () => {
  test.each<[string, Record<string, string>, string]>([
    [
      'a purpose close to one',
      { 'accord-purpose': 'investigaton' },
      `accord-purpose "investigaton" is not a purpose (did you mean investigation?); purposes: ${PURPOSES.join(', ')}.`,
    ],
    [
      // Hand-checked: 5 edits from each, within a third of either name's 13 letters; ties in name order.
      'a purpose close to two',
      { 'accord-purpose': 'asset_igation' },
      `accord-purpose "asset_igation" is not a purpose (did you mean asset_tracing or investigation?); purposes: ${PURPOSES.join(', ')}.`,
    ],
    [
      'a purpose close to none',
      { 'accord-purpose': 'curiosity-driven-browsing' },
      `accord-purpose "curiosity-driven-browsing" is not a purpose; purposes: ${PURPOSES.join(', ')}.`,
    ],
    [
      'a malformed case reference',
      { 'accord-case': 'x' },
      'accord-case must be 2 to 64 letters, digits or . _ : / - (got "x").',
    ],
    [
      'a malformed request reference',
      { 'accord-request-ref': 'MLA 2026' },
      'accord-request-ref must be 2 to 64 letters, digits or . _ : / - (got "MLA 2026").',
    ],
    [
      'a malformed warrant reference',
      { 'accord-warrant': '#1' },
      'accord-warrant must be 2 to 64 letters, digits or . _ : / - (got "#1").',
    ],
    [
      'a notice without its colour',
      { 'accord-notice': 'A-1234/5-2026' },
      "accord-notice must name the notice's colour and its id, e.g. red:A-1234/5-2026 (colours: red, yellow, blue, black, green, orange, purple).",
    ],
    [
      'a joint team the token contradicts',
      { 'accord-jit': 'JTF-OTHER' },
      'accord-jit "JTF-OTHER" contradicts the joint team your identity token attests (JTF-KR-KH-2025): send that team, or a token without one.',
    ],
    [
      'a time as emergency',
      { 'accord-emergency': '2026-06-15' },
      'accord-emergency no longer takes a time: register the emergency with the declareEmergency mutation (caseReference, justification) and send the registration id it returns (e.g. EMG-KR-0123456789).',
    ],
    [
      'a time is only a time at the start of the value',
      { 'accord-emergency': 'at 2026-06-15' },
      'accord-emergency must name an emergency registration, as declareEmergency returns it (EMG-, your country code, 10 hex digits; got "at 2026-06-15").',
    ],
    [
      'a time needs its whole date',
      { 'accord-emergency': '2026-06-1' },
      'accord-emergency must name an emergency registration, as declareEmergency returns it (EMG-, your country code, 10 hex digits; got "2026-06-1").',
    ],
    [
      'an emergency that is no registration',
      { 'accord-emergency': 'EMG-KR-01234567' },
      'accord-emergency must name an emergency registration, as declareEmergency returns it (EMG-, your country code, 10 hex digits; got "EMG-KR-01234567").',
    ],
    [
      'a justification from an analyst',
      { 'accord-justification': JUSTIFICATION },
      'accord-justification is no longer sent with requests: give the justification once, to the declareEmergency mutation, and send the registration id it returns in accord-emergency.',
    ],
    [
      'a byte that is not printable ASCII',
      { 'accord-case': 'KR-CAS\u00a0000001' },
      'accord-case holds a character that is not printable ASCII (U+00A0 at character 7): send text other than printable ASCII as percent-encoded UTF-8 (encodeURIComponent).',
    ],
  ])('%s', (_label, headers, problem) => {
    expect(problemsOf(fromAnalyst(headers, 'JTF-KR-KH-2025'))).toEqual([problem]);
  });

  test('a long bad reference is quoted only to 80 characters', () => {
    const long = `${'A'.repeat(70)} ${'B'.repeat(70)}`;
    expect(problemsOf(fromAnalyst({ 'accord-case': long }))).toEqual([
      `accord-case must be 2 to 64 letters, digits or . _ : / - (got "${'A'.repeat(70)} ${'B'.repeat(9)}").`,
    ]);
  });

  test('a long bad emergency is quoted only to 80 characters', () => {
    expect(problemsOf(fromAnalyst({ 'accord-emergency': `EMG-${'X'.repeat(90)}` }))).toEqual([
      `accord-emergency must name an emergency registration, as declareEmergency returns it (EMG-, your country code, 10 hex digits; got "EMG-${'X'.repeat(76)}").`,
    ]);
  });

  test('a bad notice reference is reported once, as a reference', () => {
    expect(problemsOf(fromAnalyst({ 'accord-notice': 'red: A-1' }))).toEqual([
      'accord-notice must be 2 to 64 letters, digits or . _ : / - (got "red: A-1").',
    ]);
  });

  test('every problem is reported, not only the first', () => {
    expect(problemsOf(fromAnalyst({ 'accord-case': 'x', 'accord-warrant': 'y' }))).toEqual([
      'accord-case must be 2 to 64 letters, digits or . _ : / - (got "x").',
      'accord-warrant must be 2 to 64 letters, digits or . _ : / - (got "y").',
    ]);
  });
});

describe('what an analyst sends', () => {
  test('values are trimmed; a blank header is no header', () => {
    expect(
      fromAnalyst({
        'accord-purpose': '  investigation ',
        'accord-case': ' KR-CAS-000001  ',
        'accord-request-ref': '   ',
        'accord-warrant': ' KR-WARRANT-1 ',
        'accord-notice': ' yellow:A-1/2026 ',
      }),
    ).toStrictEqual({
      ok: true,
      context: {
        ...identity,
        purpose: 'investigation',
        caseReference: 'KR-CAS-000001',
        warrantReference: 'KR-WARRANT-1',
        interpolNotice: 'yellow:A-1/2026',
      },
    });
  });

  test('the joint team the token attests may be sent', () => {
    expect(fromAnalyst({ 'accord-jit': 'JTF-KR-KH-2025' }, 'JTF-KR-KH-2025')).toStrictEqual({
      ok: true,
      context: { ...identity, jointTeam: 'JTF-KR-KH-2025' },
    });
  });

  test('who asks is never read from headers when a token says it', () => {
    expect(
      fromAnalyst({ 'accord-country': 'KH', 'accord-analyst': 'sok.r', 'accord-roles': 'admin' }),
    ).toStrictEqual({
      ok: true,
      context: identity,
    });
  });

  test('no emergency, no registration', () => {
    const parsed = fromAnalyst({ 'accord-purpose': 'investigation' });
    // Strict: no `emergencyRegistration` key at all, and no `purpose` key where none was sent.
    expect(parsed).toStrictEqual({ ok: true, context: { ...identity, purpose: 'investigation' } });
    expect(fromAnalyst({})).toStrictEqual({ ok: true, context: identity });
  });
});

describe("the gateway's forwarded context", () => {
  test('country, analyst and roles come from the headers; roles default to analyst', () => {
    expect(forwarded(who)).toStrictEqual({
      ok: true,
      context: { country: 'KR', analyst: 'kim.j', roles: ['analyst'] },
    });
    expect(forwarded({ ...who, 'accord-roles': 'analyst, supervisor' })).toStrictEqual({
      ok: true,
      context: { country: 'KR', analyst: 'kim.j', roles: ['analyst', 'supervisor'] },
    });
  });

  test.each<[string, Record<string, string>, string[]]>([
    [
      'no country, no analyst',
      {},
      [
        "accord-country must be the requester's ISO 3166-1 alpha-2 code (e.g. KR).",
        "accord-analyst must be the analyst's id: lower-case letters, digits, . _ - (e.g. kim.j).",
      ],
    ],
    [
      'a malformed country and analyst',
      { 'accord-country': 'Korea', 'accord-analyst': 'Kim J' },
      [
        "accord-country must be the requester's ISO 3166-1 alpha-2 code (e.g. KR).",
        "accord-analyst must be the analyst's id: lower-case letters, digits, . _ - (e.g. kim.j).",
      ],
    ],
    [
      'a malformed role',
      { ...who, 'accord-roles': 'analyst,Boss' },
      ['accord-roles has a malformed role "Boss".'],
    ],
    ['an empty role', { ...who, 'accord-roles': 'analyst,' }, ['accord-roles has a malformed role "".']],
  ])('%s', (_label, headers, problems) => {
    expect(problemsOf(forwarded(headers))).toEqual(problems);
  });

  const emergency = {
    ...who,
    'accord-emergency': 'EMG-KR-0123456789',
    'accord-emergency-registered-at': '2026-06-15T08:00:00Z',
    'accord-justification': JUSTIFICATION,
  };

  test('a registered emergency: id, instant and justification', () => {
    expect(forwarded(emergency)).toStrictEqual({
      ok: true,
      context: {
        ...identity,
        emergency: {
          id: 'EMG-KR-0123456789',
          declaredAt: Date.parse('2026-06-15T08:00:00.000Z'),
          justification: JUSTIFICATION,
        },
      },
    });
  });

  test('the instant may run ahead of the clock by five minutes, not more', () => {
    const at = (text: string) => forwarded({ ...emergency, 'accord-emergency-registered-at': text });
    expect(at('2026-06-15T09:05:00.000Z').ok).toBe(true);
    expect(problemsOf(at('2026-06-15T09:05:00.001Z'))).toEqual([
      'accord-emergency-registered-at is in the future.',
    ]);
  });

  test('a joint team, with no token to compare it with', () => {
    expect(forwarded({ ...who, 'accord-jit': 'JTF-KR-KH-2025' })).toStrictEqual({
      ok: true,
      context: { ...identity, jointTeam: 'JTF-KR-KH-2025' },
    });
  });

  test.each<[string, Record<string, string>, string[]]>([
    [
      'an id without instant and justification',
      { ...who, 'accord-emergency': 'EMG-KR-0123456789' },
      [
        'An emergency travels as accord-emergency, accord-emergency-registered-at and accord-justification together.',
      ],
    ],
    [
      'an instant alone',
      { ...who, 'accord-emergency-registered-at': '2026-06-15T08:00:00Z' },
      [
        'An emergency travels as accord-emergency, accord-emergency-registered-at and accord-justification together.',
      ],
    ],
    [
      'a justification alone',
      { ...who, 'accord-justification': JUSTIFICATION },
      [
        'An emergency travels as accord-emergency, accord-emergency-registered-at and accord-justification together.',
      ],
    ],
    [
      'an id and an instant without a justification',
      withoutHeader(emergency, 'accord-justification'),
      [
        'An emergency travels as accord-emergency, accord-emergency-registered-at and accord-justification together.',
      ],
    ],
    [
      'an id and a justification without an instant',
      withoutHeader(emergency, 'accord-emergency-registered-at'),
      [
        'An emergency travels as accord-emergency, accord-emergency-registered-at and accord-justification together.',
      ],
    ],
    [
      'an instant and a justification without an id',
      withoutHeader(emergency, 'accord-emergency'),
      [
        'An emergency travels as accord-emergency, accord-emergency-registered-at and accord-justification together.',
      ],
    ],
    [
      'an id that is no registration',
      { ...emergency, 'accord-emergency': 'EMG-KR-XYZ' },
      ['accord-emergency must name an emergency registration (EMG-…).'],
    ],
    [
      "another country's registration",
      { ...emergency, 'accord-emergency': 'EMG-KH-0123456789' },
      ["accord-emergency names a registration of another country than the requester's."],
    ],
    [
      'a date without a time',
      { ...emergency, 'accord-emergency-registered-at': '2026-06-15' },
      ['accord-emergency-registered-at must be an ISO 8601 time.'],
    ],
    [
      'a time with an expanded year (Date.parse reads it; the wire form does not take it)',
      { ...emergency, 'accord-emergency-registered-at': '+002026-06-15T08:00:00Z' },
      ['accord-emergency-registered-at must be an ISO 8601 time.'],
    ],
    [
      'a time that does not parse',
      { ...emergency, 'accord-emergency-registered-at': '2026-06-15T25:99:00Z' },
      ['accord-emergency-registered-at must be an ISO 8601 time.'],
    ],
    [
      'a justification too short',
      { ...emergency, 'accord-justification': 'Help now' },
      [
        'accord-justification must say why life or safety is at imminent risk, in at least 10 letters (it has 7).',
      ],
    ],
    [
      'a justification with a bad percent-encoding',
      { ...emergency, 'accord-justification': 'Victim%2' },
      [
        'accord-justification has a malformed percent-encoding: send UTF-8 text percent-encoded (encodeURIComponent).',
        'An emergency travels as accord-emergency, accord-emergency-registered-at and accord-justification together.',
      ],
    ],
  ])('%s', (_label, headers, problems) => {
    expect(problemsOf(forwarded(headers))).toEqual(problems);
  });

  test('a problem elsewhere in the request does not hide a good emergency, nor pass it on', () => {
    expect(problemsOf(forwarded({ ...emergency, 'accord-case': 'x' }))).toEqual([
      'accord-case must be 2 to 64 letters, digits or . _ : / - (got "x").',
    ]);
  });
});

describe('the headers written for a subgraph', () => {
  test('every field of the context, and nothing for what it does not hold', () => {
    const context: RequestContext = {
      country: 'KR',
      analyst: 'kim.j',
      roles: ['analyst', 'supervisor'],
      purpose: 'victim_rescue',
      caseReference: 'KR-CAS-000001',
      requestReference: 'MLA-2026-0042',
      jointTeam: 'JTF-KR-KH-2025',
      emergency: {
        id: 'EMG-KR-0123456789',
        declaredAt: Date.parse('2026-06-15T08:00:00Z'),
        justification: 'Victim confined, 100% sure',
      },
      interpolNotice: 'red:A-1234/5-2026',
      warrantReference: 'KR-WARRANT-2026-0001',
    };
    expect(requestContextHeaders(context)).toEqual({
      'accord-country': 'KR',
      'accord-analyst': 'kim.j',
      'accord-roles': 'analyst,supervisor',
      'accord-purpose': 'victim_rescue',
      'accord-case': 'KR-CAS-000001',
      'accord-request-ref': 'MLA-2026-0042',
      'accord-jit': 'JTF-KR-KH-2025',
      'accord-emergency': 'EMG-KR-0123456789',
      'accord-emergency-registered-at': '2026-06-15T08:00:00.000Z',
      // `%` itself is encoded, or the owner would decode "100% sure" wrongly.
      'accord-justification': 'Victim%20confined%2C%20100%25%20sure',
      'accord-notice': 'red:A-1234/5-2026',
      'accord-warrant': 'KR-WARRANT-2026-0001',
    });
    expect(requestContextHeaders(identity)).toStrictEqual({
      'accord-country': 'KR',
      'accord-analyst': 'kim.j',
      'accord-roles': 'analyst',
    });
  });
});
