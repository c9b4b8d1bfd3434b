/**
 * Hostile emergency justifications sent end to end (issue 10, item 5; issue 9, item 5): an emergency is
 * registered once with `declareEmergency`, so the justification is the mutation's argument. Each hostile
 * one is refused by the hub with a message that says what is wrong and registers nothing; a real
 * justification in any script is registered in its normalised form, and the request naming the
 * registration is answered and recorded with that text on both sides. Sent the old way, in the
 * `Accord-Justification` header (raw bytes included), every one is refused at the gateway's door with
 * HTTP 400 and writes no record. Every log still verifies with `npm run audit -- verify`'s code.
 */
import { connect } from 'node:net';
import { openAuditReader } from '../../audit';
import { runCli } from '../../audit/cli';
import { loadDefaultPolicy, type RequestContext } from '../../policy';
import { ERROR_CODES } from '../../schema/errors';
import { sqliteAuditBackend, type AllianceLogs, type AuditBackend } from '../support/auditBackends';
import { analyst, startAlliance, TEST_NOW, type Alliance, type GraphQLAnswer } from '../support/alliance';
import { declare } from '../support/emergencies';
import { HOSTILE_JUSTIFICATIONS } from '../policy/hostileJustifications';

/**
 * POSTs over a plain socket, every header written byte for byte as given (one Latin-1 character per
 * byte): fetch refuses such headers and node's HTTP client re-encodes them, while a careless client sends
 * raw UTF-8 as it is.
 */
function postRaw(url: string, body: string, headers: Record<string, string>): Promise<GraphQLAnswer> {
  const { hostname, port, pathname } = new URL(url);
  const head = [
    `POST ${pathname} HTTP/1.1`,
    `host: ${hostname}:${port}`,
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
  ];
  for (const [name, value] of Object.entries(headers)) head.push(`${name}: ${value}`);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname, () =>
      socket.write(
        Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), Buffer.from(body, 'utf8')]),
      ),
    );
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      try {
        const response = Buffer.concat(chunks).toString('utf8');
        const split = response.indexOf('\r\n\r\n');
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(response)![1]);
        let payload = response.slice(split + 4);
        // A chunked answer: the chunks' text between their size lines.
        if (/\r\ntransfer-encoding: chunked/i.test(response.slice(0, split)))
          payload = payload.replace(/(^|\r\n)[0-9a-f]+\r\n/gi, '');
        resolve({ status, body: JSON.parse(payload.trim()) as GraphQLAnswer['body'] });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

// Who asks whom: an EMERGENCY clause's parties, for a pair where nothing but the emergency releases victim
// identity (the clause's own categories decide what the valid request must receive).
const policy = loadDefaultPolicy();
const { owner, requester, purpose } = (() => {
  for (const agreement of policy.set.agreements) {
    for (const clause of agreement.clauses) {
      if (clause.basis !== 'EMERGENCY' || clause.categories['victim.identity'] !== 'release') continue;
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
            policy.decide({ requester: plain, owner: o, category: 'victim.identity', at: TEST_NOW })
              .effect !== 'release'
          )
            return { owner: o, requester: r, purpose: clause.purposes[0]! };
        }
      }
    }
  }
  throw new Error('no EMERGENCY clause releasing victim identity');
})();
const QUERY_TEXT = `{ victim(id: "${owner}-VIC-000001") { id fullName lastKnownLocation { description } } }`;
const QUERY = JSON.stringify({ query: QUERY_TEXT });
/** The argument a client sends: the text the header carried, decoded (JSON carries any text as it is). */
function decoded(header: string): string {
  try {
    return decodeURIComponent(header);
  } catch {
    return header;
  }
}

describe(`hostile emergency justifications (${requester} asks for ${owner}'s victim)`, () => {
  let backend: AuditBackend;
  let logs: AllianceLogs;
  let alliance: Alliance;
  let stopped = false;
  beforeAll(async () => {
    backend = sqliteAuditBackend();
    logs = backend.forAlliance();
    alliance = await startAlliance({ audit: logs });
  });
  afterAll(async () => {
    if (!stopped) await alliance.stop();
    await backend.close();
  });

  const analystOf = (i: number) => `hostile.${i}`;

  it.each(HOSTILE_JUSTIFICATIONS.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    // The old way, in a header: refused at the door whatever it holds, before anything is recorded.
    const headers = await alliance.clientHeaders(
      analyst(requester, analystOf(i), { purpose, justification: c.header }),
    );
    const old = await postRaw(alliance.gatewayUrl, QUERY, headers);
    expect(old.status).toBe(400);
    expect(old.body.errors![0]!.extensions!['code']).toBe(ERROR_CODES.BAD_REQUEST);
    expect(old.body.errors![0]!.message).toMatch(/accord-justification/);

    // The registered way: the hub reads the text once.
    const declared = await declare(
      alliance,
      requester,
      analystOf(i),
      `${requester}-CAS-HOSTILE-${i}`,
      decoded(c.header),
    );
    if ('refused' in c.expect && !c.textIsJustification) {
      expect(declared.body.data ?? null).toBeNull();
      expect(declared.body.errors).toHaveLength(1);
      expect(declared.body.errors![0]!.extensions!['code']).toBe(ERROR_CODES.BAD_USER_INPUT);
      // Raw bytes are a header's problem: as JSON text the mojibake is refused for what it holds.
      if (!c.expect.refused.source.includes('not printable ASCII'))
        expect(declared.body.errors![0]!.message).toMatch(c.expect.refused);
      return;
    }
    const registration = (declared.body.data as { declareEmergency: { id: string; justification: string } })
      .declareEmergency;
    if ('text' in c.expect) expect(registration.justification).toBe(c.expect.text);
    const answer = await alliance.query(QUERY_TEXT, {
      headers: analyst(requester, analystOf(i), { purpose, emergency: registration.id }),
    });
    expect(answer.status).toBe(200);
    expect(answer.body.errors ?? []).toEqual([]);
    expect(answer.body.data).toEqual({
      victim: {
        id: `${owner}-VIC-000001`,
        fullName: expect.any(String),
        lastKnownLocation: { description: expect.any(String) },
      },
    });
  });

  it('wrote no record for a refused request, the normalised text for an accepted one, and every log verifies', async () => {
    await alliance.stop();
    stopped = true;
    expect(logs.urls.size).toBeGreaterThanOrEqual(2);
    const kept = new Map<string, string[]>();
    for (const url of logs.urls) {
      const reader = await openAuditReader(url);
      try {
        for (const [i] of HOSTILE_JUSTIFICATIONS.entries()) {
          // The crossings (the hub's log also holds the registration itself, as a procedure record).
          for (const record of await reader.query({
            analyst: analystOf(i),
            kinds: ['consultation', 'disclosure'],
            limit: 100,
          })) {
            const body = record.entry!.body as { emergency?: { justification: string } };
            kept.set(analystOf(i), [...(kept.get(analystOf(i)) ?? []), body.emergency!.justification]);
          }
        }
      } finally {
        await reader.close();
      }
      const out: string[] = [];
      const code = await runCli(['verify', '--log', url], {
        out: (text) => out.push(text),
        err: (text) => out.push(text),
        env: {},
        now: () => new Date(TEST_NOW),
      });
      expect({ url, code, out: out.join('\n') }).toEqual({
        url,
        code: 0,
        out: expect.stringMatching(/VERIFIED/),
      });
    }
    for (const [i, c] of HOSTILE_JUSTIFICATIONS.entries()) {
      // A registered one: one consultation at the gateway and one disclosure at the owner, each with the
      // normalised text (never mojibake); a refused one: nothing at all.
      const registered = !('refused' in c.expect) || c.textIsJustification === true;
      const text =
        'text' in c.expect
          ? c.expect.text
          : decoded(c.header)
              .normalize('NFKC')
              .replace(/\p{Zs}+/gu, ' ')
              .trim();
      expect([c.name, kept.get(analystOf(i)) ?? []]).toEqual([c.name, registered ? [text, text] : []]);
    }
  });
});
