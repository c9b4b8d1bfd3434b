/**
 * The record model against the real policy engine: records built from the engine's decisions with
 * `fieldEntryFromDecision` keep the clauses, obligations and gate the engine cited; canonical JSON is the
 * one serialization hashes are taken over.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  fieldEntryFromDecision,
  hashOperation,
  newDecisionId,
  openAuditLog,
  openAuditReader,
  type CrossingBody,
} from '../../audit';
import { canonicalJson } from '../../audit/canonicalJson';
import { loadDefaultPolicy, type Grant, type RequestContext } from '../../policy';

describe('records from policy decisions', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'accord-audit-records-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('logs what the engine decided, field by field, on both sides of the crossing', async () => {
    const policy = loadDefaultPolicy();
    const requester: RequestContext = {
      country: 'KR',
      analyst: 'kim.j',
      roles: ['analyst'],
      purpose: 'investigation',
      caseReference: 'KR-2025-0042',
      requestReference: 'KR-MLA-2025-0007',
    };
    const at = Date.parse('2026-03-01T10:00:00Z');
    // KH's desk approved the formal request: the grant its reference names covers the suspect's identity.
    const grant: Grant = {
      id: requester.requestReference!,
      owner: 'KH',
      requesterCountry: 'KR',
      analysts: [requester.analyst],
      caseReference: requester.caseReference!,
      purpose: 'investigation',
      agreement: 'kr-kh-mlat-2021',
      clauses: ['persons-and-records'],
      subjects: ['KH-SUS-000001'],
      categories: ['person.identity'],
      validFrom: at - 86_400_000,
      validUntil: at + 86_400_000,
      evidentiaryUse: true,
    };
    const asOwner = { record: { id: 'KH-SUS-000001' }, grants: new Map([[grant.id, grant]]) };
    const identity = policy.decide({ requester, owner: 'KH', category: 'person.identity', at, ...asOwner });
    const content = policy.decide({ requester, owner: 'KH', category: 'telecom.content', at, ...asOwner });
    expect(identity.effect).toBe('release');
    expect(content.effect).toBe('withhold');

    const decisionId = newDecisionId();
    const record = {
      requestId: 'req-1',
      decisionId,
      analyst: requester.analyst,
      country: requester.country,
      purpose: requester.purpose!,
      caseReference: requester.caseReference!,
      requestReference: requester.requestReference!,
      owner: 'KH',
      fields: [
        fieldEntryFromDecision('suspects.0.fullName', 'person.identity', identity, undefined, asOwner.grants),
        fieldEntryFromDecision('suspects.0.messages', 'telecom.content', content, undefined, asOwner.grants),
      ],
      policyRevision: policy.revision,
      operationHash: hashOperation('query { suspects(name: "Sok") { fullName messages } }'),
      at,
    };
    const url = `sqlite:${join(dir, 'log.db')}`;
    const gateway = await openAuditLog({ url, writer: { instance: 'gw-1' } });
    const owner = await openAuditLog({ url, writer: { instance: 'kh-subgraph' } });
    await Promise.all([
      gateway.append({ side: 'consultation', ...record }),
      owner.append({ side: 'disclosure', ...record }),
    ]);
    await Promise.all([gateway.close(), owner.close()]);

    const reader = await openAuditReader(url);
    const both = await reader.query({ decisionId });
    expect((await reader.verify()).ok).toBe(true);
    await reader.close();
    expect(both.map((r) => r.entry!.kind).sort()).toEqual(['consultation', 'disclosure']);
    const body = both[0]!.entry!.body as CrossingBody;
    expect(both[0]!.entry!.at).toBe('2026-03-01T10:00:00.000Z');
    expect(body.policyRevision).toBe(policy.revision);
    expect(body.fields[0]).toEqual({
      path: 'suspects.0.fullName',
      category: 'person.identity',
      effect: 'release',
      reason: identity.reason,
      clauses: identity.clauses.map((c) => ({
        agreement: c.agreement,
        clause: c.clause,
        citation: c.citation,
        title: c.title,
      })),
      obligations: identity.obligations,
      ...(identity.gate
        ? {
            gate: {
              owner: identity.gate.owner,
              title: identity.gate.title,
              citations: [...identity.gate.citations],
            },
          }
        : {}),
      // Released under the grant the reference names: the record cites it with the end of its validity.
      grant: { id: grant.id, validUntil: '2026-03-02T10:00:00.000Z' },
    });
    expect(body.fields[0]!.clauses[0]!.agreement).toBe('kr-kh-mlat-2021');
    expect(body.fields[1]).toMatchObject({ effect: 'withhold', clauses: [] });
  });
});

describe('canonical JSON', () => {
  it('sorts keys at every depth, drops undefined members, and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 'x', c: undefined, b: null }], é: true })).toBe(
      '{"a":[{"b":null,"d":"x"}],"b":1,"é":true}',
    );
    expect(canonicalJson([undefined, 'a'])).toBe('[null,"a"]');
  });

  it('refuses what JSON cannot hold, instead of writing it two ways', () => {
    expect(() => canonicalJson({ n: NaN })).toThrow(/NaN, which JSON cannot hold/);
    expect(() => canonicalJson({ when: new Date(0) })).toThrow(/not a plain object/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
    expect(() => canonicalJson({ n: 1n })).toThrow(/bigint/);
  });
});
