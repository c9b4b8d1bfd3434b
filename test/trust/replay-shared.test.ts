/**
 * The replay store all of a member's processes share (trust/postgresReplayStore.ts), on a real PostgreSQL
 * started on loopback (test/audit/support/postgres.ts): each verifier here opens its own store, with its
 * own connections, as a second process would. In CI (CI=true) a missing PostgreSQL fails this file;
 * elsewhere it is skipped with a message.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  TrustConfigError,
  TrustError,
  createGatewaySigner,
  createGatewayTokenVerifier,
  ensureGatewayKeys,
  PURGE_GRACE_SECONDS,
  openPostgresReplayStore,
  type GatewayTokenVerifier,
} from '../../trust';
import { findPostgresBin, startPostgres, type PostgresServer } from '../audit/support/postgres';

const available = findPostgresBin() !== undefined;
if (!available) {
  if (process.env['CI'] === 'true')
    throw new Error('PostgreSQL is not installed, and CI must run the shared replay store tests.');
  console.warn(
    'Skipping the shared replay store tests: PostgreSQL is not installed (`apt-get install -y postgresql`).',
  );
}

const BODY = '{"query":"{ __typename }"}';
const START = Date.parse('2026-06-15T09:00:00Z');

let server: PostgresServer;
let dir: string;
let jwksFile: string;
let keyDir: string;
/** Every verifier a test opened: closed after it, so no connection outlives the test. */
const opened: GatewayTokenVerifier[] = [];

beforeAll(async () => {
  if (!available) return;
  const started = await startPostgres();
  if (!started.server) throw new Error(started.skip);
  server = started.server;
  dir = mkdtempSync(join(tmpdir(), 'accord-replay-'));
  keyDir = join(dir, 'gateway');
  jwksFile = ensureGatewayKeys(keyDir).jwksFile;
}, 120_000);

afterEach(async () => {
  await Promise.all(opened.splice(0).map((verifier) => verifier.close()));
});

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A clock that only moves when told. */
function clock(): { now: () => number; advance: (ms: number) => void } {
  let at = START;
  return { now: () => at, advance: (ms) => (at += ms) };
}

/** One member "process": a verifier with its own store (its own connections) on `url`. */
async function processOn(
  url: string,
  now: () => number,
  options: Partial<Parameters<typeof openPostgresReplayStore>[0]> = {},
): Promise<GatewayTokenVerifier> {
  const replayStore = await openPostgresReplayStore({ url, ...options });
  const verifier = createGatewayTokenVerifier({ trusted: jwksFile, audience: 'kr', now, replayStore });
  opened.push(verifier);
  return verifier;
}

function tokenAt(now: () => number): string {
  return createGatewaySigner({ keys: keyDir, issuer: 'accord-gateway', now }).sign({
    audience: 'kr',
    scope: 'schema',
    body: BODY,
  });
}

async function refusal(verifying: Promise<unknown>): Promise<TrustError> {
  const error = await verifying.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(TrustError);
  return error as TrustError;
}

/** Rows of the replay table, read with a client of the test's own. */
async function rows(url: string): Promise<{ audience: string; jti: string }[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (
      await client.query<{ audience: string; jti: string }>(
        'SELECT audience, jti FROM accord_replay ORDER BY jti',
      )
    ).rows;
  } finally {
    await client.end();
  }
}

(available ? describe : describe.skip)('the shared replay store (PostgreSQL)', () => {
  it('a token accepted by one process is refused by another that shares the store', async () => {
    const url = await server.createDatabase();
    const time = clock();
    const first = await processOn(url, time.now);
    const second = await processOn(url, time.now);
    const token = tokenAt(time.now);
    expect((await first.verify(token, BODY)).aud).toBe('kr');
    expect((await refusal(second.verify(token, BODY))).reason).toBe('REPLAYED');
    expect((await refusal(first.verify(token, BODY))).reason).toBe('REPLAYED');
    expect(first.replayStore).toMatch(/^PostgreSQL postgres:\/\//);
  });

  it('the in-memory default is per process: the same replay is accepted by the other one', async () => {
    const time = clock();
    const make = () => createGatewayTokenVerifier({ trusted: jwksFile, audience: 'kr', now: time.now });
    const [first, second] = [make(), make()];
    const token = tokenAt(time.now);
    expect((await first.verify(token, BODY)).aud).toBe('kr');
    expect((await refusal(first.verify(token, BODY))).reason).toBe('REPLAYED');
    // The limit the shared store removes: a member served by two processes needs it.
    expect((await second.verify(token, BODY)).aud).toBe('kr');
    expect(first.replayStore).toMatch(/memory/);
  });

  it('offered the same token at once, exactly one process admits it', async () => {
    const url = await server.createDatabase();
    const time = clock();
    const processes = await Promise.all([1, 2, 3, 4].map(() => processOn(url, time.now)));
    for (let round = 0; round < 10; round++) {
      const token = tokenAt(time.now);
      const outcomes = await Promise.allSettled(processes.map((p) => p.verify(token, BODY)));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const outcome of outcomes)
        if (outcome.status === 'rejected') expect((outcome.reason as TrustError).reason).toBe('REPLAYED');
    }
  });

  it('keys entries by audience: the table says whose token each jti was', async () => {
    const url = await server.createDatabase();
    const time = clock();
    const kr = await processOn(url, time.now);
    const claims = await kr.verify(tokenAt(time.now), BODY);
    expect(await rows(url)).toEqual([{ audience: 'kr', jti: claims.jti }]);
  });

  it('purges expired entries in small batches, and an expired token stays refused', async () => {
    const url = await server.createDatabase();
    const time = clock();
    const kr = await processOn(url, time.now, { purgeIntervalSeconds: 10, purgeBatch: 2 });
    const old: string[] = [];
    for (let i = 0; i < 5; i++) {
      const token = tokenAt(time.now);
      await kr.verify(token, BODY);
      old.push(token);
    }
    expect(await rows(url)).toHaveLength(5);
    // Past every old token's expiry (30 s lifetime + 5 s tolerance), the purge's grace and its interval.
    time.advance(60_000 + PURGE_GRACE_SECONDS * 1000);
    const live = await kr.verify(tokenAt(time.now), BODY);
    // One batch of 2 went with that call; a full batch makes the next calls purge again.
    expect(await rows(url)).toHaveLength(4);
    await kr.verify(tokenAt(time.now), BODY);
    await kr.verify(tokenAt(time.now), BODY);
    const left = await rows(url);
    expect(left).toHaveLength(3);
    expect(left.map((row) => row.jti)).toContain(live.jti);
    // Its row is gone, but the token cannot come back: the verifier refuses it as expired first.
    expect((await refusal(kr.verify(old[0], BODY))).reason).toBe('EXPIRED');
  });

  it('a process whose clock runs ahead does not purge a row another process still needs', async () => {
    const url = await server.createDatabase();
    let signer = START;
    let behind = START;
    let ahead = START + 3_000;
    const late = await processOn(url, () => behind);
    const early = await processOn(url, () => ahead);
    const token = tokenAt(() => signer);
    expect((await late.verify(token, BODY)).aud).toBe('kr');
    // 32.5 s on: the token is still valid to the late process; the early one purges on its next call.
    [signer, behind, ahead] = [START + 32_500, START + 32_500, START + 35_500];
    await early.verify(
      tokenAt(() => signer),
      BODY,
    );
    expect((await refusal(late.verify(token, BODY))).reason).toBe('REPLAYED');
  });

  it('a password given as ?password= is masked too', async () => {
    const url = new URL(await server.createDatabase());
    url.pathname = '/no_such_database';
    const opening = openPostgresReplayStore({ url: `${url.toString()}?password=hunter2&sslmode=disable` });
    await expect(opening).rejects.toThrow(/password=\*\*\*&sslmode=disable/);
    await expect(opening).rejects.not.toThrow(/hunter2/);
  });

  it('a database that cannot be reached at start-up stops the start, without the password', async () => {
    const url = await server.createDatabase();
    const wrong = new URL(url);
    wrong.password = 'hunter2';
    wrong.pathname = '/no_such_database';
    const opening = openPostgresReplayStore({ url: wrong.toString() });
    await expect(opening).rejects.toThrow(TrustConfigError);
    await expect(opening).rejects.toThrow(
      /Cannot open the shared replay store PostgreSQL postgres:\/\/accord:\*\*\*@/,
    );
    await expect(opening).rejects.not.toThrow(/hunter2/);
    await expect(openPostgresReplayStore({ url: 'mysql://x:secret@host/db' })).rejects.toThrow(
      /must be "postgres:\/\/user@host:port\/db", not "mysql:\/\/x:\*\*\*@host\/db"/,
    );
  });

  // Last: it stops the server the other tests share.
  it('a database that goes down refuses every call (fail closed), and the reason is only in the cause', async () => {
    const url = await server.createDatabase();
    const time = clock();
    const replayStore = await openPostgresReplayStore({ url, timeoutMs: 2_000 });
    const kr = createGatewayTokenVerifier({ trusted: jwksFile, audience: 'kr', now: time.now, replayStore });
    opened.push(kr);
    const before = tokenAt(time.now);
    await kr.verify(before, BODY);
    await server.stop();

    const fresh = tokenAt(time.now);
    const refused = await refusal(kr.verify(fresh, BODY));
    expect(refused.reason).toBe('REPLAY_CACHE_UNAVAILABLE');
    // What a caller may be told says nothing of the database; why is in the cause, for the log.
    const { port } = new URL(url);
    for (const secret of ['postgres', port, '127.0.0.1', 'INSERT', 'accord_replay', 'ECONNREFUSED'])
      expect(refused.message).not.toContain(secret);
    expect(String((refused.cause as Error).message)).toMatch(/shared replay store PostgreSQL postgres:\/\//);
    // A token seen before is refused too: nothing is accepted unchecked.
    expect((await refusal(kr.verify(before, BODY))).reason).toBe('REPLAY_CACHE_UNAVAILABLE');
  });
});
