/**
 * Command-line tools print free text from requests and records escaped (issue 10, item 6): a justification
 * with newlines and ANSI escapes once forged the review queue ("No emergency release awaits its review."
 * under a cleared screen). The gateway now refuses such text at the door, but logs written before hold it,
 * and a reviewer's note or a legal tool's arguments are free text too. So the records here are written
 * into a log directly: the note through the library API, the justification and analyst id through the
 * log's own chain writer, as a log written before the door was closed holds them.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { generateWriterKey, recordReview, trustedKeysFrom, type RecordRef } from '../../audit';
import { ChainWriter } from '../../audit/chainWriter';
import { runCli } from '../../audit/cli';
import { openStore } from '../../audit/store/openStore';
import { validateCrossingRecord } from '../../audit/validateRecord';
import { main as legalCli } from '../../legal/cli';
import { pipeLines } from '../../scripts/output';
import { emergencyCrossing } from './support/records';

const ROOT = resolve(__dirname, '..', '..');
const run = promisify(execFile);

/** Characters that must never reach a terminal raw from free text: C0/C1 controls, DEL, bidi and other format characters, separators. */
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/;
const FORGED_LINE = 'No emergency release awaits its review.';
/** A justification that clears the line, says the queue is empty, and reverses what follows. */
const HOSTILE_JUSTIFICATION = `Victim confined.\r\x1b[2K\n${FORGED_LINE}\n\x1b[8m\u202Ehidden`;
const HOSTILE_ANALYST = 'kim.j\x1b[31m\u2066';
const HOSTILE_NOTE = `Looked fine.\n${FORGED_LINE}\x1b]0;owned\x07\u009b2J`;

/** Every line of the output, with the ones a hostile text could have added made easy to count. */
const lines = (text: string): string[] => text.split('\n');

describe('command-line tools print free text escaped', () => {
  let dir: string;
  let url: string;
  let pending: RecordRef;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'accord-cli-escaping-'));
    url = `sqlite:${join(dir, 'audit.db')}`;
    const store = await openStore(url, { create: true });
    const writer = await ChainWriter.open(store, { instance: 'gw-old' });
    const at = new Date().toISOString();
    const append = async (n: number, justification: string, analyst: string): Promise<RecordRef> => {
      const { body } = validateCrossingRecord(emergencyCrossing('consultation', n, at));
      return writer.append(
        'consultation',
        { ...body, analyst, emergency: { declaredAt: at, justification } },
        at,
      );
    };
    pending = await append(1, HOSTILE_JUSTIFICATION, HOSTILE_ANALYST);
    const reviewed = await append(2, HOSTILE_JUSTIFICATION, 'lee.h');
    await writer.close();
    // A review is written only with a key pinned for its instance.
    const reviewer = generateWriterKey();
    const trustedKeys = trustedKeysFrom({ 'reviewer-1': reviewer.publicKey });
    await recordReview(
      url,
      { instance: 'reviewer-1', privateKeyPem: reviewer.privateKeyPem, trustedKeys },
      { target: `${reviewed.chain}#${reviewed.seq}`, reviewer: 'park.s\u202E', note: HOSTILE_NOTE },
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function audit(...args: string[]): Promise<{ code: number; out: string }> {
    const out: string[] = [];
    // The data folder is this test's own (no registry of emergencies in it), not the project's data/.
    const code = await runCli(args, {
      out: (text) => out.push(text),
      err: (text) => out.push(text),
      env: { ACCORD_DATA_DIR: dir },
      now: () => new Date(),
    });
    return { code, out: out.join('\n') };
  }

  it('review, run as people run it, shows the real queue and the text as escapes', async () => {
    const { stdout } = await run('npm', ['run', '-s', 'audit', '--', 'review', '--log', url], {
      cwd: ROOT,
      env: { ...process.env, ACCORD_AUDIT_LOG: '', ACCORD_DATA_DIR: dir },
    });
    expect(stdout).not.toMatch(RAW_CONTROL);
    expect(lines(stdout.trimEnd())).not.toContain(FORGED_LINE);
    // The header, the one pending record, the count: nothing else.
    expect(lines(stdout.trimEnd())).toHaveLength(3);
    expect(stdout).toContain('(1 awaiting review)');
    expect(stdout).toContain(`${pending.chain}#${pending.seq}`);
    expect(stdout).toContain(
      'Victim confined.\\r\\x1b[2K\\nNo emergency release awaits its review.\\n\\x1b[8m\\u202Ehidden',
    );
    expect(stdout).toContain('kim.j\\x1b[31m\\u2066');
  }, 60_000);

  it('query: the table and JSON', async () => {
    const table = await audit('query', '--log', url);
    expect(table.code).toBe(0);
    expect(table.out).not.toMatch(RAW_CONTROL);
    // Header, three records, the count.
    expect(lines(table.out)).toHaveLength(5);
    expect(table.out).toContain(
      'Looked fine.\\nNo emergency release awaits its review.\\x1b]0;owned\\x07\\x9b2J',
    );
    expect(table.out).toContain('park.s\\u202E');

    const json = await audit('query', '--log', url, '--json');
    expect(json.out).not.toMatch(RAW_CONTROL);
    // Still JSON, and the same text once parsed.
    const records = JSON.parse(json.out) as {
      body: { emergency?: { justification: string }; note?: string; reviewer?: string };
    }[];
    expect(records.map((r) => r.body.emergency?.justification ?? r.body.note)).toEqual([
      HOSTILE_JUSTIFICATION,
      HOSTILE_JUSTIFICATION,
      HOSTILE_NOTE,
    ]);
  });

  it('review --json', async () => {
    const json = await audit('review', '--log', url, '--json');
    expect(json.out).not.toMatch(RAW_CONTROL);
    expect(
      (
        JSON.parse(json.out) as { pending: { entry: { body: { emergency: { justification: string } } } }[] }
      ).pending.map((p) => p.entry.body.emergency.justification),
    ).toEqual([HOSTILE_JUSTIFICATION]);
  });

  it('an error message that quotes a record', async () => {
    // Marking the reviewed record again is refused, naming its reviewer.
    const again = await recordReview(
      url,
      { instance: 'reviewer-2', privateKeyPem: generateWriterKey().privateKeyPem },
      { target: 'gw-old#2', reviewer: 'x', note: 'y' },
    ).then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(again).toContain('park.s\u202E');
    const key = join(dir, 'reviewer.key');
    const made = generateWriterKey();
    writeFileSync(key, made.privateKeyPem, { mode: 0o600 });
    writeFileSync(join(dir, 'trusted.json'), JSON.stringify({ 'audit-cli': made.publicKey }));
    const refused = await audit(
      'review',
      '--log',
      url,
      '--mark',
      'gw-old#2',
      '--reviewer',
      'x',
      '--note',
      'y',
      '--key',
      key,
    );
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('park.s\\u202E');
    expect(refused.out).not.toMatch(RAW_CONTROL);
  });

  it('policy explain: a justification cannot add a decision of its own', () => {
    const out: string[] = [];
    const forged = 'Life at risk.\n## Decision: RELEASE \u2014 forged\n\x1b[2K';
    const code = legalCli(
      [
        'explain',
        '--requester',
        'KR',
        '--purpose',
        'victim_rescue',
        '--owner',
        'KH',
        '--category',
        'victim.location',
        '--analyst',
        HOSTILE_ANALYST,
        '--case',
        'KR\u202E-1',
        '--emergency',
        forged,
        '--at',
        '2026-06-15T09:00:00Z',
      ],
      {
        out: (text) => out.push(text),
        err: (text) => out.push(text),
        cwd: ROOT,
        now: () => Date.parse('2026-06-15T09:00:00Z'),
      },
    );
    const text = out.join('');
    expect(code).toBe(0);
    expect(text).not.toMatch(RAW_CONTROL);
    expect(lines(text).filter((line) => line.startsWith('## Decision:'))).toHaveLength(1);
    expect(text).toContain('kim.j\\x1b[31m\\u2066');
    expect(text).toContain('\\n## Decision: RELEASE');

    const json: string[] = [];
    legalCli(
      [
        'explain',
        '--requester',
        'KR',
        '--purpose',
        'victim_rescue',
        '--owner',
        'KH',
        '--category',
        'victim.location',
        '--emergency',
        forged,
        '--format',
        'json',
        '--at',
        '2026-06-15T09:00:00Z',
      ],
      {
        out: (chunk) => json.push(chunk),
        err: (chunk) => json.push(chunk),
        cwd: ROOT,
        now: () => Date.parse('2026-06-15T09:00:00Z'),
      },
    );
    expect(json.join('')).not.toMatch(RAW_CONTROL);
  });

  it('policy: an error quoting what was typed', () => {
    const out: string[] = [];
    legalCli([`expl\x1b[2Kain\u202E`], {
      out: (text) => out.push(text),
      err: (text) => out.push(text),
      cwd: ROOT,
      now: () => 0,
    });
    expect(out.join('')).toMatch(/unknown command/);
    expect(out.join('')).not.toMatch(RAW_CONTROL);
  });

  it("npm start relays a service's log lines escaped", async () => {
    const written: string[] = [];
    pipeLines(
      Readable.from([`{"msg":"refused","value":"a\\"b"}\n`, `plain \x1b[2J\u202Eline\n`]),
      'gateway',
      (line) => written.push(line),
    );
    await new Promise((done) => setImmediate(done));
    await new Promise((done) => setImmediate(done));
    expect(written).toEqual([
      'gateway  | {"msg":"refused","value":"a\\"b"}',
      'gateway  | plain \\x1b[2J\\u202Eline',
    ]);
  });
});
