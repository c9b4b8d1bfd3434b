/**
 * Every disclosure made under a grant names the grant (issue 9 item 6), end to end over HTTP: a release
 * under MLA-2026-0042 cites the grant, with the end of its validity, in the owner's disclosure record, in
 * the gateway's consultation record (both under one decision id), and in the obligations the analyst's
 * answer carries per owner. A field that did not rest on the grant cites none.
 *
 * The oracle is the agreements as written: a field rests on the grant when a clause it cites has the
 * `requestReference` condition. The grant's validity end is computed here from the scenario, not read
 * back from the engine.
 */
import { openAuditReader, type CrossingBody, type FieldEntry } from '../../audit';
import { loadDefaultPolicy } from '../../policy';
import { concreteTypeName, readCommittedSupergraph } from '../../schema';
import { readFieldCatalog } from '../../legal';
import { analyst, startAlliance, TEST_NOW, type Alliance, type Exchange } from '../support/alliance';
import { sqliteAuditBackend, type AllianceLogs, type AuditBackend } from '../support/auditBackends';
import { MLA_2026_0042, scenarioGrants } from '../support/grants';

const DAY = 86_400_000;
const policy = loadDefaultPolicy();
const GRANT = MLA_2026_0042;
const OWNER = GRANT.owner;
// scenarioGrants() issues the grant valid from a day before the tests' clock for 30 days.
const VALID_UNTIL = new Date(TEST_NOW + 29 * DAY).toISOString();

/** `agreement/clause` of every clause that needs a formal request: the only ones a grant can meet. */
const NEEDS_REQUEST = new Set(
  policy.set.agreements.flatMap((agreement) =>
    agreement.clauses
      .filter((clause) => clause.conditions.requestReference === true)
      .map((clause) => `${agreement.id}/${clause.id}`),
  ),
);
const restsOnGrant = (field: FieldEntry) =>
  field.effect !== 'withhold' && field.clauses.some((c) => NEEDS_REQUEST.has(`${c.agreement}/${c.clause}`));

// Every scalar field of the owner's suspect type, from the supergraph.
const SUSPECT_TYPE = concreteTypeName(OWNER, 'Suspect');
const RECORD_TYPES = new Set(['Suspect', 'Compound', 'Case', 'Victim']);
const scalarFields = readFieldCatalog(readCommittedSupergraph()).fields.filter(
  (f) =>
    f.coordinate.startsWith(`${SUSPECT_TYPE}.`) &&
    !RECORD_TYPES.has(f.returns) &&
    f.category !== 'person.biometrics' &&
    f.category !== 'meta.reference',
);
const isScalar = (returns: string) => /^(String|ID|Int|Float|Boolean)$/.test(returns);
const selection = scalarFields
  .map((f) => `${f.coordinate.split('.')[1]}${isScalar(f.returns) ? '' : ' { __typename }'}`)
  .join(' ');
const QUERY = `query ($id: ID!) { suspect(id: $id) { id ... on ${SUSPECT_TYPE} { ${selection} } } }`;
const asAnalyst = (extra: Record<string, string> = {}) =>
  analyst(GRANT.requesterCountry, GRANT.analysts[0]!, {
    purpose: GRANT.purpose,
    case: GRANT.caseReference,
    ...extra,
  });

let alliance: Alliance;
let backend: AuditBackend;
let logs: AllianceLogs;
const exchanges: Exchange[] = [];

beforeAll(async () => {
  backend = sqliteAuditBackend();
  logs = backend.forAlliance();
  alliance = await startAlliance({ audit: logs, grants: scenarioGrants(TEST_NOW), record: exchanges });
}, 120_000);
afterAll(async () => {
  await alliance?.stop();
  await backend?.close();
});

/** Both sides' records of one request with the owner, read back from the logs. */
async function recordsOf(requestId: string): Promise<Record<'consultation' | 'disclosure', CrossingBody>> {
  const found: CrossingBody[] = [];
  for (const url of logs.urls) {
    const reader = await openAuditReader(url);
    try {
      for (const record of await reader.query({ decisionId: `${requestId}:${OWNER}` }))
        found.push(record.entry!.body as CrossingBody);
    } finally {
      await reader.close();
    }
  }
  const side = (name: 'consultation' | 'disclosure') => {
    const bodies = found.filter((b) => b.side === name);
    expect({ side: name, records: bodies.length }).toEqual({ side: name, records: 1 });
    return bodies[0]!;
  };
  return { consultation: side('consultation'), disclosure: side('disclosure') };
}

async function ask(headers: Record<string, string>) {
  const answer = await alliance.query(QUERY, { headers, variables: { id: GRANT.subjects[0] } });
  const requestId = exchanges.at(-1)?.requestId;
  expect(requestId).toBeDefined();
  return { answer, requestId: requestId! };
}

describe('a release under a grant names the grant', () => {
  test('the scenario has clauses that need a formal request, and the grant covers fields of the query', () => {
    expect(NEEDS_REQUEST.size).toBeGreaterThan(0);
    expect(scalarFields.some((f) => (GRANT.categories as readonly string[]).includes(f.category))).toBe(true);
  });

  test('in the disclosure and the consultation, field by field, with the validity end', async () => {
    const { requestId } = await ask(asAnalyst({ 'request-ref': GRANT.id }));
    const records = await recordsOf(requestId);
    for (const side of ['disclosure', 'consultation'] as const) {
      const fields = records[side].fields;
      const underGrant = fields.filter(restsOnGrant);
      expect({ side, releasedUnderGrant: underGrant.length > 0 }).toEqual({ side, releasedUnderGrant: true });
      for (const field of fields) {
        const expected = restsOnGrant(field) ? { id: GRANT.id, validUntil: VALID_UNTIL } : undefined;
        expect({ side, path: field.path, grant: field.grant }).toEqual({
          side,
          path: field.path,
          grant: expected,
        });
      }
      // What the grant opened: its categories of its subject, nothing else.
      expect({ side, records: [...new Set(underGrant.map((f) => f.record))] }).toEqual({
        side,
        records: [...GRANT.subjects],
      });
    }
  });

  test('in the obligations the analyst receives for the owner', async () => {
    const { answer } = await ask(asAnalyst({ 'request-ref': GRANT.id }));
    const obligations = answer.body.extensions?.['obligations'] as Record<
      string,
      { releases: { agreement: string; clause: string; grant?: string; grantValidUntil?: string }[] }
    >;
    const releases = obligations[OWNER]!.releases;
    const needing = releases.filter((r) => NEEDS_REQUEST.has(`${r.agreement}/${r.clause}`));
    expect(needing.length).toBeGreaterThan(0);
    for (const release of releases) {
      const cited = NEEDS_REQUEST.has(`${release.agreement}/${release.clause}`)
        ? { grant: GRANT.id, grantValidUntil: VALID_UNTIL }
        : { grant: undefined, grantValidUntil: undefined };
      expect({
        clause: `${release.agreement}/${release.clause}`,
        grant: release.grant,
        grantValidUntil: release.grantValidUntil,
      }).toEqual({ clause: `${release.agreement}/${release.clause}`, ...cited });
    }
  });

  test('without the grant, no record cites one', async () => {
    const { requestId } = await ask(asAnalyst());
    const records = await recordsOf(requestId);
    for (const side of ['disclosure', 'consultation'] as const) {
      expect({ side, citing: records[side].fields.filter((f) => f.grant !== undefined) }).toEqual({
        side,
        citing: [],
      });
    }
  });
});
