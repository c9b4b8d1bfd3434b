/**
 * Registered emergencies, end to end over HTTP (issue 9, item 5): an emergency is declared once with the
 * `declareEmergency` mutation, which the alliance hub registers; requests name the registration in
 * `Accord-Emergency`; its window runs from the registration and declaring again never restarts it. The
 * pair, the purpose and the window come from the agreement set, not from this file.
 */
import { openAuditReader } from '../../audit';
import { runCli } from '../../audit/cli';
import { openEmergencyReader } from '../../emergencies';
import { loadDefaultPolicy, type RequestContext } from '../../policy';
import { ERROR_CODES } from '../../schema/errors';
import { sqliteAuditBackend, type AllianceLogs, type AuditBackend } from '../support/auditBackends';
import { analyst, startAlliance, TEST_NOW, type Alliance } from '../support/alliance';
import { declare, registerEmergency, type Registration } from '../support/emergencies';

const HOUR = 3_600_000;
const policy = loadDefaultPolicy();

// An EMERGENCY clause and a pair of its parties where nothing but the emergency releases the owner's victim's location.
const { owner, requester, bystander, purpose } = (() => {
  for (const agreement of policy.set.agreements) {
    for (const clause of agreement.clauses) {
      if (clause.conditions.emergency === undefined || clause.categories['victim.location'] !== 'release')
        continue;
      for (const o of agreement.parties) {
        for (const r of agreement.parties) {
          if (o === r) continue;
          const plain: RequestContext = {
            country: r,
            analyst: 'an.analyst',
            roles: ['analyst'],
            purpose: clause.purposes[0]!,
          };
          if (
            policy.decide({ requester: plain, owner: o, category: 'victim.location', at: TEST_NOW })
              .effect === 'release'
          )
            continue;
          const third = policy.set.members.map((m) => m.code).find((c) => c !== o && c !== r)!;
          return { owner: o, requester: r, bystander: third, purpose: clause.purposes[0]! };
        }
      }
    }
  }
  throw new Error('no EMERGENCY clause releasing victim location');
})();
// The registration lasts as long as the longest emergency window of the set; past it no clause can release.
const WINDOW_HOURS = Math.max(
  ...policy.set.agreements.flatMap((a) =>
    a.clauses.flatMap((c) => (c.conditions.emergency ? [c.conditions.emergency.maxDurationHours] : [])),
  ),
);
const CASE = `${requester}-CAS-000001`;
const JUSTIFICATION = 'A victim confined in the compound reports assault; a rescue team deploys tonight.';
const QUERY = `{ victim(id: "${owner}-VIC-000001") { id lastKnownLocation { description } } }`;

const victimOf = (data: Record<string, unknown> | null | undefined) =>
  (data?.['victim'] ?? null) as { lastKnownLocation: unknown } | null;

describe(`registered emergencies (${requester} asks for ${owner}'s victim, window ${WINDOW_HOURS} h)`, () => {
  let clock = TEST_NOW;
  let backend: AuditBackend;
  let logs: AllianceLogs;
  let alliance: Alliance;
  let first: Registration;
  beforeAll(async () => {
    backend = sqliteAuditBackend();
    logs = backend.forAlliance();
    alliance = await startAlliance({ now: () => clock, audit: logs });
  });
  afterAll(async () => {
    await alliance.stop();
    await backend.close();
  });

  const ask = (declaration: Record<string, string>, who = 'kim.j') =>
    alliance.query(QUERY, { headers: analyst(requester, who, { purpose, case: CASE, ...declaration }) });

  it('registers an emergency for the verified requester, and releases under the emergency clause', async () => {
    first = await registerEmergency(alliance, requester, 'kim.j', CASE, JUSTIFICATION);
    expect(first).toEqual({
      id: expect.stringMatching(new RegExp(`^EMG-${requester}-[0-9A-F]{10}$`)),
      country: requester,
      analyst: 'kim.j',
      caseReference: CASE,
      justification: JUSTIFICATION,
      registeredAt: new Date(TEST_NOW).toISOString(),
      expiresAt: new Date(TEST_NOW + WINDOW_HOURS * HOUR).toISOString(),
    });
    // Without the registration the location is withheld; naming it releases it, and the obligations cite it.
    const without = await ask({});
    expect(victimOf(without.body.data)?.lastKnownLocation).toBeNull();
    const { status, body } = await ask({ emergency: first.id });
    expect(status).toBe(200);
    expect(victimOf(body.data)?.lastKnownLocation).toEqual({ description: expect.any(String) });
    const releases = (
      body.extensions!['obligations'] as Record<
        string,
        { releases: { obligations?: Record<string, unknown> }[] }
      >
    )[owner]!.releases;
    expect(
      releases.some(
        (r) => r.obligations?.['emergency'] === first.id && r.obligations['notifySource'] === true,
      ),
    ).toBe(true);
  });

  it('answers a second declaration inside the window with the same registration, and does not extend it', async () => {
    clock = TEST_NOW + (WINDOW_HOURS / 2) * HOUR;
    const again = await registerEmergency(
      alliance,
      requester,
      'lee.h',
      CASE,
      'Second call: the victim is being moved to another compound tonight.',
    );
    expect(again).toEqual(first);
    // Just before the end of the window (from the first registration) it still releases...
    clock = TEST_NOW + WINDOW_HOURS * HOUR - 60_000;
    expect(victimOf((await ask({ emergency: first.id })).body.data)?.lastKnownLocation).toEqual({
      description: expect.any(String),
    });
    // ...and at its end it does not, although the second declaration came half a window later.
    clock = TEST_NOW + WINDOW_HOURS * HOUR;
    const { status, body } = await ask({ emergency: first.id });
    expect(status).toBe(200);
    expect(victimOf(body.data)?.lastKnownLocation).toBeNull();
    const refusal = body.errors!.find((e) => e.path?.join('.') === 'victim.lastKnownLocation')!;
    expect(refusal.extensions!['code']).toBe(ERROR_CODES.WITHHELD);
    expect(refusal.message).toMatch(/window runs from the registration and has ended/);
  });

  it('registers a new emergency once the window has ended', async () => {
    const later = await registerEmergency(alliance, requester, 'kim.j', CASE, JUSTIFICATION);
    expect(later.id).not.toBe(first.id);
    expect(later.registeredAt).toBe(new Date(clock).toISOString());
    clock = TEST_NOW; // back inside the first window for the refusals below
  });

  it.each([
    ['a blank', '               '],
    ['a control character', 'Victim confined\u0007 in the compound, rescue tonight.'],
    ['a format character', 'Victim confined \u200B in the compound, rescue tonight.'],
    ['a letterless', 'help!!! 1234567890'],
  ])('refuses %s justification and registers nothing', async (_name, justification) => {
    const caseReference = `${requester}-CAS-REFUSED`;
    const { body } = await declare(alliance, requester, 'kim.j', caseReference, justification);
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.extensions!['code']).toBe(ERROR_CODES.BAD_USER_INPUT);
    expect(body.errors![0]!.message).toMatch(/justification/);
    const reader = openEmergencyReader({ dataDir: alliance.dataDir });
    try {
      expect(reader.list().filter((r) => r.caseReference === caseReference)).toEqual([]);
    } finally {
      reader.close();
    }
  });

  it("refuses another country's registration, a made-up one and a malformed one, the same way for the first two", async () => {
    const foreign = await registerEmergency(
      alliance,
      bystander,
      'an.officer',
      `${bystander}-CAS-000001`,
      JUSTIFICATION,
    );
    const madeUp = `EMG-${requester}-0123456789`;
    const answers = await Promise.all([foreign.id, madeUp, 'EMG-1'].map((id) => ask({ emergency: id })));
    for (const { status, body } of answers) {
      expect(status).toBe(400);
      expect(body.data ?? null).toBeNull();
      expect(body.errors![0]!.extensions!['code']).toBe(ERROR_CODES.BAD_REQUEST);
    }
    const [foreignAnswer, madeUpAnswer, malformed] = answers.map((a) => a.body.errors![0]!.message);
    expect(foreignAnswer).toBe(
      `accord-emergency ${foreign.id} names no emergency your country registered: declare it with the declareEmergency mutation and send the id it returns.`,
    );
    expect(madeUpAnswer).toBe(foreignAnswer!.replace(foreign.id, madeUp));
    expect(malformed).toMatch(/must name an emergency registration/);
  });

  it('refuses a typed time and Accord-Justification, saying to register', async () => {
    const typed = await ask({ emergency: new Date(clock - HOUR).toISOString() });
    expect(typed.status).toBe(400);
    expect(typed.body.errors![0]!.message).toMatch(
      /no longer takes a time: register the emergency with the declareEmergency mutation/,
    );
    const justified = await ask({
      emergency: first.id,
      justification: 'A victim is at imminent risk of harm tonight.',
    });
    expect(justified.status).toBe(400);
    expect(justified.body.errors![0]!.message).toMatch(
      /accord-justification is no longer sent with requests/,
    );
  });

  it('refuses a registration for another case than the request declares', async () => {
    const { status, body } = await alliance.query(QUERY, {
      headers: analyst(requester, 'kim.j', { purpose, case: `${requester}-CAS-000002`, emergency: first.id }),
    });
    expect(status).toBe(400);
    expect(body.errors![0]!.message).toContain(`was registered for case ${CASE}`);
  });

  it("names the registration in the owner's disclosure record, and lists every registration in the review queue", async () => {
    const ownerLog = [...logs.urls].find((url) => url.endsWith(`-${owner.toLowerCase()}.db`))!;
    const reader = await openAuditReader(ownerLog);
    type Body = {
      emergency?: { id?: string };
      fields: {
        effect: string;
        clauses: { agreement: string; clause: string }[];
        obligations?: Record<string, unknown>;
      }[];
    };
    let bodies: Body[];
    try {
      bodies = (await reader.query({ analyst: 'kim.j', limit: 100 })).map(
        (r) => r.entry!.body as unknown as Body,
      );
    } finally {
      await reader.close();
    }
    // Every field released under an emergency clause: its record and its obligations name the registration.
    const emergencyClauses = new Set(
      policy.set.agreements.flatMap((a) =>
        a.clauses.filter((c) => c.conditions.emergency).map((c) => `${a.id}/${c.id}`),
      ),
    );
    const underEmergency = bodies.flatMap((body) =>
      body.fields
        .filter(
          (f) =>
            f.effect !== 'withhold' &&
            f.clauses.some((c) => emergencyClauses.has(`${c.agreement}/${c.clause}`)),
        )
        .map((field) => ({ body, field })),
    );
    expect(underEmergency.length).toBeGreaterThan(0);
    for (const { body, field } of underEmergency) {
      expect(body.emergency?.id).toBe(first.id);
      expect(field.obligations).toMatchObject({ emergency: first.id, notifySource: true });
    }

    const out: string[] = [];
    const io = {
      out: (text: string) => out.push(text),
      err: (text: string) => out.push(text),
      env: {},
      now: () => new Date(clock),
    };
    expect(await runCli(['review', '--log', ownerLog, '--emergencies', alliance.dataDir, '--json'], io)).toBe(
      0,
    );
    const queue = JSON.parse(out.join('\n')) as {
      registrations: { id: string; releases: string[]; awaiting: string[] }[];
    };
    const registry = openEmergencyReader({ dataDir: alliance.dataDir });
    const all = registry.list().map((r) => r.id);
    registry.close();
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(queue.registrations.map((r) => r.id).sort()).toEqual([...all].sort());
    const mine = queue.registrations.find((r) => r.id === first.id)!;
    expect(mine.releases.length).toBeGreaterThan(0);
    expect(mine.awaiting).toEqual(mine.releases);
  });
});
