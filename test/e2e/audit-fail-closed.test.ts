// The audit trail's guarantees at the edges: an answer that cannot be recorded does not leave (on the
// gateway's side and on an owner's), and the ids both sides record come from the gateway's signed token,
// never from anything a client sends.
import { AuditError, openAuditReader, type AuditLog, type CrossingBody } from '../../audit';
import {
  startAlliance,
  analyst,
  post,
  GATEWAY_INSTANCE,
  type Alliance,
  type Exchange,
} from '../support/alliance';
import { scenarioGrants } from '../support/grants';
import { sqliteAuditBackend, type AuditBackend, type AllianceLogs } from '../support/auditBackends';

const KR_MLAT = analyst('KR', 'lee.h', {
  purpose: 'investigation',
  case: 'KR-CAS-000001',
  'request-ref': 'MLA-2026-0042',
});
const SUSPECT = '{ suspect(id: "KH-SUS-000001") { id fullName } }';

/** A log whose every append fails, as a full disk or a lost database would make it. */
function failingLog(instance: string): AuditLog & { readonly attempts: number } {
  let attempts = 0;
  return {
    instance,
    publicKey: '',
    description: 'a failing log',
    get attempts() {
      return attempts;
    },
    append() {
      attempts++;
      return Promise.reject(
        new AuditError(
          'LOG_UNAVAILABLE',
          'SQLITE_FULL: database or disk is full at /var/lib/accord/audit/secret.db',
        ),
      );
    },
    checkpoint: () => Promise.reject(new AuditError('LOG_UNAVAILABLE', 'closed')),
    stats: () => ({ appended: 0, commits: 0, checkpoints: 0, pending: 0 }),
    close: () => Promise.resolve(),
  };
}

async function recordsOf(logs: AllianceLogs): Promise<CrossingBody[]> {
  const bodies: CrossingBody[] = [];
  for (const url of logs.urls) {
    const reader = await openAuditReader(url);
    try {
      expect((await reader.verify()).problems).toEqual([]);
      for (const found of await reader.query({ limit: 10_000 }))
        bodies.push(found.entry!.body as CrossingBody);
    } finally {
      await reader.close();
    }
  }
  return bodies;
}

let backend: AuditBackend;
beforeAll(() => {
  backend = sqliteAuditBackend();
});
afterAll(() => backend.close());

describe('when the gateway cannot record a consultation', () => {
  let alliance: Alliance;
  const gatewayLog = failingLog(GATEWAY_INSTANCE);
  beforeAll(async () => {
    const logs = backend.forAlliance();
    alliance = await startAlliance({
      grants: scenarioGrants(),
      audit: {
        open: (instance) =>
          instance === GATEWAY_INSTANCE ? Promise.resolve(gatewayLog) : logs.open(instance),
      },
    });
  });
  afterAll(() => alliance.stop());

  it('the analyst gets an error that names no file, host or cause, and no data', async () => {
    const answer = await alliance.query(SUSPECT, { headers: KR_MLAT });
    expect(answer).toEqual({
      status: 503,
      body: {
        errors: [
          {
            message: expect.stringContaining('could not record this consultation'),
            extensions: { code: 'AUDIT_UNAVAILABLE' },
          },
        ],
      },
    });
    expect(JSON.stringify(answer.body)).not.toMatch(/sqlite|disk|\/var|KH-SUS|DO GANG MIN/i);
    expect(gatewayLog.attempts).toBeGreaterThan(0);
  });

  it('answers what crosses no border, which needs no record', async () => {
    const answer = await alliance.query('{ members { code } }', { headers: KR_MLAT });
    expect(answer.status).toBe(200);
    expect(answer.body.data!['members']).toEqual(expect.arrayContaining([{ code: 'KH' }]));
  });
});

describe('when an owner cannot record a disclosure', () => {
  let alliance: Alliance;
  let logs: AllianceLogs;
  const khLog = failingLog('kh');
  const exchanges: Exchange[] = [];
  beforeAll(async () => {
    logs = backend.forAlliance();
    alliance = await startAlliance({
      grants: scenarioGrants(),
      record: exchanges,
      audit: { open: (instance) => (instance === 'kh' ? Promise.resolve(khLog) : logs.open(instance)) },
    });
  });

  it('the owner withholds its answer and says so; the other owners answer, and the gateway records what the analyst got', async () => {
    const { status, body } = await alliance.query(
      '{ kh: suspect(id: "KH-SUS-000001") { id fullName } kr: suspect(id: "KR-SUS-000001") { id fullName } }',
      {
        headers: analyst('KH', 'sok.r', { purpose: 'investigation' }),
      },
    );
    expect(status).toBe(200);
    // KH withheld its whole answer, the record's confirmation with it (gateway/recordPresence.ts): the
    // lookup is answered null, and the only word on it is KH's own. Never NOT_FOUND: the record exists,
    // and saying otherwise would be a lie the analyst could act on.
    expect(body.data!['kh']).toBeNull();
    expect(
      body.errors!.filter((e) => (e.extensions as { code?: unknown } | undefined)?.code === 'NOT_FOUND'),
    ).toEqual([]);
    expect(body.data!['kr']).toEqual({ id: 'KR-SUS-000001', fullName: null });
    expect(body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          message: expect.stringContaining('KH could not record this disclosure'),
          extensions: { code: 'AUDIT_UNAVAILABLE', country: 'KH' },
        }),
      ]),
    );
    expect(JSON.stringify(body)).not.toMatch(/sqlite|disk|\/var|DO GANG MIN/i);
    expect(khLog.attempts).toBeGreaterThan(0);

    await alliance.stop();
    const records = (await recordsOf(logs)).filter((r) => r.requestId === exchanges[0]!.requestId);
    // KH was asked (its consultation says so), gave the analyst nothing and recorded nothing; KR's field the
    // gateway cut itself, and KR disclosed only the reference by which it confirmed its record exists.
    expect(records.map((r) => [r.side, r.owner]).sort()).toEqual([
      ['consultation', 'KH'],
      ['consultation', 'KR'],
      ['disclosure', 'KR'],
    ]);
    expect(records.find((r) => r.side === 'disclosure')!.fields).toEqual([
      expect.objectContaining({ category: 'meta.reference', record: 'KR-SUS-000001', effect: 'release' }),
    ]);
    expect(records.find((r) => r.side === 'consultation' && r.owner === 'KR')!.fields).toEqual([
      expect.objectContaining({ path: 'kr.fullName', record: 'KR-SUS-000001', effect: 'hit-only' }),
    ]);
    expect(
      records
        .find((r) => r.side === 'consultation' && r.owner === 'KH')!
        .fields.filter((f) => f.effect === 'release'),
    ).toEqual([]);
  });
});

describe("the ids on both sides come from the gateway's signed token only", () => {
  let alliance: Alliance;
  let logs: AllianceLogs;
  const exchanges: Exchange[] = [];
  beforeAll(async () => {
    logs = backend.forAlliance();
    alliance = await startAlliance({ grants: scenarioGrants(), audit: logs, record: exchanges });
  });

  it('ignores ids an analyst sends, and an owner ignores an id header beside the token', async () => {
    const forged = {
      'accord-request-id': 'forged-request',
      'accord-decision-id': 'forged-request:KH',
      'accord-field-report': '1',
    };
    const answer = await alliance.query(SUSPECT, { headers: { ...KR_MLAT, ...forged } });
    expect(answer.status).toBe(200);
    const requestId = exchanges.at(-1)!.requestId!;
    expect(requestId).not.toMatch(/forged/);

    // Signed by the gateway's key, with no ids in its context: the header beside it counts for nothing.
    const body = JSON.stringify({
      query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on KHSuspect { id fullName } } }',
      variables: { r: [{ __typename: 'KHSuspect', id: 'KH-SUS-000001' }] },
    });
    const ctx = {
      'accord-country': 'KR',
      'accord-analyst': 'lee.h',
      'accord-purpose': 'investigation',
      'accord-case': 'KR-CAS-000001',
      'accord-request-ref': 'MLA-2026-0042',
    };
    const token = alliance.signer.sign({ audience: 'kh', scope: 'query', ctx, body });
    const direct = await post(alliance.subgraphUrls['kh']!, body, {
      authorization: `Bearer ${token}`,
      ...forged,
    });
    expect(direct.status).toBe(200);
    expect(direct.body.extensions?.['accord']).not.toHaveProperty('fields');

    await alliance.stop();
    const records = await recordsOf(logs);
    expect(records.some((r) => /forged/.test(r.requestId) || /forged/.test(r.decisionId))).toBe(false);
    expect(
      records
        .filter((r) => r.requestId === requestId)
        .map((r) => [r.side, r.owner, r.decisionId])
        .sort(),
    ).toEqual([
      ['consultation', 'KH', `${requestId}:KH`],
      ['disclosure', 'KH', `${requestId}:KH`],
    ]);
    expect(records.filter((r) => r.requestId.startsWith('token:'))).toEqual([
      expect.objectContaining({ side: 'disclosure', owner: 'KH', analyst: 'lee.h' }),
    ]);
  });
});

describe("an analyst's alias that is the gateway's own", () => {
  it('is answered as asked, and the record is still named', async () => {
    const logs = backend.forAlliance();
    const exchanges: Exchange[] = [];
    const alliance = await startAlliance({ grants: scenarioGrants(), audit: logs, record: exchanges });
    let answer;
    try {
      answer = await alliance.query('{ suspect(id: "KH-SUS-000001") { _accordRecordId: fullName } }', {
        headers: KR_MLAT,
      });
    } finally {
      await alliance.stop();
    }
    expect(answer.body).toEqual({
      data: { suspect: { _accordRecordId: 'DO GANG MIN' } },
      extensions: expect.any(Object),
    });
    const consultation = (await recordsOf(logs)).find(
      (r) => r.side === 'consultation' && r.requestId === exchanges[0]!.requestId,
    )!;
    expect(consultation.fields).toEqual([
      expect.objectContaining({
        path: 'suspect._accordRecordId',
        record: 'KH-SUS-000001',
        category: 'person.identity',
        effect: 'release',
      }),
    ]);
  });
});
