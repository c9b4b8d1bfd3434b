/**
 * The audit log's behaviour, run on every store (sqlite.test.ts, postgres.test.ts): records, queries,
 * group commit, tamper evidence, pinned keys, evidence packs, reviews, retention, and the CLI.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuditError,
  generateWriterKey,
  openAuditLog,
  openAuditReader,
  purgeLog,
  recordReview,
  trustedKeysFrom,
  verifyEvidencePack,
  type CrossingBody,
  type VerifyReport,
} from '../../audit';
import { runCli, type CliIo } from '../../audit/cli';
import { canonicalJson } from '../../audit/canonicalJson';
import { entryHashOf, sha256Hex } from '../../audit/hashing';
import { signStatement, loadPrivateKey, publicKeyOf } from '../../audit/keys';
import { indexColumnsOf } from '../../audit/store/AuditStore';
import type { Backend } from './support/backends';
import { crossing, emergencyCrossing } from './support/records';

interface Row {
  chain: string;
  seq: number;
  kind: string;
  at: string;
  prev: string;
  body_hash: string;
  hash: string;
  body: string;
}

/** An operator who writes reviews and purges with a key pinned for its instance (the library refuses any other). */
function pinnedOperator(instance: string): {
  instance: string;
  privateKeyPem: string;
  trustedKeys: ReturnType<typeof trustedKeysFrom>;
} {
  const key = generateWriterKey();
  return {
    instance,
    privateKeyPem: key.privateKeyPem,
    trustedKeys: trustedKeysFrom({ [instance]: key.publicKey }),
  };
}

const auditCli = pinnedOperator('audit-cli');

export function auditLogSuite(makeBackend: () => Promise<Backend>): void {
  let backend: Backend;
  let scratch: string;
  beforeAll(async () => {
    backend = await makeBackend();
    scratch = mkdtempSync(join(tmpdir(), 'accord-audit-packs-'));
  }, 60_000);
  afterAll(async () => {
    await backend?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const open = (
    url: string,
    instance = 'gw-1',
    extra: { privateKeyPem?: string; checkpointEvery?: number } = {},
  ) =>
    openAuditLog({
      url,
      writer: { instance, ...(extra.privateKeyPem ? { privateKeyPem: extra.privateKeyPem } : {}) },
      checkpointEvery: extra.checkpointEvery ?? 5,
    });

  /**
   * 12 consultations appended one after another (so one commit each): records #1–#5, checkpoint #6,
   * records #7–#11, checkpoint #12, records #13–#14, and the final checkpoint #15 on close.
   */
  async function sampleLog(options: { privateKeyPem?: string } = {}): Promise<string> {
    const url = await backend.newLogUrl();
    const log = await open(url, 'gw-1', options);
    for (let n = 0; n < 12; n++) await log.append(crossing('consultation', n));
    await log.close();
    return url;
  }

  async function verify(
    url: string,
    options: Parameters<Awaited<ReturnType<typeof openAuditReader>>['verify']>[0] = {},
  ): Promise<VerifyReport> {
    const reader = await openAuditReader(url);
    try {
      return await reader.verify(options);
    } finally {
      await reader.close();
    }
  }

  const rowsOf = (url: string) =>
    backend.rows<Row>(
      url,
      'SELECT chain, seq, kind, at, prev, body_hash, hash, body FROM audit_records ORDER BY chain, seq',
    );
  const snapshot = async (url: string) =>
    (await rowsOf(url)).map((r) => `${r.chain}#${Number(r.seq)}:${r.hash}`).join('\n');

  /** The attacker's toolkit: recompute an entry's hashes after changing it. */
  function rehash(row: Row, body: unknown): Row {
    const text = canonicalJson(body);
    const bodyHash = sha256Hex(text);
    const hash = entryHashOf({
      v: 1,
      chain: row.chain,
      seq: Number(row.seq),
      kind: row.kind as never,
      at: row.at,
      prev: row.prev,
      bodyHash,
    });
    return { ...row, body: text, body_hash: bodyHash, hash };
  }
  /** Rewrites a row whole, query columns included, as a careful intruder would. */
  const update = (row: Row): readonly [string, ...unknown[]] => {
    const i = indexColumnsOf(row.kind, JSON.parse(row.body) as Record<string, unknown>);
    return [
      'UPDATE audit_records SET body = ?, body_hash = ?, hash = ?, prev = ?, decision_id = ?, case_ref = ?, analyst = ?, country = ?, owner = ?, purpose = ?, review_hours = ? WHERE chain = ? AND seq = ?',
      row.body,
      row.body_hash,
      row.hash,
      row.prev,
      i.decisionId,
      i.caseReference,
      i.analyst,
      i.country,
      i.owner,
      i.purpose,
      i.reviewHours,
      row.chain,
      Number(row.seq),
    ] as const;
  };

  describe('records', () => {
    it('keeps both sides of a crossing under one decision id, with fields, clauses, obligations and provenance', async () => {
      const url = await backend.newLogUrl();
      const gateway = await open(url, 'gw-1');
      const owner = await open(url, 'kh-subgraph');
      const [consulted, disclosed] = await Promise.all([
        gateway.append(crossing('consultation', 0)),
        owner.append(crossing('disclosure', 0)),
      ]);
      expect(consulted).toEqual({ chain: 'gw-1', seq: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(disclosed.chain).toBe('kh-subgraph');
      await Promise.all([gateway.close(), owner.close()]);

      const reader = await openAuditReader(url);
      const found = await reader.query({ decisionId: 'dec-0-KH' });
      await reader.close();
      expect(found.map((r) => r.entry?.kind).sort()).toEqual(['consultation', 'disclosure']);
      for (const record of found) {
        const body = record.entry!.body as CrossingBody;
        expect(body).toMatchObject({
          requestId: 'req-0',
          decisionId: 'dec-0-KH',
          analyst: 'kim.j',
          country: 'KR',
          owner: 'KH',
          purpose: 'investigation',
          caseReference: 'KR-2025-0017',
          policyRevision: expect.any(String),
          operationHash: 'f'.repeat(64),
        });
        expect(body.fields[1]).toEqual({
          path: 'suspects.0.fullName',
          category: 'person.identity',
          effect: 'release',
          reason: 'RELEASED',
          clauses: [
            {
              agreement: 'kr-kh-mlat-2021',
              clause: 'persons-and-records',
              citation: 'art. 1(4)(b)',
              title: 'KR–KH MLAT 2021',
            },
          ],
          obligations: {
            handlingCode: 'H1',
            onwardTransfer: 'with_consent',
            evidentiaryUse: 'allowed',
            retentionDays: 1825,
            notifySource: false,
          },
        });
        expect(body.fields[2]).toMatchObject({
          effect: 'withhold',
          reason: 'CATEGORY_NOT_COVERED',
          clauses: [],
        });
      }
      expect(found.find((r) => r.entry?.kind === 'disclosure')!.ref).toBe('kh-subgraph#1');
      expect((await verify(url)).ok).toBe(true);
    });

    it('answers queries by case, analyst, country, owner, purpose, clause, kind and time range', async () => {
      const url = await backend.newLogUrl();
      const log = await open(url);
      for (let n = 0; n < 6; n++)
        await log.append(
          crossing(
            'consultation',
            n,
            n === 5 ? { analyst: 'park.s', purpose: 'asset_tracing', at: '2026-01-02T00:00:00Z' } : {},
          ),
        );
      await log.append(emergencyCrossing('consultation', 6));
      await log.close();
      const reader = await openAuditReader(url);
      const refs = async (q: Parameters<typeof reader.query>[0]) => (await reader.query(q)).map((r) => r.ref);
      // By time: #7 was given an earlier time than the others.
      expect(await refs({ caseReference: 'KR-2025-0042' })).toEqual(['gw-1#7', 'gw-1#2', 'gw-1#4']);
      expect(await refs({ analyst: 'park.s' })).toEqual(['gw-1#7']);
      expect(await refs({ purpose: 'asset_tracing' })).toEqual(['gw-1#7']);
      expect(await refs({ owner: 'TH' })).toEqual(['gw-1#2', 'gw-1#5']);
      expect(await refs({ country: 'KR' })).toHaveLength(7);
      expect(await refs({ country: 'TH' })).toEqual([]);
      expect(await refs({ clause: 'kr-th-police-mou-2019' })).toEqual(['gw-1#2', 'gw-1#5']);
      expect(await refs({ clause: 'alliance-emergency-2025/imminent-danger' })).toEqual(['gw-1#8']);
      expect(await refs({ clause: 'alliance-emergency-2025/no-such-clause' })).toEqual([]);
      expect(await refs({ from: '2026-01-01T00:00:00Z', to: '2026-01-03T00:00:00Z' })).toEqual(['gw-1#7']);
      expect(await refs({ kinds: ['checkpoint'] })).toEqual(['gw-1#6', 'gw-1#9']);
      await reader.close();
    });

    it('shares commits between concurrent appends (group commit), with no gap and no fork', async () => {
      const url = await backend.newLogUrl();
      const log = await openAuditLog({ url, writer: { instance: 'gw-1' }, checkpointEvery: 1000 });
      // All 300 appends are made in one tick, before the writer's first flush runs (it waits a setImmediate
      // for them): they are one batch (fewer than maxBatch), so one commit whatever the machine's speed.
      // The count is exact on purpose: a bound ("fewer than 30") would hide a batching that depends on timing.
      const refs = await Promise.all(
        Array.from({ length: 300 }, (_, n) => log.append(crossing('consultation', n))),
      );
      const stats = log.stats();
      await log.close();
      expect(refs.map((r) => r.seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 300 }, (_, i) => i + 1),
      );
      expect(stats.appended).toBe(300);
      expect(stats.commits).toBe(1);
      const report = await verify(url);
      expect(report.ok).toBe(true);
      expect(report.chains[0]).toMatchObject({ chain: 'gw-1', entries: 301, sealed: true });
    });

    it('refuses a record that does not match the model, names the field, and writes nothing', async () => {
      const url = await backend.newLogUrl();
      const log = await open(url);
      await log.append(crossing('consultation', 0));
      const before = await snapshot(url);
      const bad: [unknown, RegExp][] = [
        [{ ...crossing('consultation', 1), side: 'both' }, /side must be "consultation".*not "both"/],
        [
          { ...crossing('consultation', 1), owner: 'Cambodia' },
          /owner must be an ISO 3166-1 alpha-2 code.*"Cambodia"/,
        ],
        [
          { ...crossing('consultation', 1), purpose: 'curiosity' },
          /purpose must be a purpose of docs\/domain\.md.*"curiosity"/,
        ],
        [{ ...crossing('consultation', 1), decisionId: '' }, /decisionId must be a non-empty string/],
        [{ ...crossing('consultation', 1), operationHash: 'abc' }, /operationHash must be a sha256/],
        [
          {
            ...crossing('consultation', 1),
            fields: [{ path: 'x', category: 'person.identity', effect: 'release', clauses: [] }],
          },
          /fields\[0\] \(x\) is a cross-border release that cites no clause/,
        ],
        [
          {
            ...crossing('consultation', 1),
            fields: [{ path: 'x', category: 'person.shoe_size', effect: 'withhold', clauses: [] }],
          },
          /fields\[0\]\.category must be a data category.*"person.shoe_size"/,
        ],
        [{ ...crossing('consultation', 1), at: 'yesterday' }, /at must be an ISO 8601 time.*"yesterday"/],
      ];
      for (const [record, message] of bad) {
        const failure = await log.append(record as never).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(AuditError);
        expect((failure as AuditError).code).toBe('BAD_RECORD');
        expect((failure as Error).message).toMatch(message);
      }
      expect(await snapshot(url)).toBe(before);
      await log.close();
    });

    it('lets one process at a time write as an instance', async () => {
      const url = await backend.newLogUrl();
      const first = await open(url);
      await expect(open(url)).rejects.toThrow(/Writer instance "gw-1" is already writing to/);
      await first.append(crossing('consultation', 0));
      await first.close();
      const again = await open(url); // free once the first has closed
      await again.close();
      expect((await verify(url)).ok).toBe(true);
    });
  });

  describe('tamper evidence', () => {
    it('verifies an untouched log: every chain sealed by its final checkpoint', async () => {
      const url = await sampleLog();
      const report = await verify(url);
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.chains).toEqual([
        expect.objectContaining({
          chain: 'gw-1',
          entries: 15,
          firstSeq: 1,
          lastSeq: 15,
          checkpoints: 3,
          lastCheckpoint: 15,
          sealed: true,
          unsealed: 0,
        }),
      ]);
    });

    const cases: [
      string,
      (rows: Row[]) => (readonly [string, ...unknown[]])[],
      { seq: number; code: string; message: RegExp },
    ][] = [
      [
        'editing a record',
        () => [
          [
            "UPDATE audit_records SET body = replace(body, 'kim.j', 'lee.s') WHERE chain = 'gw-1' AND seq = 3",
          ],
        ],
        { seq: 3, code: 'edited', message: /gw-1#3 was altered/ },
      ],
      [
        'editing the time of a record',
        () => [["UPDATE audit_records SET at = '2020-01-01T00:00:00.000Z' WHERE chain = 'gw-1' AND seq = 9"]],
        { seq: 9, code: 'edited', message: /gw-1#9 was altered: its envelope/ },
      ],
      [
        'editing a query column only',
        () => [["UPDATE audit_records SET case_ref = 'KR-2025-9999' WHERE chain = 'gw-1' AND seq = 4"]],
        { seq: 4, code: 'edited', message: /query column caseReference/ },
      ],
      [
        'editing a record and recomputing its hashes',
        (rows) => {
          const row = rows[2]!;
          return [update(rehash(row, { ...(JSON.parse(row.body) as object), analyst: 'lee.s' }))];
        },
        { seq: 4, code: 'broken-link', message: /gw-1#4 does not follow gw-1#3/ },
      ],
      [
        'rewriting the chain from a record on, hashes and checkpoint bodies included',
        (rows) => {
          const out: Row[] = [];
          let prev = rows[1]!.hash;
          for (const row of rows.slice(2)) {
            const body = JSON.parse(row.body) as Record<string, unknown>;
            if (Number(row.seq) === 3) body['analyst'] = 'lee.s';
            if (row.kind === 'checkpoint') body['hash'] = prev; // cannot re-sign without the key
            const next = rehash({ ...row, prev }, body);
            out.push(next);
            prev = next.hash;
          }
          return out.map(update);
        },
        {
          seq: 6,
          code: 'bad-signature',
          message: /signature of the checkpoint gw-1#6 does not verify: entries up to gw-1#5/,
        },
      ],
      [
        'editing a checkpoint',
        () => [
          [
            "UPDATE audit_records SET body = replace(body, '\"final\":false', '\"final\":true') WHERE chain = 'gw-1' AND seq = 12",
          ],
        ],
        { seq: 12, code: 'edited', message: /gw-1#12 was altered/ },
      ],
      [
        'deleting a record',
        () => [["DELETE FROM audit_records WHERE chain = 'gw-1' AND seq = 8"]],
        { seq: 8, code: 'missing', message: /gw-1#8 is missing: gw-1#9 follows gw-1#7/ },
      ],
      [
        'deleting the first records',
        () => [["DELETE FROM audit_records WHERE chain = 'gw-1' AND seq <= 2"]],
        {
          seq: 1,
          code: 'missing',
          message: /gw-1#1 to #2 are missing: the chain starts at gw-1#3, and no logged purge removed/,
        },
      ],
      [
        'reordering two records',
        () => [
          ["UPDATE audit_records SET seq = -1 WHERE chain = 'gw-1' AND seq = 3"],
          ["UPDATE audit_records SET seq = 3 WHERE chain = 'gw-1' AND seq = 4"],
          ["UPDATE audit_records SET seq = 4 WHERE chain = 'gw-1' AND seq = -1"],
        ],
        { seq: 3, code: 'edited', message: /gw-1#3 was altered/ },
      ],
      [
        'reordering two records and recomputing their hashes',
        (rows) => {
          const [r3, r4] = [rows[2]!, rows[3]!];
          const moved4 = rehash({ ...r4, seq: 3, prev: rows[1]!.hash }, JSON.parse(r4.body));
          const moved3 = rehash({ ...r3, seq: 4, prev: moved4.hash }, JSON.parse(r3.body));
          return [
            ["UPDATE audit_records SET seq = -1 WHERE chain = 'gw-1' AND seq = 3"],
            ["UPDATE audit_records SET seq = 3 WHERE chain = 'gw-1' AND seq = 4"],
            ["UPDATE audit_records SET seq = 4 WHERE chain = 'gw-1' AND seq = -1"],
            update(moved4),
            update(moved3),
          ]; // #5 still names the old #4 as its previous entry
        },
        { seq: 5, code: 'broken-link', message: /gw-1#5 does not follow gw-1#4/ },
      ],
      [
        'truncating the log by its last entry',
        () => [["DELETE FROM audit_records WHERE chain = 'gw-1' AND seq = 15"]],
        { seq: 14, code: 'unsealed', message: /gw-1 ends at gw-1#14 without the final checkpoint/ },
      ],
      [
        'truncating the log back to a checkpoint',
        () => [["DELETE FROM audit_records WHERE chain = 'gw-1' AND seq >= 13"]],
        { seq: 12, code: 'unsealed', message: /gw-1 ends at gw-1#12/ },
      ],
    ];

    it.each(cases)('%s makes verify fail and name the place', async (_name, tamper, expected) => {
      const url = await sampleLog();
      await backend.tamper(url, tamper(await rowsOf(url)));
      const report = await verify(url);
      expect(report.ok).toBe(false);
      expect(report.problems[0]).toMatchObject({ chain: 'gw-1', seq: expected.seq, code: expected.code });
      expect(report.problems[0]!.message).toMatch(expected.message);
    });

    it('catches a truncated chain through the checkpoints of another chain, even with writers live', async () => {
      const url = await backend.newLogUrl();
      const gateway = await open(url, 'gw-1');
      for (let n = 0; n < 7; n++) await gateway.append(crossing('consultation', n));
      await gateway.close(); // gw-1 ends at #9 (checkpoints #6 and #9)
      const other = await open(url, 'gw-2');
      await other.append(crossing('consultation', 100));
      await other.close(); // its final checkpoint witnesses gw-1 at #9
      await backend.tamper(url, [["DELETE FROM audit_records WHERE chain = 'gw-1' AND seq >= 7"]]);
      const report = await verify(url, { live: true });
      expect(report.ok).toBe(false);
      expect(report.problems[0]).toMatchObject({ chain: 'gw-1', seq: 7, code: 'truncated' });
      expect(report.problems[0]!.message).toMatch(
        /gw-1 ends at gw-1#6, but the checkpoint gw-2#2 witnessed it at gw-1#9/,
      );

      await backend.tamper(url, [["DELETE FROM audit_records WHERE chain = 'gw-1'"]]);
      const gone = await verify(url, { live: true });
      expect(gone.problems[0]).toMatchObject({ chain: 'gw-1', code: 'truncated' });
      expect(gone.problems[0]!.message).toMatch(
        /gw-1 has no entries, but the checkpoint gw-2#2 witnessed it/,
      );
    });

    it('catches a truncated single-writer log, writer live, against checkpoints kept outside it', async () => {
      const url = await backend.newLogUrl();
      const kept: string[] = [];
      const log = await openAuditLog({
        url,
        writer: { instance: 'gw-1' },
        checkpointEvery: 5,
        onCheckpoint: (c) => kept.push(JSON.stringify(c)),
      });
      for (let n = 0; n < 12; n++) await log.append(crossing('consultation', n));
      await log.checkpoint(); // #15: the log stays open, as a running gateway's would
      expect(kept.map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual([6, 12, 15]);
      expect(JSON.parse(kept[2]!)).toMatchObject({
        chain: 'gw-1',
        seq: 15,
        statement: { seq: 14, final: false },
        publicKey: log.publicKey,
      });
      await backend.tamper(url, [["DELETE FROM audit_records WHERE chain = 'gw-1' AND seq >= 13"]]);
      // Without the kept checkpoints, a live log cut back to a checkpoint looks like one whose writer is running.
      expect((await verify(url, { live: true })).ok).toBe(true);

      const witnessFile = join(scratch, `witness-${backend.name}.jsonl`);
      writeFileSync(witnessFile, `${kept.join('\n')}\n`);
      const out = {
        stdout: '',
        stderr: '',
        out: (t: string) => void (out.stdout += t),
        err: (t: string) => void (out.stderr += t),
        env: {},
        now: () => new Date(),
      };
      expect(await runCli(['verify', '--log', url, '--live', '--witness', witnessFile], out)).toBe(1);
      expect(out.stdout).toMatch(
        /gw-1 ends at gw-1#12, but the checkpoint gw-1#15 kept outside the log witnessed it at gw-1#15/,
      );
      writeFileSync(witnessFile, 'not json\n');
      expect(await runCli(['verify', '--log', url, '--witness', witnessFile], out)).toBe(2);
      expect(out.stderr).toMatch(/line 1 is not JSON/);
      await log.close().catch(() => undefined); // its head is gone: the final checkpoint is refused
    });

    it('with pinned keys, catches a log rewritten whole and re-signed with another key', async () => {
      const key = generateWriterKey();
      const url = await sampleLog({ privateKeyPem: key.privateKeyPem });
      const pinned = trustedKeysFrom({ 'gw-1': key.publicKey });
      expect((await verify(url, { trustedKeys: pinned })).ok).toBe(true);

      // The intruder edits #3 and rebuilds every hash and every checkpoint with a key of their own.
      const forger = loadPrivateKey(generateWriterKey().privateKeyPem);
      const rows = await rowsOf(url);
      const statements: (readonly [string, ...unknown[]])[] = [];
      let prev = rows[1]!.hash;
      for (const row of rows.slice(2)) {
        const body = JSON.parse(row.body) as Record<string, unknown>;
        if (Number(row.seq) === 3) body['analyst'] = 'lee.s';
        if (row.kind === 'checkpoint') {
          body['hash'] = prev;
          body['publicKey'] = publicKeyOf(forger);
          body['signature'] = signStatement(
            {
              chain: 'gw-1',
              seq: Number(row.seq) - 1,
              hash: prev,
              at: row.at,
              final: body['final'] as boolean,
              witnessed: [],
            },
            forger,
          );
        }
        const next = rehash({ ...row, prev }, body);
        statements.push(update(next));
        prev = next.hash;
      }
      await backend.tamper(url, statements);
      const unpinned = await verify(url);
      expect(unpinned.ok).toBe(true); // the limit of a self-contained log: the warning says so
      expect(unpinned.warnings.join(' ')).toMatch(/pin each writer's key/);
      const report = await verify(url, { trustedKeys: pinned });
      expect(report.problems[0]).toMatchObject({ chain: 'gw-1', seq: 6, code: 'untrusted-key' });
    });

    it('keeps the database append-only for ordinary clients', async () => {
      const url = await sampleLog();
      // Messages, not toThrow: better-sqlite3's native part keeps the error class of the first jest
      // context that loaded it, so in a reused worker its errors come from another realm.
      const failure = (sql: string) =>
        backend.exec(url, sql).then(
          () => 'no error',
          (error: unknown) => String((error as Error).message),
        );
      expect(await failure("UPDATE audit_records SET analyst = 'x' WHERE seq = 1")).toMatch(/append-only/);
      expect(await failure('DELETE FROM audit_records WHERE seq = 1')).toMatch(/append-only/);
      expect((await verify(url)).ok).toBe(true);
    });

    it('a writer refuses to continue a chain whose tail was tampered with', async () => {
      const url = await sampleLog();
      await backend.tamper(url, [
        ["DELETE FROM audit_records WHERE chain = 'gw-1' AND seq = 15"],
        ["UPDATE audit_records SET body = replace(body, 'kim.j', 'lee.s') WHERE chain = 'gw-1' AND seq = 13"],
      ]);
      await expect(open(url)).rejects.toThrow(
        /Writer gw-1 will not continue its chain: gw-1#13: its content does not match/,
      );
    });
  });

  describe('evidence packs', () => {
    async function packOf(
      url: string,
      selection: { caseReference?: string; agreement?: string },
    ): Promise<string> {
      const dir = join(scratch, `pack-${Math.random().toString(36).slice(2)}`);
      const reader = await openAuditReader(url);
      try {
        await reader.exportPack(selection, dir);
      } finally {
        await reader.close();
      }
      return dir;
    }

    it('exports a case with its proof; the pack verifies offline, and fails when altered', async () => {
      const key = generateWriterKey();
      const url = await sampleLog({ privateKeyPem: key.privateKeyPem });
      const dir = await packOf(url, { caseReference: 'KR-2025-0042' });
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
        counts: { records: number };
        records: { seq: number }[];
        policyRevisions: string[];
        chains: unknown[];
      };
      expect(manifest.counts.records).toBe(6);
      expect(manifest.records.map((r) => r.seq)).toEqual([2, 4, 7, 9, 11, 14]);
      expect(manifest.policyRevisions).toHaveLength(1);
      const records = readFileSync(join(dir, 'records.jsonl'), 'utf8');
      expect(records).not.toContain('KR-2025-0017'); // other cases stay out
      expect(readFileSync(join(dir, 'proof.jsonl'), 'utf8')).not.toContain('KR-2025-0017');

      const ok = verifyEvidencePack(dir, { trustedKeys: trustedKeysFrom({ 'gw-1': key.publicKey }) });
      expect(ok).toMatchObject({ ok: true, records: 6, problems: [] });

      // Altered record: the file no longer matches the manifest.
      writeFileSync(join(dir, 'records.jsonl'), records.replace('kim.j', 'lee.s'));
      expect(verifyEvidencePack(dir).problems[0]).toMatchObject({
        where: 'records.jsonl',
        message: expect.stringMatching(/records.jsonl does not match the hash the manifest gives/),
      });

      // Altered record with the manifest's file hash fixed too: the record no longer matches the chain.
      const altered = records.replace('kim.j', 'lee.s');
      const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
        files: Record<string, string>;
      };
      m.files['records.jsonl'] = sha256Hex(altered);
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
      const report = verifyEvidencePack(dir);
      expect(report.ok).toBe(false);
      expect(report.problems[0]!.where).toMatch(/^records.jsonl gw-1#\d+$/);
      expect(report.problems[0]!.message).toMatch(/was altered/);
    });

    it('fails a pack whose proof or manifest was altered, or whose key is not pinned', async () => {
      const url = await sampleLog();
      const dir = await packOf(url, { agreement: 'kr-th-police-mou-2019' });
      expect(verifyEvidencePack(dir).ok).toBe(true);
      const proof = readFileSync(join(dir, 'proof.jsonl'), 'utf8').split('\n');
      const manifestText = readFileSync(join(dir, 'manifest.json'), 'utf8');

      // Drop a link from the proof (manifest hash fixed): the chain skips.
      const shortened = [...proof.slice(0, 1), ...proof.slice(2)].join('\n');
      const m = JSON.parse(manifestText) as { files: Record<string, string>; policyRevisions: string[] };
      writeFileSync(join(dir, 'proof.jsonl'), shortened);
      writeFileSync(
        join(dir, 'manifest.json'),
        JSON.stringify({ ...m, files: { ...m.files, 'proof.jsonl': sha256Hex(shortened) } }),
      );
      expect(verifyEvidencePack(dir).problems[0]!.message).toMatch(/skips|does not follow/);

      // The manifest claims another policy revision.
      writeFileSync(join(dir, 'proof.jsonl'), proof.join('\n'));
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...m, policyRevisions: ['0'.repeat(64)] }));
      expect(verifyEvidencePack(dir).problems[0]!.message).toMatch(/policy revisions do not match/);

      writeFileSync(join(dir, 'manifest.json'), manifestText);
      const wrongKey = trustedKeysFrom({ 'gw-1': generateWriterKey().publicKey });
      expect(verifyEvidencePack(dir, { trustedKeys: wrongKey }).problems[0]!.message).toMatch(
        /not pinned for gw-1/,
      );
    });

    it('selects by agreement and clause, includes the reviews of what it selected, and keeps out what it did not', async () => {
      const url = await backend.newLogUrl();
      const log = await open(url);
      await log.append(crossing('consultation', 0));
      const emergency = await log.append(emergencyCrossing('consultation', 1));
      await log.close();
      await recordReview(url, auditCli, {
        target: `${emergency.chain}#${emergency.seq}`,
        reviewer: 'legal.kr',
        note: 'Justified: the victim was found within hours.',
      });
      const dir = await packOf(url, { agreement: 'alliance-emergency-2025/imminent-danger' });
      const lines = readFileSync(join(dir, 'records.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { kind: string });
      expect(lines.map((l) => l.kind)).toEqual(['review', 'consultation']); // audit-cli#1, gw-1#2
      expect(readFileSync(join(dir, 'records.jsonl'), 'utf8')).not.toContain('KR-2025-0017');
      expect(verifyEvidencePack(dir).ok).toBe(true);
    });

    it('refuses bad selections and a used folder, writing nothing', async () => {
      const url = await sampleLog();
      const reader = await openAuditReader(url);
      const used = join(scratch, 'used');
      rmSync(used, { recursive: true, force: true });
      mkdirSync(used);
      writeFileSync(join(used, 'keep.txt'), 'mine');
      await expect(reader.exportPack({ caseReference: 'KR-2025-0042' }, used)).rejects.toThrow(
        /exists and is not empty/,
      );
      expect(readdirSync(used)).toEqual(['keep.txt']);
      const fresh = join(scratch, 'fresh');
      await expect(reader.exportPack({ caseReference: 'NO-SUCH-CASE' }, fresh)).rejects.toThrow(
        /No records for case "NO-SUCH-CASE"/,
      );
      await expect(
        reader.exportPack({ caseReference: 'KR-2025-0042', agreement: 'kr-kh-mlat-2021' }, fresh),
      ).rejects.toThrow(/exactly one/);
      expect(existsSync(fresh)).toBe(false);
      await reader.close();
    });
  });

  describe('reviews of emergency releases', () => {
    it('lists what awaits review, records a review once, and refuses the rest without writing', async () => {
      const url = await backend.newLogUrl();
      const log = await open(url);
      const routine = await log.append(crossing('consultation', 0));
      const old = await log.append(
        emergencyCrossing('consultation', 1, new Date(Date.now() - 100 * 3_600_000).toISOString()),
      );
      const recent = await log.append(emergencyCrossing('consultation', 2));
      await log.close();

      const reader = await openAuditReader(url);
      const pending = await reader.pendingReviews();
      await reader.close();
      expect(pending.map((p) => [p.ref, p.overdue, p.fields])).toEqual([
        ['gw-1#2', true, ['victims.0.lastKnownLocation']],
        ['gw-1#3', false, ['victims.0.lastKnownLocation']],
      ]);

      const before = await snapshot(url);
      await expect(
        recordReview(url, auditCli, { target: 'gw-1#2', reviewer: '', note: 'x' }),
      ).rejects.toThrow(/--reviewer .* is required/);
      await expect(
        recordReview(url, auditCli, { target: `gw-1#${routine.seq}`, reviewer: 'legal.kr', note: 'x' }),
      ).rejects.toThrow(/owes no review/);
      await expect(
        recordReview(url, auditCli, { target: 'gw-1#99', reviewer: 'legal.kr', note: 'x' }),
      ).rejects.toThrow(/There is no record gw-1#99/);
      await expect(
        recordReview(url, auditCli, { target: 'no-such-decision', reviewer: 'legal.kr', note: 'x' }),
      ).rejects.toThrow(/No record has the decision id/);
      await expect(
        recordReview(
          url,
          { instance: 'bad instance!' },
          { target: 'gw-1#2', reviewer: 'legal.kr', note: 'x' },
        ),
      ).rejects.toThrow(/A writer instance is/);
      expect(await snapshot(url)).toBe(before);

      const [review] = await recordReview(url, auditCli, {
        target: `gw-1#${old.seq}`,
        reviewer: 'legal.kr',
        note: 'Release justified; source notified.',
      });
      expect(review).toMatchObject({ chain: 'audit-cli', seq: 1 });
      await expect(
        recordReview(url, auditCli, { target: `gw-1#${old.seq}`, reviewer: 'legal.kr', note: 'again' }),
      ).rejects.toThrow(/was reviewed already, by legal.kr/);
      // By decision id: every open review of that decision.
      await recordReview(url, auditCli, { target: 'dec-2-KH', reviewer: 'legal.kr', note: 'Justified.' });

      const after = await openAuditReader(url);
      expect(await after.pendingReviews()).toEqual([]);
      const reviews = await after.query({ kinds: ['review'] });
      expect(reviews.map((r) => r.entry!.body)).toEqual([
        expect.objectContaining({
          target: { chain: 'gw-1', seq: old.seq, hash: old.hash },
          reviewer: 'legal.kr',
          note: 'Release justified; source notified.',
          late: true,
          decisionId: 'dec-1-KH',
          caseReference: 'KR-2025-0099',
        }),
        expect.objectContaining({
          target: { chain: 'gw-1', seq: recent.seq, hash: recent.hash },
          late: false,
        }),
      ]);
      const report = await after.verify();
      await after.close();
      expect(report.ok).toBe(true);
      expect(report.chains.map((c) => [c.chain, c.sealed])).toEqual([
        ['audit-cli', true],
        ['gw-1', true],
      ]);
    });
  });

  describe('retention', () => {
    const DAY = 86_400_000;
    async function agedLog(): Promise<string> {
      const url = await backend.newLogUrl();
      const log = await openAuditLog({ url, writer: { instance: 'gw-1' }, checkpointEvery: 4 });
      const now = Date.now();
      for (let n = 0; n < 6; n++)
        await log.append(crossing('consultation', n, { at: new Date(now - (400 - n) * DAY).toISOString() }));
      for (let n = 6; n < 9; n++) await log.append(crossing('consultation', n));
      await log.close();
      return url;
    }

    it('purges entries past the retention period through a logged purge, and the log still verifies', async () => {
      const url = await agedLog();
      const before = await rowsOf(url);
      const outcome = await purgeLog(url, auditCli, {
        retentionDays: 365,
        operator: 'dpo.kr',
        reason: 'yearly retention run',
      });
      // #1–#4 records, #5 checkpoint (written at append time: today), so the cut is at #4.
      expect(outcome.plan.purged).toEqual([{ chain: 'gw-1', fromSeq: 1, throughSeq: 4, count: 4 }]);
      expect(outcome.plan.anchors).toEqual([{ chain: 'gw-1', throughSeq: 4, lastHash: before[3]!.hash }]);
      expect(outcome.ref).toMatchObject({ chain: 'audit-cli', seq: 1 });

      const reader = await openAuditReader(url);
      const report = await reader.verify();
      expect(report.problems).toEqual([]);
      expect(report.chains.find((c) => c.chain === 'gw-1')).toMatchObject({ firstSeq: 5, purgedThrough: 4 });
      expect((await reader.query({ kinds: ['purge'] }))[0]!.entry!.body).toMatchObject({
        operator: 'dpo.kr',
        retentionDays: 365,
        reason: 'yearly retention run',
      });
      await reader.close();

      // Deleting beyond the anchor, outside a purge, is caught.
      await backend.tamper(url, [["DELETE FROM audit_records WHERE chain = 'gw-1' AND seq = 5"]]);
      const broken = await verify(url);
      expect(broken.problems[0]).toMatchObject({ chain: 'gw-1', seq: 5, code: 'missing' });
      expect(broken.problems[0]!.message).toMatch(/follows the purge audit-cli#1/);
    });

    it('carries anchors forward when a later purge removes the purge entry that held them', async () => {
      const url = await agedLog();
      const t0 = new Date();
      await purgeLog(url, auditCli, { retentionDays: 365, operator: 'dpo.kr', now: t0 });
      // Years later: everything but the heads is due, the first purge entry included.
      const later = new Date(t0.getTime() + 3 * 365 * DAY);
      const second = await purgeLog(url, auditCli, { retentionDays: 365, operator: 'dpo.kr', now: later });
      expect(second.plan.purged.map((p) => p.chain).sort()).toEqual(['audit-cli', 'gw-1']);
      expect(second.plan.anchors.map((a) => a.chain)).toEqual(['audit-cli', 'gw-1']);
      expect(await verify(url)).toMatchObject({ ok: true, problems: [] });
    });

    it('refuses a bad retention period, an absent operator, and a log that does not verify, removing nothing', async () => {
      const url = await agedLog();
      const before = await snapshot(url);
      await expect(purgeLog(url, auditCli, { retentionDays: 0, operator: 'dpo.kr' })).rejects.toThrow(
        /whole number of days ≥ 1, not 0/,
      );
      await expect(purgeLog(url, auditCli, { retentionDays: 1.5, operator: 'dpo.kr' })).rejects.toThrow(
        /not 1.5/,
      );
      await expect(purgeLog(url, auditCli, { retentionDays: 365, operator: ' ' })).rejects.toThrow(
        /--operator/,
      );
      const dry = await purgeLog(url, auditCli, { retentionDays: 365, operator: 'dpo.kr', dryRun: true });
      expect(dry.plan.purged).toHaveLength(1);
      expect(dry.ref).toBeUndefined();
      expect(await snapshot(url)).toBe(before);

      await backend.tamper(url, [
        ["UPDATE audit_records SET body = replace(body, 'kim.j', 'lee.s') WHERE chain = 'gw-1' AND seq = 2"],
      ]);
      const tampered = await snapshot(url);
      await expect(purgeLog(url, auditCli, { retentionDays: 365, operator: 'dpo.kr' })).rejects.toThrow(
        /does not verify, so nothing is purged.*gw-1#2 was altered/,
      );
      expect(await snapshot(url)).toBe(tampered);
    });
  });

  describe('npm run audit -- <command>', () => {
    function io(): CliIo & { stdout: string; stderr: string } {
      const captured = {
        stdout: '',
        stderr: '',
        out(text: string) {
          captured.stdout += `${text}\n`;
        },
        err(text: string) {
          captured.stderr += `${text}\n`;
        },
        env: {},
        now: () => new Date(),
      };
      return captured;
    }

    /** Operators' keys as `keygen --pin` leaves them: `<instance>.key` files and the trusted.json that pins them. */
    function pinnedKeyFolder(...instances: string[]): string {
      const folder = mkdtempSync(join(scratch, 'keys-'));
      const pinned: Record<string, string> = {};
      for (const instance of instances) {
        const key = generateWriterKey();
        writeFileSync(join(folder, `${instance}.key`), key.privateKeyPem, { mode: 0o600 });
        pinned[instance] = key.publicKey;
      }
      writeFileSync(join(folder, 'trusted.json'), JSON.stringify(pinned));
      return folder;
    }

    it('verifies, queries, exports, lists and marks reviews, and purges', async () => {
      const keys = pinnedKeyFolder('legal-kr', 'audit-cli');
      const url = await backend.newLogUrl();
      const log = await open(url);
      for (let n = 0; n < 4; n++) await log.append(crossing('consultation', n));
      await log.append(emergencyCrossing('consultation', 9));
      await log.close();

      let out = io();
      expect(await runCli(['verify', '--log', url], out)).toBe(0);
      expect(out.stdout).toMatch(/VERIFIED — 1 chain\(s\), 7 entries/);

      out = io();
      expect(await runCli(['query', '--log', url, '--case', 'KR-2025-0042', '--owner', 'TH'], out)).toBe(0);
      expect(out.stdout).toMatch(
        /gw-1#2\s+consultation\s+kim\.j\s+KR→TH\s+investigation\s+KR-2025-0042\s+2\/0\/1\s+kr-th-police-mou-2019\/information-exchange/,
      );
      out = io();
      expect(await runCli(['query', '--log', url, '--clause', 'kr-kh-mlat-2021', '--json'], out)).toBe(0);
      expect((JSON.parse(out.stdout) as { seq: number }[]).map((e) => e.seq)).toEqual([1, 3, 4]);

      const dir = join(scratch, `cli-pack-${backend.name}`);
      rmSync(dir, { recursive: true, force: true });
      out = io();
      expect(await runCli(['export', '--log', url, '--case', 'KR-2025-0017', '--out', dir], out)).toBe(0);
      expect(out.stdout).toMatch(/Wrote an evidence pack .*: 2 record\(s\)/);
      out = io();
      expect(await runCli(['verify', '--pack', dir], out)).toBe(0);
      expect(out.stdout).toMatch(/VERIFIED — 2 record\(s\) from 1 chain/);

      out = io();
      expect(await runCli(['review', '--log', url], out)).toBe(0);
      expect(out.stdout).toMatch(/gw-1#5 .*Victim confined/);
      out = io();
      expect(
        await runCli(
          [
            'review',
            '--log',
            url,
            '--mark',
            'gw-1#5',
            '--reviewer',
            'legal.kr',
            '--note',
            'Justified.',
            '--instance',
            'legal-kr',
            '--key',
            join(keys, 'legal-kr.key'),
          ],
          out,
        ),
      ).toBe(0);
      expect(out.stdout).toMatch(/Recorded the review as legal-kr#1/);
      out = io();
      expect(await runCli(['review', '--log', url], out)).toBe(0);
      expect(out.stdout).toMatch(/No emergency release awaits its review/);

      out = io();
      expect(
        await runCli(
          [
            'purge',
            '--log',
            url,
            '--retention-days',
            '3650',
            '--operator',
            'dpo.kr',
            '--key',
            join(keys, 'audit-cli.key'),
          ],
          out,
        ),
      ).toBe(0);
      expect(out.stdout).toMatch(/nothing to purge/);
      out = io();
      expect(await runCli(['verify', '--log', url], out)).toBe(0);
    });

    it('answers bad input with a clear error and an exit code, and changes nothing', async () => {
      const key = join(pinnedKeyFolder('audit-cli'), 'audit-cli.key');
      const url = await sampleLog();
      const before = await snapshot(url);
      const cases: [string[], number, RegExp][] = [
        [['verify'], 2, /Which log\? Pass --log/],
        [['verify', '--log', 'mysql://x'], 2, /An audit log URL is "sqlite:/],
        [['frobnicate', '--log', url], 2, /unknown command 'frobnicate'/],
        [['query', '--log', url, '--owner', 'Cambodia'], 2, /--owner must be a two-letter country code/],
        [['query', '--log', url, '--purpose', 'curiosity'], 2, /--purpose is one of investigation/],
        [['query', '--log', url, '--from', 'last week'], 2, /--from must be an ISO 8601 date/],
        [
          ['query', '--log', url, '--from', '2026-02-01', '--to', '2026-01-01'],
          2,
          /--from .* must come before --to/,
        ],
        [['query', '--log', url, '--limit', '-3'], 2, /--limit must be a whole number|option|argument/],
        [['query', '--log', url, '--kind', 'gossip'], 2, /--kind is one of consultation/],
        [['query', '--log', url, '--mark', 'gw-1#1'], 2, /query does not take --mark/],
        [['query', '--log', url, '--bogus'], 2, /unknown option --bogus/],
        [['export', '--log', url, '--case', 'KR-2025-0042'], 2, /export needs --out DIR/],
        [
          ['export', '--log', url, '--out', join(scratch, 'never')],
          2,
          /exactly one of --case REF or --agreement/,
        ],
        [
          ['review', '--log', url, '--mark', 'gw-1#3'],
          2,
          /review --mark needs --reviewer NAME and --note TEXT/,
        ],
        [
          ['review', '--log', url, '--mark', 'gw-1#3', '--reviewer', 'legal.kr', '--note', 'x', '--key', key],
          1,
          /gw-1#3 owes no review/,
        ],
        [
          [
            'review',
            '--log',
            url,
            '--mark',
            'gw-1#3',
            '--reviewer',
            'legal.kr',
            '--note',
            'x',
            '--key',
            '/nonexistent/key.pem',
          ],
          2,
          /Cannot read the key file \/nonexistent\/key\.pem: there is no such file\.$/m,
        ],
        [['purge', '--log', url, '--operator', 'dpo.kr'], 2, /purge needs the retention period/],
        [
          ['purge', '--log', url, '--retention-days', 'forever', '--operator', 'dpo.kr'],
          2,
          /--retention-days must be a whole number ≥ 1, not "forever"/,
        ],
        [['purge', '--log', url, '--retention-days', '30'], 2, /purge needs --operator NAME/],
        [
          ['verify', '--log', url, '--keys', '/nonexistent/keys.json'],
          2,
          /Cannot read the trusted keys file \/nonexistent\/keys\.json: there is no such file\.$/m,
        ],
        [['keygen'], 2, /keygen needs --out FILE/],
      ];
      for (const [argv, code, message] of cases) {
        const out = io();
        const exit = await runCli(argv, out);
        expect({ argv, exit, stderr: out.stderr }).toEqual({
          argv,
          exit: code,
          stderr: expect.stringMatching(message),
        });
      }
      expect(await snapshot(url)).toBe(before);
      expect(existsSync(join(scratch, 'never'))).toBe(false);
    });

    it('exits 1 and names the place when the log does not verify', async () => {
      const url = await sampleLog();
      await backend.tamper(url, [["DELETE FROM audit_records WHERE chain = 'gw-1' AND seq = 8"]]);
      const out = io();
      expect(await runCli(['verify', '--log', url], out)).toBe(1);
      expect(out.stdout).toMatch(/BROKEN/);
      expect(out.stdout).toMatch(/✗ gw-1#8 \[missing\] gw-1#8 is missing/);
      const json = io();
      expect(await runCli(['verify', '--log', url, '--json'], json)).toBe(1);
      expect((JSON.parse(json.stdout) as VerifyReport).problems[0]).toMatchObject({
        chain: 'gw-1',
        seq: 8,
        code: 'missing',
      });
    });
  });
}
