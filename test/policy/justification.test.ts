/**
 * One definition of an emergency justification (issue 10, item 5): the hub's registry (which reads it once,
 * when the emergency is declared), the header parser (the owner reading the gateway's forwarded context),
 * the policy and the audit validator accept and refuse the same texts. The expected outcomes are written
 * by hand below, not computed with the code under test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditError, openAuditLog, type AuditLog } from '../../audit';
import { RegistrationRefused, openEmergencyRegistry, type EmergencyRegistry } from '../../emergencies';
import {
  REQUEST_HEADERS,
  parseRequestHeaders,
  requestContextHeaders,
  type RequestContext,
} from '../../policy';
import type { Category, Purpose } from '../../vocabulary';
import { emergencyCrossing } from '../audit/support/records';
import { HOSTILE_JUSTIFICATIONS } from './hostileJustifications';
import { shippedPolicy } from './shippedPolicy';

const NOW = Date.parse('2026-06-15T09:00:00Z');
const DECLARED = new Date(NOW - 3_600_000).toISOString();
/** What a reader that skipped the header parser would see: the percent-decoded value, or the raw one. */
function decoded(header: string): string {
  try {
    return decodeURIComponent(header);
  } catch {
    return header;
  }
}

/** The gateway's forwarded context as an owner reads it: a registered emergency with this justification. */
function parse(justification: string) {
  const headers: Record<string, string> = {
    'accord-country': 'KR',
    'accord-analyst': 'kim.j',
    'accord-purpose': 'victim_rescue',
    'accord-emergency': 'EMG-KR-0123456789',
    'accord-emergency-registered-at': DECLARED,
    'accord-justification': justification,
  };
  return parseRequestHeaders((name) => headers[name], NOW);
}

describe('an emergency justification, read one way by every reader', () => {
  const policy = shippedPolicy();
  // The pair and category come from the agreements: an EMERGENCY clause's parties, one category it releases,
  // for a pair where nothing but the emergency releases it. Found inside the tests that use it (a mutation
  // run charges what a test file computes while it loads to no test: test/policy/shippedPolicy.ts).
  let found: { owner: string; requester: string; category: Category; purpose: Purpose } | undefined;
  const pairOf = () => (found ??= findPair());
  const findPair = () => {
    for (const agreement of policy.set.agreements) {
      for (const clause of agreement.clauses) {
        if (clause.basis !== 'EMERGENCY') continue;
        const category = Object.entries(clause.categories).find(([, mode]) => mode === 'release')?.[0] as
          Category | undefined;
        if (category === undefined) continue;
        for (const owner of agreement.parties) {
          for (const requester of agreement.parties) {
            if (owner === requester) continue;
            const plain: RequestContext = {
              country: requester,
              analyst: 'an.analyst',
              roles: ['analyst'],
              purpose: clause.purposes[0]!,
            };
            if (policy.decide({ requester: plain, owner, category, at: NOW }).effect !== 'release')
              return { owner, requester, category, purpose: clause.purposes[0]! };
          }
        }
      }
    }
    throw new Error('no EMERGENCY clause in the agreements');
  };

  let dir: string;
  let log: AuditLog;
  let registry: EmergencyRegistry;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'accord-justification-'));
    registry = openEmergencyRegistry({ dataDir: dir, windowHours: 24 });
    log = await openAuditLog({ url: `sqlite:${join(dir, 'audit.db')}`, writer: { instance: 'gw-1' } });
  });
  afterAll(async () => {
    await log.close();
    registry.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe.each(HOSTILE_JUSTIFICATIONS.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    it('the header parser, as an owner reads the context the gateway forwards', () => {
      const parsed = parse(c.header);
      if ('refused' in c.expect) {
        expect(parsed.ok).toBe(false);
        if (!parsed.ok) expect(parsed.problems.join(' ')).toMatch(c.expect.refused);
        if (!parsed.ok) expect(parsed.problems.join(' ')).toContain('accord-justification');
      } else {
        expect(parsed).toMatchObject({ ok: true, context: { emergency: { justification: c.expect.text } } });
      }
    });

    it("the hub's registry: registers only a justification, and keeps the text every other reader keeps", () => {
      // The mutation's argument is JSON text: what the header carried once decoded (raw bytes are a header's problem only).
      const declaration = {
        country: pairOf().requester,
        analyst: 'an.analyst',
        caseReference: `CASE-${c.name.replace(/[^A-Za-z0-9]+/g, '-')}`.slice(0, 64),
        justification: decoded(c.header),
      };
      if ('refused' in c.expect && !c.textIsJustification) {
        expect(() => registry.declare(declaration, NOW)).toThrow(RegistrationRefused);
        // A header's transport problem (raw bytes) has its own message there; here the text itself is refused.
        if (!c.expect.refused.source.includes('not printable ASCII'))
          expect(() => registry.declare(declaration, NOW)).toThrow(c.expect.refused);
      } else if ('text' in c.expect) {
        expect(registry.declare(declaration, NOW).registration.justification).toBe(c.expect.text);
      }
    });

    it('the owner, reading what the gateway forwards, keeps exactly what the gateway read', () => {
      const parsed = parse(c.header);
      if (!parsed.ok) return;
      const wire = requestContextHeaders(parsed.context);
      expect(Object.values(wire).join('')).toMatch(/^[\x20-\x7e]*$/);
      expect(parseRequestHeaders((name) => wire[name], NOW)).toEqual({ ok: true, context: parsed.context });
    });

    it('the policy: only a justification opens the emergency clause', () => {
      // Given straight to the engine, as a legal tool or another caller would: no parser in between.
      const text = decoded(c.header);
      const requester: RequestContext = {
        country: pairOf().requester,
        analyst: 'an.analyst',
        roles: ['analyst'],
        purpose: pairOf().purpose,
        emergency: { declaredAt: NOW - 3_600_000, justification: text },
      };
      const decision = policy.decide({
        requester,
        owner: pairOf().owner,
        category: pairOf().category,
        at: NOW,
      });
      expect(decision.effect).toBe('refused' in c.expect && !c.textIsJustification ? 'withhold' : 'release');
    });

    it('the audit validator: logs what the parser accepts, refuses the rest with BAD_RECORD', async () => {
      const record = emergencyCrossing('consultation', 1, DECLARED);
      const text = 'refused' in c.expect ? decoded(c.header) : c.expect.text;
      const append = log.append({ ...record, emergency: { declaredAt: DECLARED, justification: text } });
      if ('refused' in c.expect && !c.textIsJustification)
        await expect(append).rejects.toMatchObject({ code: 'BAD_RECORD', constructor: AuditError });
      else await expect(append).resolves.toMatchObject({ chain: 'gw-1' });
    });
  });
});

describe('every Accord-* header', () => {
  // Raw UTF-8 in any declaration header (a case number typed in Hangul, a Latin-1 name): refused with the
  // same advice, never read as mojibake or judged by a rule meant for something else.
  it.each(Object.values(REQUEST_HEADERS))('%s refuses raw bytes and says to percent-encode', (name) => {
    const headers: Record<string, string> = {
      'accord-country': 'KR',
      'accord-analyst': 'kim.j',
      [name]: Buffer.from('KR-사건-1', 'utf8').toString('latin1'),
    };
    const parsed = parseRequestHeaders((header) => headers[header], NOW);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.problems).toContainEqual(
        expect.stringMatching(
          new RegExp(`^${name} holds a character that is not printable ASCII .*percent-encoded UTF-8`),
        ),
      );
  });
});
