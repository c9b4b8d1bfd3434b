import { localTrust } from '../../trust';
import { fork, type ChildProcess } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REQUEST_HEADERS } from '../../policy';
import { noticePublicKey } from '../../alerts';
import { DEMO_IDS, noticeKeyFile, publishedNoticeKeyFile } from '../../subgraphs/reference';

const ROOT = resolve(__dirname, '..', '..');

interface Ready {
  readonly type: 'ready';
  readonly name: string;
  readonly url: string;
}

/** Starts `subgraphs/<cc>/main.ts` as `npm start` would, on a free port, with its store in `dataDir`. */
function startMember(
  cc: string,
  dataDir: string,
): { child: ChildProcess; ready: Promise<Ready>; exited: Promise<number | null> } {
  const child = fork(join(ROOT, 'subgraphs', cc, 'main.ts'), [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      ACCORD_DATA_DIR: dataDir,
      ACCORD_SIZE: '60',
      ACCORD_SEED: 'process-test',
      LOG_LEVEL: 'warn',
      // A hub that is not there: the relay runs, finds nothing to send, and stops with the process.
      ACCORD_HUB_URL: 'http://127.0.0.1:9',
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const ready = new Promise<Ready>((done, fail) => {
    child.on('message', (message: Ready) => {
      if (message.type === 'ready') done(message);
    });
    void exited.then((code) => fail(new Error(`${cc} exited with ${code} before it was ready: ${stderr}`)));
  });
  return { child, ready, exited };
}

describe('a member process (subgraphs/<cc>/main.ts)', () => {
  let dataDir: string;
  let running: ReturnType<typeof startMember> | undefined;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'accord-member-'));
  });
  afterEach(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGKILL');
      await running.exited;
    }
    running = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('seeds its store, serves its subgraph, announces readiness, and stops cleanly on SIGTERM', async () => {
    // The gateway's key, which the member trusts (npm start creates it the same way, in the same folder).
    const trust = localTrust(dataDir, ['KH']);
    running = startMember('kh', dataDir);
    const ready = await running.ready;
    expect(ready).toEqual({
      type: 'ready',
      name: 'kh',
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/),
    });
    expect(existsSync(join(dataDir, 'kh.sqlite'))).toBe(true);

    const health = await fetch(new URL('/health', ready.url));
    expect(health.status).toBe(200);

    const request = JSON.stringify({
      query:
        'query ($r: [_Any!]!) { _entities(representations: $r) { ... on KHCompound { name operators { __typename id } } } }',
      variables: { r: [{ __typename: 'KHCompound', id: DEMO_IDS.goldenCraneCompound }] },
    });
    // With a purpose that the other members' agreements cover: their suspects' ids are theirs to release.
    const ctx = {
      [REQUEST_HEADERS.country]: 'KH',
      [REQUEST_HEADERS.analyst]: 'sok.r',
      [REQUEST_HEADERS.roles]: 'analyst',
      [REQUEST_HEADERS.purpose]: 'investigation',
      [REQUEST_HEADERS.caseReference]: 'KH-CAS-000001',
    };
    const token = trust.signer().sign({ audience: 'kh', scope: 'query', ctx, body: request });
    const response = await fetch(ready.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: request,
    });
    const body = (await response.json()) as {
      data: { _entities: { name: string; operators: { __typename: string }[] }[] };
    };
    expect(body.data._entities[0]!.name).toBe('Golden Crane Resort');
    expect(body.data._entities[0]!.operators.map((o) => o.__typename)).toEqual([
      'KHSuspect',
      'KRSuspect',
      'THSuspect',
      'KHSuspect',
    ]);

    // Its notice key, made on first start beside its grant key; the public half published for the hub.
    const published = readFileSync(publishedNoticeKeyFile('KH', dataDir), 'utf8');
    expect(published).toBe(
      noticePublicKey(createPrivateKey(readFileSync(noticeKeyFile('KH', dataDir), 'utf8'))),
    );
    // Its alert routes, for the gateway's calls: a watch of its own analyst is registered.
    const watchBody = JSON.stringify({
      request: {
        caseReference: 'KH-CAS-000001',
        purpose: 'investigation',
        identifiers: [{ kind: 'passport', number: 'M55503183', issuingCountry: 'KH' }],
        justification: 'Expected to cross a border this week.',
        days: 7,
      },
    });
    const watchToken = trust.signer().sign({ audience: 'kh', scope: 'query', ctx, body: watchBody });
    const registered = await fetch(new URL('/alerts/watches', ready.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${watchToken}` },
      body: watchBody,
    });
    expect(registered.status).toBe(200);
    expect(
      ((await registered.json()) as { watch: { watcher: string; analyst: string } }).watch,
    ).toMatchObject({
      watcher: 'KH',
      analyst: 'sok.r',
    });

    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
  });

  it('refuses a bad ACCORD_SIZE with a clear message and exit code 1', async () => {
    const child = fork(join(ROOT, 'subgraphs', 'vn', 'main.ts'), [], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, PORT: '0', ACCORD_DATA_DIR: dataDir, ACCORD_SIZE: 'lots' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    expect(code).toBe(1);
    expect(stderr).toContain('ACCORD_SIZE must be a positive integer');
    expect(stderr).toContain('"lots"');
  });
});
