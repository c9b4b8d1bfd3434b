// One country down, slow or answering garbage never takes the others down, and no error reveals where
// a member's server lives. No outcome rests on a race against the clock: the deadline only ends the wait
// for the server that never answers, and it is long (10 s) so that no real member, however loaded the
// machine, comes near it; the other faults answer at once, with the deadline longer still.
import { MEMBERS } from '../../schema';
import { DEMO_IDS } from '../../subgraphs/reference';
import { startAlliance, analyst } from '../support/alliance';
import { startFaultyServer, type Fault } from '../support/faultyServer';

const KR = analyst('KR', 'kim.j', { purpose: 'investigation', case: 'KR-CAS-000001' });
const SEARCH = '{ search(term: "Tiger") { country suspects { id country } } }';
const SLOW_DEADLINE_MS = 10_000;
const DEADLINE_MS = 30_000;
/** The members the scenario puts a Tiger record in (DEMO_IDS.tigerKR, …), in registry order. */
const TIGER_HOLDERS = MEMBERS.map((m) => m.code).filter((code) =>
  Object.entries(DEMO_IDS).some(([name, id]) => name.startsWith('tiger') && id.startsWith(`${code}-`)),
);

describe.each<[Fault, string]>([
  ['down', 'it could not be reached'],
  ['slow', `it did not answer within ${SLOW_DEADLINE_MS} ms`],
  ['garbage', 'its answer was not a valid GraphQL response'],
  ['not-graphql', 'its answer was not a valid GraphQL response'],
  ['http-500', 'it refused the request'],
])('when KH is %s', (fault, reason) => {
  it(
    "answers with every other member's data and one error naming KH, without any address",
    async () => {
      const faulty = await startFaultyServer(fault);
      const alliance = await startAlliance({
        replace: { kh: faulty.url },
        subgraphTimeoutMs: fault === 'slow' ? SLOW_DEADLINE_MS : DEADLINE_MS,
      });
      try {
        const { status, body } = await alliance.query(SEARCH, { headers: KR });
        expect(status).toBe(200);
        const search = body.data!['search'] as { country: string; suspects: { country: string }[] | null }[];
        const answered = search.filter((s) => s.suspects && s.suspects.length > 0).map((s) => s.country);
        expect(answered).toEqual(TIGER_HOLDERS.filter((code) => code !== 'KH'));
        expect(search.find((s) => s.country === 'KH')!.suspects).toBeNull();
        expect(body.errors).toEqual([
          {
            message: `KH (Kingdom of Cambodia) is unavailable: ${reason}. Other members' data is unaffected.`,
            extensions: { code: 'MEMBER_UNAVAILABLE', country: 'KH', reason: expect.any(String) },
          },
        ]);
        const text = JSON.stringify(body);
        expect(text).not.toMatch(/127\.0\.0\.1|localhost|10\.\d+\.\d+\.\d+|postgres|http:\/\/|stack/i);
      } finally {
        await alliance.stop();
        await faulty.stop();
      }
    },
    SLOW_DEADLINE_MS + 50_000,
  );
});

describe('when the hub is down', () => {
  it('answers with a clear error and no address', async () => {
    const faulty = await startFaultyServer('down');
    const alliance = await startAlliance({ replace: { alliance: faulty.url }, subgraphTimeoutMs: 2000 });
    try {
      const { body } = await alliance.query(SEARCH, { headers: KR });
      expect(body.data).toBeNull();
      expect(body.errors![0]).toMatchObject({
        message: expect.stringContaining('the alliance hub is unavailable'),
        extensions: { code: 'MEMBER_UNAVAILABLE' },
      });
      expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|http:\/\//);
    } finally {
      await alliance.stop();
      await faulty.stop();
    }
  });
});
