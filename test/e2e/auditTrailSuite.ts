/**
 * The authorization suite (authorizationSuite.ts) run on alliances with audit logs, then the records of
 * every request it sent, checked against the answers the analysts got:
 *
 * - every answered request has one consultation per owner it concerns, under decision id
 *   `<request id>:<owner>`, with who asked and why, the policy revision and the operation's hash;
 * - every field the answer released or withheld has its entry at its path in the analyst's answer, with
 *   the effect, category, clauses and obligations the policy engine gives for that record;
 * - every field an owner decided is in that owner's disclosure record, under the same decision id and
 *   with the same decision; every disclosure matches a consultation;
 * - nothing is recorded for a request refused before it reached GraphQL, and every log verifies.
 */
import { createHash } from 'node:crypto';
import {
  openAuditReader,
  requesterFields,
  type CrossingBody,
  type FieldEntry,
  type StoredEntry,
} from '../../audit';
import { readFieldCatalog } from '../../legal';
import { modelDecide } from '../../legal/model';
import { modelQuestionOf } from '../../legal/modelQuestion';
import { loadDefaultPolicy, type GrantBook, type RequestContext } from '../../policy';
import { MLA_2026_0042 } from '../support/grants';
import { concreteTypeName, parseGlobalId, readCommittedSupergraph } from '../../schema';
import { createWorld } from '../../subgraphs/reference';
import type { Category } from '../../vocabulary';
import { startAlliance, TEST_NOW, type Exchange } from '../support/alliance';
import type { AllianceLogs, AuditBackend } from '../support/auditBackends';
import { authorizationSuite } from './authorizationSuite';
import { requesterOf } from '../support/emergencies';

const policy = loadDefaultPolicy();
const categoryOf = new Map(
  readFieldCatalog(readCommittedSupergraph()).fields.map((f) => [f.coordinate, f.category as Category]),
);
const REQUEST_KEYS = [
  'requestId',
  'analyst',
  'country',
  'purpose',
  'caseReference',
  'requestReference',
  'jointTeam',
  'emergency',
  'policyRevision',
];
const world = createWorld();
const REFUSALS: Readonly<Record<string, FieldEntry['effect']>> = {
  WITHHELD: 'withhold',
  PURPOSE_REQUIRED: 'withhold',
  FOLLOW_UP_REQUIRED: 'hit-only',
};

export function auditTrailSuite(name: string, backend: () => Promise<AuditBackend>): void {
  let store: AuditBackend | undefined;
  const alliances: AllianceLogs[] = [];
  beforeAll(async () => {
    store = await backend();
  }, 60_000);
  afterAll(() => store?.close());

  const exchanges = authorizationSuite((options) => {
    const logs = store!.forAlliance();
    alliances.push(logs);
    return startAlliance({ ...options, audit: logs });
  });

  describe(`the audit trail of every request of the suite (${name})`, () => {
    it('matches the answers, on both sides of every crossing, and every log verifies', async () => {
      const entries: StoredEntry[] = [];
      for (const url of new Set(alliances.flatMap((a) => [...a.urls]))) {
        const reader = await openAuditReader(url);
        try {
          const report = await reader.verify();
          expect({ url, problems: report.problems }).toEqual({ url, problems: [] });
          for (const found of await reader.query({
            kinds: ['consultation', 'disclosure'],
            limit: 1_000_000,
          })) {
            if (!found.entry) throw new Error(`${found.ref} is broken: ${found.broken}`);
            entries.push(found.entry);
          }
        } finally {
          await reader.close();
        }
      }
      const bodies = entries.map((e) => e.body as CrossingBody);
      const counts = checkTrail(exchanges, bodies);
      // Floors, or the checks above could pass on nothing.
      expect(counts.consultations).toBeGreaterThanOrEqual(20);
      expect(counts.disclosures).toBeGreaterThanOrEqual(15);
      expect(counts.answerFields).toBeGreaterThanOrEqual(60);
      expect(counts.matchedAcross).toBeGreaterThanOrEqual(30);
    });
  });
}

interface Counts {
  consultations: number;
  disclosures: number;
  /** Fields of answers found in the consultation records. */
  answerFields: number;
  /** Consultation entries found, decision for decision, in the owner's disclosure. */
  matchedAcross: number;
}

function checkTrail(exchanges: readonly Exchange[], bodies: readonly CrossingBody[]): Counts {
  const counts: Counts = { consultations: 0, disclosures: 0, answerFields: 0, matchedAcross: 0 };
  const byRequest = new Map<string, CrossingBody[]>();
  for (const body of bodies) byRequest.set(body.requestId, [...(byRequest.get(body.requestId) ?? []), body]);

  for (const exchange of exchanges) {
    const what = `${exchange.query} ${JSON.stringify(exchange.variables ?? {})} as ${JSON.stringify(exchange.headers)}`;
    if (exchange.answer.status !== 200) {
      // Refused before GraphQL (no token, a bad declaration): no request id, nothing recorded.
      expect({ what, requestId: exchange.requestId }).toEqual({ what, requestId: undefined });
      continue;
    }
    const requestId = exchange.requestId!;
    expect(requestId).toEqual(expect.any(String));
    const records = byRequest.get(requestId) ?? [];
    byRequest.delete(requestId);
    // Who asked and why, as the gateway read it (the emergency resolved to its registration).
    const requester = requesterOf(exchange, exchanges, TEST_NOW);
    const consultations = new Map(records.filter((r) => r.side === 'consultation').map((r) => [r.owner, r]));
    const disclosures = records.filter((r) => r.side === 'disclosure');
    counts.consultations += consultations.size;
    counts.disclosures += disclosures.length;
    expect(consultations.size).toBe(records.filter((r) => r.side === 'consultation').length); // one per owner

    // Who asked, why, under which revision, for which operation: the same on every record of the request.
    const common = {
      requestId,
      ...requesterFields(requester),
      policyRevision: policy.revision,
    };
    for (const record of records) {
      expect({ what, ...pick(record, REQUEST_KEYS) }).toEqual({ what, ...common });
      expect(record.decisionId).toBe(`${requestId}:${record.owner}`);
      if (record.side === 'consultation')
        expect(record.operationHash).toBe(createHash('sha256').update(exchange.query).digest('hex'));
    }

    // Every disclosure answers a consultation of the same crossing.
    for (const disclosure of disclosures)
      expect({ what, owner: disclosure.owner, consulted: consultations.has(disclosure.owner) }).toEqual({
        what,
        owner: disclosure.owner,
        consulted: true,
      });

    // Every refusal in the answer is in the owner's consultation, at its path.
    for (const error of exchange.answer.body.errors ?? []) {
      const { code, owner, category } = error.extensions ?? {};
      const effect = REFUSALS[String(code)];
      if (!effect) continue;
      const fields = consultations.get(String(owner))?.fields ?? [];
      const where = error.path?.join('.');
      const match = where
        ? fields.find((f) => f.path === where)
        : fields.find((f) => f.category === category && f.effect === 'withhold');
      expect({
        what,
        error: where ?? error.message,
        entry: match && { effect: match.effect, category: match.category },
      }).toEqual({ what, error: where ?? error.message, entry: { effect, category } });
      counts.answerFields++;
    }

    // Every released value of a record is in its owner's consultation, with the clauses and obligations
    // the engine gives for that record.
    const visit = (value: unknown, path: (string | number)[]): void => {
      if (Array.isArray(value)) return value.forEach((item, index) => visit(item, [...path, index]));
      if (!value || typeof value !== 'object') return;
      const object = value as Record<string, unknown>;
      const id = typeof object['id'] === 'string' ? parseGlobalId(object['id']) : undefined;
      for (const [key, child] of Object.entries(object)) {
        const type = id ? concreteTypeName(id.owner, id.kind) : undefined;
        const coordinate = `${type}.${key}`;
        const category = categoryOf.get(coordinate);
        if (id && category && child !== null && key !== 'id') {
          const input = {
            requester,
            owner: id.owner,
            category,
            at: TEST_NOW,
            record: factsOf(String(object['id'])),
            grants: grantsOf(id.owner),
          };
          const decision = policy.decide(input);
          // The effect and the determining clause come from the reference model too, which shares no code
          // with the engine: a log that faithfully records a wrong decision is caught here.
          const model = modelDecide(policy.set, modelQuestionOf(input));
          expect({
            what,
            record: object['id'],
            category,
            effect: decision.effect,
            clause: `${decision.clauses[0]?.agreement}/${decision.clauses[0]?.clause}`,
          }).toEqual({
            what,
            record: object['id'],
            category,
            effect: model.effect,
            clause: model.clause ?? 'undefined/undefined',
          });
          const entry = consultations.get(id.owner)?.fields.find((f) => f.path === [...path, key].join('.'));
          const expected = {
            record: String(object['id']),
            category,
            effect: decision.effect,
            clauses: decision.clauses.map((c) => ({
              agreement: c.agreement,
              clause: c.clause,
              citation: c.citation,
              title: c.title,
            })),
            ...(decision.obligations ? { obligations: decision.obligations } : {}),
          };
          expect({
            what,
            path: [...path, key].join('.'),
            entry: entry && pick(entry, ['record', 'category', 'effect', 'clauses', 'obligations']),
          }).toEqual({
            what,
            path: [...path, key].join('.'),
            entry: expected,
          });
          counts.answerFields++;
        }
        visit(child, [...path, key]);
      }
    };
    visit(exchange.answer.body.data, []);

    // What an owner decided is in its disclosure, decision for decision: the gateway's entries for fields
    // it did not cut itself (a cut field never reaches the owner).
    for (const consultation of consultations.values()) {
      const disclosed = disclosures
        .filter((d) => d.decisionId === consultation.decisionId)
        .flatMap((d) => d.fields);
      for (const entry of consultation.fields) {
        if (
          entry.record === undefined ||
          cutByGateway(requester, consultation.owner, entry.category as Category)
        )
          continue;
        const same = disclosed.find(
          (d) =>
            d.record === entry.record &&
            sameDecision(d, entry) &&
            lastKey(d.path) === fieldName(exchange.query, lastKey(entry.path)),
        );
        expect({ what, entry, disclosed: same !== undefined }).toEqual({ what, entry, disclosed: true });
        counts.matchedAcross++;
      }
    }
  }
  // Nothing recorded under a request id no analyst got, but the owner's record of the calls the suite
  // signed itself with the gateway's key (postAsGateway), which carry no gateway ids: kept under the token's.
  const others = [...byRequest.values()].flat();
  expect(
    others.map((r) => ({ side: r.side, requestId: r.requestId.replace(/[0-9a-f-]{36}/, '<jti>') })),
  ).toEqual([{ side: 'disclosure', requestId: 'token:<jti>' }]);
  return counts;
}

/** The gateway cuts a field before planning when its decision does not depend on the record and withholds or gives a hit. */
function cutByGateway(requester: RequestContext, owner: string, category: Category): boolean {
  const decision = policy.decide({ requester, owner, category, at: TEST_NOW });
  if (decision.recordDependent) return false;
  return decision.effect === 'withhold' || (decision.effect === 'hit-only' && category !== 'meta.reference');
}

function sameDecision(a: FieldEntry, b: FieldEntry): boolean {
  const decision = (e: FieldEntry) =>
    JSON.stringify([e.category, e.effect, e.reason, e.clauses, e.obligations ?? null, e.gate ?? null]);
  return decision(a) === decision(b);
}

function lastKey(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

/** The field a response key stands for in the query (`name: fullName` → fullName). */
function fieldName(query: string, key: string): string {
  return new RegExp(`\\b${key}\\s*:\\s*(\\w+)`).exec(query)?.[1] ?? key;
}

function factsOf(id: string): { id: string; operations: string[]; sourceGrade?: string } | undefined {
  const record = world.record(id) as { operations?: string[]; sourceGrade?: string } | undefined;
  return record
    ? {
        id,
        operations: record.operations ?? [],
        ...(record.sourceGrade ? { sourceGrade: record.sourceGrade } : {}),
      }
    : undefined;
}

/** What each owner holds in the suite's alliances: KH the grant MLA-2026-0042 (test/support/grants.ts). */
function grantsOf(owner: string): GrantBook {
  return owner === MLA_2026_0042.owner ? new Map([[MLA_2026_0042.id, MLA_2026_0042]]) : new Map();
}

function pick(object: object, keys: readonly string[]): Record<string, unknown> {
  const source = object as Record<string, unknown>;
  return Object.fromEntries(keys.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]));
}
