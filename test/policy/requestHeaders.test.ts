// The wire form of a request context: the Accord-* headers, parsed strictly, and written back for subgraphs.
import { parseRequestHeaders, requestContextHeaders, type RequestContext } from '../../policy';

const NOW = Date.parse('2026-06-15T09:00:00Z');
const identity = { country: 'KR', analyst: 'kim.j', roles: ['analyst'] };

function parse(headers: Record<string, string>) {
  return parseRequestHeaders((name) => headers[name], NOW, identity);
}

describe('Accord-* request headers', () => {
  it('reads a full declaration', () => {
    const parsed = parse({
      'accord-purpose': 'investigation',
      'accord-case': 'KR-CAS-000001',
      'accord-request-ref': 'MLA-2026-0042',
      'accord-jit': 'JTF-KR-KH-2025',
    });
    expect(parsed).toEqual({
      ok: true,
      context: {
        ...identity,
        purpose: 'investigation',
        caseReference: 'KR-CAS-000001',
        requestReference: 'MLA-2026-0042',
        jointTeam: 'JTF-KR-KH-2025',
      },
    });
  });

  it.each([
    [{ 'accord-purpose': 'investigaton' }, 'did you mean investigation?'],
    [{ 'accord-case': 'x' }, 'accord-case must be 2 to 64'],
    [
      { 'accord-notice': 'A-1234/5-2026' },
      "accord-notice must name the notice's colour and its id, e.g. red:A-1234/5-2026",
    ],
    [{ 'accord-notice': 'pink:A-1234/5-2026' }, 'colours: red, yellow, blue, black, green, orange, purple'],
    // An emergency is registered with declareEmergency; the analyst names the registration, nothing else.
    [
      { 'accord-emergency': '2026-06-15T08:00:00Z' },
      'no longer takes a time: register the emergency with the declareEmergency mutation',
    ],
    [{ 'accord-emergency': 'yesterday' }, 'must name an emergency registration'],
    [{ 'accord-emergency': 'EMG-KR-0123' }, 'must name an emergency registration'],
    [
      { 'accord-emergency': 'EMG-KR-0123456789', 'accord-justification': 'Confinement reported tonight.' },
      'accord-justification is no longer sent with requests',
    ],
    [
      { 'accord-justification': 'Confinement reported tonight.' },
      'give the justification once, to the declareEmergency mutation',
    ],
  ])('refuses %j and says what is wrong', (headers, message) => {
    const parsed = parse(headers);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.join(' ')).toContain(message);
  });

  it('reads the registration an analyst names, for the gateway to resolve', () => {
    expect(parse({ 'accord-purpose': 'victim_rescue', 'accord-emergency': 'EMG-KR-0123456789' })).toEqual({
      ok: true,
      emergencyRegistration: 'EMG-KR-0123456789',
      context: { ...identity, purpose: 'victim_rescue' },
    });
  });

  // What the gateway forwards to an owner (no identity: the context is the gateway's, signed): the
  // registration resolved, its id, instant and justification together.
  const forwarded = (headers: Record<string, string>) =>
    parseRequestHeaders(
      (name) => ({ 'accord-country': 'KR', 'accord-analyst': 'kim.j', ...headers })[name],
      NOW,
    );
  it.each([
    [
      { 'accord-emergency': 'EMG-KR-0123456789' },
      'travels as accord-emergency, accord-emergency-registered-at and accord-justification together',
    ],
    [
      {
        'accord-emergency': 'EMG-KR-0123456789',
        'accord-emergency-registered-at': '2026-06-15T10:00:00Z',
        'accord-justification': 'Confinement reported tonight.',
      },
      'is in the future',
    ],
    [
      {
        'accord-emergency': 'EMG-KR-0123456789',
        'accord-emergency-registered-at': 'yesterday',
        'accord-justification': 'Confinement reported tonight.',
      },
      'must be an ISO 8601 time',
    ],
    [
      {
        'accord-emergency': 'EMG-KH-0123456789',
        'accord-emergency-registered-at': '2026-06-15T08:00:00Z',
        'accord-justification': 'Confinement reported tonight.',
      },
      'another country than the requester',
    ],
    [
      {
        'accord-emergency': '2026-06-15T08:00:00Z',
        'accord-emergency-registered-at': '2026-06-15T08:00:00Z',
        'accord-justification': 'Confinement reported tonight.',
      },
      'must name an emergency registration',
    ],
    [
      {
        'accord-emergency': 'EMG-KR-0123456789',
        'accord-emergency-registered-at': '2026-06-15T08:00:00Z',
        'accord-justification': '%E0%A4%A',
      },
      'malformed percent-encoding',
    ],
  ])('refuses a forwarded emergency %j', (headers, message) => {
    const parsed = forwarded(headers);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.join(' ')).toContain(message);
  });

  it('forwards nothing of an emergency without a registration (a hypothetical one)', () => {
    const context: RequestContext = {
      ...identity,
      purpose: 'victim_rescue',
      emergency: { declaredAt: NOW - 60_000, justification: 'Victim reports confinement.' },
    };
    expect(
      Object.keys(requestContextHeaders(context)).filter((name) => /emergency|justification/.test(name)),
    ).toEqual([]);
  });

  it('reads a notice with its colour', () => {
    expect(parse({ 'accord-notice': 'red:A-1234/5-2026' })).toEqual({
      ok: true,
      context: { ...identity, interpolNotice: 'red:A-1234/5-2026' },
    });
  });

  it('reads the colour in any case, and passes the notice on as written', () => {
    for (const notice of ['RED:A-1/2026', 'Red:A-1/2026', 'yElLoW:A-1/2026'])
      expect(parse({ 'accord-notice': notice })).toEqual({
        ok: true,
        context: { ...identity, interpolNotice: notice },
      });
  });

  it('takes a case, request, warrant or notice header that is empty or only spaces as not sent', () => {
    // (A tab is not printable ASCII: it is refused as such, before any trimming.)
    for (const name of ['accord-case', 'accord-request-ref', 'accord-warrant', 'accord-notice'])
      for (const value of ['', '   '])
        expect({ name, value, parsed: parse({ [name]: value }) }).toEqual({
          name,
          value,
          parsed: { ok: true, context: identity },
        });
  });

  it('carries a justification in any script, percent-encoded, unchanged to the subgraph', () => {
    const justification = '피해자가 감금 및 폭행을 신고함 — 오늘 밤 구조팀 투입 (100% 확인)';
    const context: RequestContext = {
      ...identity,
      purpose: 'victim_rescue',
      emergency: { id: 'EMG-KR-0123456789', declaredAt: NOW - 3_600_000, justification },
    };
    const wire = requestContextHeaders(context);
    expect(wire['accord-justification']).toMatch(/^[\x20-\x7e]+$/);
    const parsed = parseRequestHeaders((name) => wire[name], NOW);
    expect(parsed).toEqual({ ok: true, context: { ...context, roles: ['analyst'] } });
  });

  it('keeps a plain ASCII justification readable on the wire', () => {
    const context: RequestContext = {
      ...identity,
      purpose: 'victim_rescue',
      emergency: {
        id: 'EMG-KR-0123456789',
        declaredAt: NOW - 60_000,
        justification: 'Victim reports confinement.',
      },
    };
    expect(requestContextHeaders(context)['accord-justification']).toBe('Victim reports confinement.');
  });
});
