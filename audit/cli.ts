/**
 * `npm run audit -- <command>`: the audit log for legal teams and supervisors. `npm run audit -- help`
 * prints the usage below. Exit codes: 0 done (or the log verifies), 1 the log or pack does not verify, or
 * the command was refused (and nothing changed), 2 a usage mistake (nothing changed).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { endQuietlyWhenOutputCloses } from '../lib/closedOutput';
import { printable, printableJson } from '../lib/printable';
import { UsageError, optionsNotTaken, parseCommandLine, unknownCommand } from '../lib/cliArgs';
import { whyUnreadable } from '../lib/unreadable';
import { PURPOSES, isCountryCode } from '../vocabulary';
import { AuditError } from './AuditError';
import { auditCliEnv } from './cliEnv';
import { validateInstance } from './chainWriter';
import { refText } from './checkEntry';
import { verifyEvidencePack } from './evidencePack';
import { generateWriterKey, loadPrivateKey } from './keys';
import { openAuditReader, purgeLog, recordReview, type OperatorWriter } from './openAuditReader';
import { describePurge } from './purge';
import { formatRecordTable, table, type RecordQuery } from './queryRecords';
import { TRUSTED_KEYS_FILE, pinWriterKey, readTrustedKeys } from './trustedKeys';
import { RECORD_KINDS, type RecordKind, type RecordRef } from './types';
import type { VerifyReport } from './verifyLog';
import type { PackReport } from './evidencePack';
import { openEmergencyReader, registrationReviewHours } from '../emergencies';
import { loadDefaultPolicy } from '../policy';

export const USAGE = `usage: npm run audit -- <command> [options]

  verify  [--log URL] [--keys FILE] [--witness FILE] [--live] [--json]
                                                           chain and checkpoints intact, or the first broken entry and why
  verify  --pack DIR [--keys FILE] [--json]                an evidence pack, offline
  query   [--log URL] [--case REF] [--analyst ID] [--country CC] [--owner CC] [--purpose P]
          [--clause AGREEMENT[/CLAUSE]] [--decision ID] [--grant ID] [--kind KIND]... [--from TIME] [--to TIME]
          [--limit N] [--json]                             records (crossings, reviews, desk acts), as a table or JSON
  export  [--log URL] (--case REF | --agreement AGREEMENT[/CLAUSE] | --grant ID) [--from TIME] [--to TIME] --out DIR
                                                           an evidence pack: records, proof, manifest
  review  [--log URL] [--emergencies DIR] [--json]         emergency releases awaiting their mandatory review, and every
                                                           registered emergency with the releases that relied on it
  review  [--log URL] --mark RECORD|DECISION --reviewer NAME --note TEXT [--instance NAME] --key FILE [--keys FILE]
                                                           mark one reviewed (appends a review record)
  purge   [--log URL] --retention-days N --operator NAME [--reason TEXT] [--dry-run] [--instance NAME] --key FILE [--keys FILE]
                                                           remove entries past the retention period, through a logged purge
  keygen  --out FILE [--pin FILE] [--instance NAME]        a new Ed25519 writer key; prints its public key, and with
                                                           --pin adds it for the instance to that trusted keys file

  URL     sqlite:/path/audit.db or postgres://user@host:port/db (default: $ACCORD_AUDIT_LOG)
  RECORD  chain#seq, as verify and query print it (gw-1#42)
  TIME    ISO 8601 (2026-11-26 or 2026-11-26T10:00:00Z); --from inclusive, --to exclusive
  --keys  JSON: {"gw-1": "<public key>", ...} pins the keys each writer may sign with
  --witness  checkpoints kept outside the log (JSON lines with chain, seq, hash, as onCheckpoint gives them)
  --instance/--key  who writes reviews and purges (default $ACCORD_AUDIT_INSTANCE or "audit-cli";
                    $ACCORD_AUDIT_KEY_FILE): the key must be pinned for the instance in the trusted keys
                    file (--keys, default trusted.json beside the key), or nothing is written
  --retention-days  defaults to $ACCORD_AUDIT_RETENTION_DAYS
  --emergencies  the data folder holding the hub's registry of emergencies (alliance/emergencies.sqlite;
                 default $ACCORD_DATA_DIR or data)`;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The clock (tests fix it). */
  now(): Date;
}

const OPTIONS = {
  log: { type: 'string' },
  keys: { type: 'string' },
  witness: { type: 'string' },
  live: { type: 'boolean' },
  json: { type: 'boolean' },
  pack: { type: 'string' },
  case: { type: 'string' },
  analyst: { type: 'string' },
  country: { type: 'string' },
  owner: { type: 'string' },
  purpose: { type: 'string' },
  clause: { type: 'string' },
  decision: { type: 'string' },
  grant: { type: 'string' },
  kind: { type: 'string', multiple: true },
  from: { type: 'string' },
  to: { type: 'string' },
  limit: { type: 'string' },
  agreement: { type: 'string' },
  out: { type: 'string' },
  mark: { type: 'string' },
  reviewer: { type: 'string' },
  note: { type: 'string' },
  instance: { type: 'string' },
  key: { type: 'string' },
  'retention-days': { type: 'string' },
  operator: { type: 'string' },
  reason: { type: 'string' },
  'dry-run': { type: 'boolean' },
  emergencies: { type: 'string' },
  pin: { type: 'string' },
  help: { type: 'boolean' },
} as const;

/** Which options each command takes: anything else is a usage mistake, not silently ignored. */
const ALLOWED: Record<string, readonly (keyof typeof OPTIONS)[]> = {
  verify: ['log', 'keys', 'witness', 'live', 'json', 'pack'],
  query: [
    'log',
    'case',
    'analyst',
    'country',
    'owner',
    'purpose',
    'clause',
    'decision',
    'grant',
    'kind',
    'from',
    'to',
    'limit',
    'json',
  ],
  export: ['log', 'case', 'agreement', 'grant', 'from', 'to', 'out', 'json'],
  review: ['log', 'json', 'mark', 'reviewer', 'note', 'instance', 'key', 'keys', 'emergencies'],
  purge: ['log', 'retention-days', 'operator', 'reason', 'dry-run', 'instance', 'key', 'keys', 'json'],
  keygen: ['out', 'pin', 'instance'],
};

type Values = {
  [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K] extends { multiple: true }
    ? string[]
    : (typeof OPTIONS)[K]['type'] extends 'boolean'
      ? boolean
      : string;
};

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command: string | undefined;
  let values: Values;
  try {
    const parsed = parseCommandLine(argv, { options: OPTIONS, positionals: true });
    values = parsed.values;
    if (parsed.positionals.length > 1)
      throw new UsageError(`One command at a time; unexpected: ${parsed.positionals.slice(1).join(' ')}.`);
    command = parsed.positionals[0];
    if (command === undefined || command === 'help' || values.help) {
      io.out(USAGE);
      return command === undefined && !values.help ? 2 : 0;
    }
    const allowed = ALLOWED[command];
    if (!allowed) throw unknownCommand(command, Object.keys(ALLOWED));
    const notTaken = optionsNotTaken(command, Object.keys(values), allowed);
    if (notTaken !== undefined) throw new UsageError(notTaken);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`audit: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  try {
    switch (command) {
      case 'verify':
        return await verify(values, io);
      case 'query':
        return await query(values, io);
      case 'export':
        return await exportPack(values, io);
      case 'review':
        return await review(values, io);
      case 'purge':
        return await purge(values, io);
      case 'keygen':
        return keygen(values, io);
      default:
        throw new UsageError(`Unknown command ${JSON.stringify(command)}.`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`audit ${command}: ${error.message}\n(npm run audit -- help for the usage)`);
      return 2;
    }
    if (error instanceof AuditError) {
      // Messages may quote a record or an argument (a reviewer's name, a bad value): escaped like the tables.
      io.err(`audit ${command}: ${printable(error.message)}`);
      return error.code === 'BAD_INPUT' || error.code === 'BAD_URL' ? 2 : 1;
    }
    throw error;
  }
}

function logUrl(values: Values, io: CliIo): string {
  const url = values.log ?? auditCliEnv(io.env).log;
  if (url === undefined || url.trim() === '')
    throw new UsageError(
      'Which log? Pass --log sqlite:/path/audit.db (or postgres://…), or set ACCORD_AUDIT_LOG.',
    );
  return url;
}

async function verify(values: Values, io: CliIo): Promise<number> {
  const trustedKeys = values.keys !== undefined ? readTrustedKeys(values.keys) : undefined;
  if (values.pack !== undefined) {
    if (values.log !== undefined || values.live || values.witness !== undefined)
      throw new UsageError('verify --pack checks a pack offline: it takes no --log, --live or --witness.');
    const report = verifyEvidencePack(values.pack, trustedKeys ? { trustedKeys } : {});
    io.out(values.json ? printableJson(report) : describePackReport(report));
    return report.ok ? 0 : 1;
  }
  const witness = values.witness !== undefined ? readWitness(values.witness) : undefined;
  const reader = await openAuditReader(logUrl(values, io));
  try {
    const report = await reader.verify({
      ...(trustedKeys ? { trustedKeys } : {}),
      ...(values.live ? { live: true } : {}),
      ...(witness ? { witness } : {}),
    });
    io.out(values.json ? printableJson(report) : describeVerifyReport(report));
    return report.ok ? 0 : 1;
  } finally {
    await reader.close();
  }
}

/** Checkpoints kept outside the log: one JSON object per line with at least chain, seq and hash. */
function readWitness(file: string): RecordRef[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AuditError('BAD_INPUT', `Cannot read the witness file ${file}: ${whyUnreadable(error)}.`);
  }
  return text
    .split('\n')
    .map((line, i) => [line.trim(), i + 1] as const)
    .filter(([line]) => line !== '')
    .map(([line, n]) => {
      let value: Partial<RecordRef>;
      try {
        value = JSON.parse(line) as Partial<RecordRef>;
      } catch {
        throw new AuditError('BAD_INPUT', `${file} line ${n} is not JSON.`);
      }
      if (
        typeof value.chain !== 'string' ||
        !Number.isSafeInteger(value.seq) ||
        typeof value.hash !== 'string' ||
        !/^[0-9a-f]{64}$/.test(value.hash)
      ) {
        throw new AuditError(
          'BAD_INPUT',
          `${file} line ${n} is not a checkpoint ({"chain": …, "seq": …, "hash": …}): ${line.slice(0, 120)}`,
        );
      }
      return { chain: value.chain, seq: value.seq!, hash: value.hash };
    });
}

export function describeVerifyReport(report: VerifyReport): string {
  const entries = report.chains.reduce((n, c) => n + c.entries, 0);
  // A chain whose writer is still running has an open tail by design: say so, rather than plain VERIFIED.
  const writing = report.chains.some((chain) => chain.writing && !chain.sealed && chain.entries > 0);
  const verdict = !report.ok
    ? 'BROKEN'
    : writing
      ? 'VERIFIED SO FAR (being written by a running service)'
      : 'VERIFIED';
  const lines = [
    `${report.log}: ${verdict} — ${report.chains.length} chain(s), ${entries} entries${report.keysPinned ? ', keys pinned' : ''}.`,
  ];
  for (const problem of report.problems)
    lines.push(
      `  ✗ ${problem.seq !== undefined ? refText({ chain: problem.chain, seq: problem.seq }) : problem.chain} [${problem.code}] ${printable(problem.message)}`,
    );
  for (const chain of report.chains) {
    const range = chain.firstSeq !== undefined ? `#${chain.firstSeq}–#${chain.lastSeq}` : '(empty)';
    const purged = chain.purgedThrough !== undefined ? `, purged through #${chain.purgedThrough}` : '';
    const state = chain.sealed
      ? 'sealed'
      : chain.writing
        ? `being written, ${chain.unsealed} not yet signed`
        : `${chain.unsealed} unsealed`;
    lines.push(`  ${chain.chain}: ${range}${purged}, ${chain.checkpoints} checkpoint(s), ${state}`);
  }
  for (const warning of report.warnings) lines.push(`  note: ${printable(warning)}`);
  return lines.join('\n');
}

function describePackReport(report: PackReport): string {
  const lines = [
    `${report.pack}: ${report.ok ? 'VERIFIED' : 'BROKEN'} — ${report.records} record(s) from ${report.chains.length} chain(s).`,
  ];
  for (const problem of report.problems)
    lines.push(`  ✗ ${printable(problem.where)}: ${printable(problem.message)}`);
  if (report.ok) lines.push(`  policy revision(s): ${report.policyRevisions.join(', ') || '(none)'}`);
  for (const warning of report.warnings) lines.push(`  note: ${printable(warning)}`);
  return lines.join('\n');
}

async function query(values: Values, io: CliIo): Promise<number> {
  const kinds = (values.kind ?? []).map((kind) => {
    if (!(RECORD_KINDS as readonly string[]).includes(kind))
      throw new UsageError(`--kind is one of ${RECORD_KINDS.join(', ')}, not ${JSON.stringify(kind)}.`);
    return kind as RecordKind;
  });
  const q: RecordQuery = {
    ...(values.case !== undefined ? { caseReference: nonEmpty(values.case, '--case') } : {}),
    ...(values.analyst !== undefined ? { analyst: nonEmpty(values.analyst, '--analyst') } : {}),
    ...(values.country !== undefined ? { country: country(values.country, '--country') } : {}),
    ...(values.owner !== undefined ? { owner: country(values.owner, '--owner') } : {}),
    ...(values.purpose !== undefined ? { purpose: purpose(values.purpose) } : {}),
    ...(values.clause !== undefined ? { clause: nonEmpty(values.clause, '--clause') } : {}),
    ...(values.decision !== undefined ? { decisionId: nonEmpty(values.decision, '--decision') } : {}),
    ...(values.grant !== undefined ? { grant: nonEmpty(values.grant, '--grant') } : {}),
    ...(kinds.length > 0 ? { kinds } : {}),
    ...timeRange(values),
    limit: values.limit !== undefined ? positiveWhole(values.limit, '--limit') : 1000,
  };
  const reader = await openAuditReader(logUrl(values, io));
  try {
    const records = await reader.query(q);
    if (values.json)
      io.out(printableJson(records.map((r) => (r.entry ? r.entry : { ref: r.ref, broken: r.broken }))));
    else
      io.out(
        records.length === 0
          ? 'No records match.'
          : `${formatRecordTable(records)}\n(${records.length} record(s))`,
      );
    return 0;
  } finally {
    await reader.close();
  }
}

async function exportPack(values: Values, io: CliIo): Promise<number> {
  if (values.out === undefined) throw new UsageError('export needs --out DIR (a new or empty folder).');
  if ([values.case, values.agreement, values.grant].filter((value) => value !== undefined).length !== 1) {
    throw new UsageError(
      'export needs exactly one of --case REF or --agreement AGREEMENT[/CLAUSE] or --grant ID.',
    );
  }
  const selection = {
    ...(values.case !== undefined ? { caseReference: nonEmpty(values.case, '--case') } : {}),
    ...(values.agreement !== undefined ? { agreement: nonEmpty(values.agreement, '--agreement') } : {}),
    ...(values.grant !== undefined ? { grant: nonEmpty(values.grant, '--grant') } : {}),
    ...timeRange(values),
  };
  const reader = await openAuditReader(logUrl(values, io));
  try {
    const manifest = await reader.exportPack(selection, values.out);
    if (values.json) io.out(printableJson(manifest));
    else {
      io.out(
        `Wrote an evidence pack to ${values.out}: ${manifest.counts.records} record(s) (${manifest.counts.consultations} consultation(s), ` +
          `${manifest.counts.disclosures} disclosure(s), ${manifest.counts.reviews} review(s), ${manifest.counts.procedures ?? 0} desk act(s)) from ${manifest.chains.length} chain(s); ` +
          `policy revision(s) ${manifest.policyRevisions.join(', ') || '(none)'}.\nCheck it with: npm run audit -- verify --pack ${values.out}`,
      );
    }
    return 0;
  } finally {
    await reader.close();
  }
}

async function review(values: Values, io: CliIo): Promise<number> {
  const url = logUrl(values, io);
  if (values.mark === undefined) {
    if (
      values.reviewer !== undefined ||
      values.note !== undefined ||
      values.key !== undefined ||
      values.keys !== undefined
    ) {
      throw new UsageError('--reviewer, --note, --key and --keys go with --mark RECORD.');
    }
    const reader = await openAuditReader(url);
    // The hub's registry, read-only: every registered emergency is in the queue, released or not.
    const emergencies = openEmergencyReader({
      dataDir: values.emergencies ?? auditCliEnv(io.env).dataDir,
    });
    try {
      const pending = await reader.pendingReviews(io.now());
      const registrations = await reader.registrationReviews(
        emergencies.list(),
        registrationReviewHours(loadDefaultPolicy().set),
        io.now(),
      );
      if (values.json) {
        io.out(
          printableJson({
            pending: pending.map(({ ref, dueAt, overdue, fields, entry }) => ({
              ref,
              dueAt,
              overdue,
              fields,
              entry,
            })),
            registrations,
          }),
        );
        return 0;
      }
      if (registrations.length > 0) {
        const rows = registrations.map((r) => [
          r.id,
          r.registeredAt,
          `${r.dueAt}${r.overdue ? ' OVERDUE' : ''}`,
          `${r.analyst} (${r.country})`,
          r.caseReference,
          r.releases.length === 0
            ? 'none recorded here'
            : `${r.releases.length} (${r.awaiting.length} awaiting review)`,
          r.justification,
        ]);
        io.out(
          `${table([['registration', 'registered at', 'review due', 'analyst', 'case', 'releases', 'justification'], ...rows])}\n(${registrations.length} registered emergencies)\n`,
        );
      }
      if (pending.length === 0) io.out('No emergency release awaits its review.');
      else {
        const rows = pending.map((p) => [
          p.ref,
          p.entry.at,
          `${p.dueAt}${p.overdue ? ' OVERDUE' : ''}`,
          `${p.body.analyst} (${p.body.country}→${p.body.owner})`,
          p.body.caseReference ?? '',
          p.body.emergency?.justification ?? '',
        ]);
        io.out(
          `${table([['record', 'released at', 'review due', 'analyst', 'case', 'justification'], ...rows])}\n(${pending.length} awaiting review)`,
        );
      }
      return 0;
    } finally {
      emergencies.close();
      await reader.close();
    }
  }
  if (values.reviewer === undefined || values.note === undefined)
    throw new UsageError('review --mark needs --reviewer NAME and --note TEXT.');
  const refs = await recordReview(url, operatorWriter(values, io, 'review --mark'), {
    target: values.mark,
    reviewer: values.reviewer,
    note: values.note,
    now: io.now(),
  });
  io.out(
    values.json
      ? JSON.stringify(refs, null, 2)
      : refs.map((ref) => `Recorded the review as ${refText(ref)}.`).join('\n'),
  );
  return 0;
}

async function purge(values: Values, io: CliIo): Promise<number> {
  const days = values['retention-days'] ?? auditCliEnv(io.env).retentionDays;
  if (days === undefined)
    throw new UsageError(
      'purge needs the retention period: --retention-days N (or ACCORD_AUDIT_RETENTION_DAYS).',
    );
  if (values.operator === undefined) throw new UsageError('purge needs --operator NAME (who runs it).');
  const retentionDays = positiveWhole(days, '--retention-days');
  const outcome = await purgeLog(
    logUrl(values, io),
    operatorWriter(values, io, values['dry-run'] ? undefined : 'purge'),
    {
      retentionDays,
      operator: values.operator,
      ...(values.reason !== undefined ? { reason: values.reason } : {}),
      now: io.now(),
      ...(values['dry-run'] ? { dryRun: true } : {}),
    },
  );
  if (values.json) io.out(printableJson(outcome));
  else {
    const summary = describePurge(outcome.plan);
    io.out(
      outcome.ref
        ? `${summary}\nPurged; logged as ${refText(outcome.ref)}.`
        : values['dry-run'] && outcome.plan.purged.length > 0
          ? `${summary}\n(dry run: nothing removed)`
          : summary,
    );
  }
  return 0;
}

function keygen(values: Values, io: CliIo): number {
  if (values.out === undefined) throw new UsageError('keygen needs --out FILE (where the private key goes).');
  if (values.instance !== undefined && values.pin === undefined)
    throw new UsageError('--instance goes with --pin FILE (whom the key is pinned for).');
  const instance = values.pin !== undefined ? validateInstance(operatorInstance(values, io)) : undefined;
  if (existsSync(values.out))
    throw new AuditError('BAD_INPUT', `${values.out} exists: keygen never overwrites a key.`);
  // A trusted keys file that is not one is refused before a key is made.
  if (values.pin !== undefined && existsSync(values.pin)) readTrustedKeys(values.pin);
  const key = generateWriterKey();
  writeFileSync(values.out, key.privateKeyPem, { mode: 0o600, flag: 'wx' });
  if (values.pin === undefined || instance === undefined) {
    io.out(
      `Wrote an Ed25519 writer key to ${values.out} (keep it private).\nPublic key (pin it in the keys file for verify --keys):\n${key.publicKey}`,
    );
    return 0;
  }
  pinWriterKey(values.pin, instance, key.publicKey);
  io.out(
    `Wrote an Ed25519 writer key to ${values.out} (keep it private) and pinned it for "${instance}" in ${values.pin}.\nPublic key:\n${key.publicKey}`,
  );
  return 0;
}

function operatorInstance(values: Values, io: CliIo): string {
  return values.instance ?? auditCliEnv(io.env).instance;
}

/**
 * Who writes a review or a purge. `writes` names the command when it will write: then a key and the
 * trusted keys file that pins it are required (without them the checkpoint would be signed with a key
 * made for this run only, and `verify --keys` would report the log BROKEN from then on). A dry run reads.
 */
function operatorWriter(values: Values, io: CliIo, writes: string | undefined): OperatorWriter {
  const instance = operatorInstance(values, io);
  const keyFile = values.key ?? auditCliEnv(io.env).keyFile;
  if (keyFile === undefined) {
    if (writes === undefined) return { instance };
    throw new UsageError(
      `${writes} writes to the log, so it needs a writer key pinned for "${instance}": pass --key FILE (or set ACCORD_AUDIT_KEY_FILE).\n${howToPin(instance, io)}`,
    );
  }
  let privateKeyPem: string;
  try {
    privateKeyPem = readFileSync(keyFile, 'utf8');
  } catch (error) {
    throw new AuditError('BAD_INPUT', `Cannot read the key file ${keyFile}: ${whyUnreadable(error)}.`);
  }
  loadPrivateKey(privateKeyPem);
  const keysFile = values.keys ?? join(dirname(keyFile), TRUSTED_KEYS_FILE);
  if (!existsSync(keysFile)) {
    throw new UsageError(
      `No trusted keys file at ${keysFile} to check that the key of "${instance}" is pinned (--keys FILE names it; default ${TRUSTED_KEYS_FILE} beside the key).\n${howToPin(instance, io)}`,
    );
  }
  return { instance, privateKeyPem, trustedKeys: readTrustedKeys(keysFile) };
}

/** How to make and pin an operator's key, in the folder where the services pin theirs. */
function howToPin(instance: string, io: CliIo): string {
  const folder = auditCliEnv(io.env).keysDir;
  const key = join(folder, `${instance}.key`);
  return (
    `Make and pin one once (the trusted keys file is the one verify --keys reads):\n` +
    `  npm run audit -- keygen --out ${key} --pin ${join(folder, TRUSTED_KEYS_FILE)} --instance ${instance}\n` +
    `then add --key ${key}.`
  );
}

function timeRange(values: Values): { from?: string; to?: string } {
  const from = values.from !== undefined ? isoTime(values.from, '--from') : undefined;
  const to = values.to !== undefined ? isoTime(values.to, '--to') : undefined;
  if (from !== undefined && to !== undefined && from >= to)
    throw new UsageError(`--from (${from}) must come before --to (${to}).`);
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

function isoTime(value: string, option: string): string {
  const time = Date.parse(value);
  if (
    !/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ||
    Number.isNaN(time)
  ) {
    throw new UsageError(
      `${option} must be an ISO 8601 date or time (2026-11-26, 2026-11-26T10:00:00Z), not ${JSON.stringify(value)}.`,
    );
  }
  return new Date(time).toISOString();
}

function positiveWhole(value: string, option: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`${option} must be a whole number ≥ 1, not ${JSON.stringify(value)}.`);
  return n;
}

function country(value: string, option: string): string {
  if (!isCountryCode(value))
    throw new UsageError(
      `${option} must be a two-letter country code (KR, KH, …), not ${JSON.stringify(value)}.`,
    );
  return value;
}

function purpose(value: string): string {
  if (!(PURPOSES as readonly string[]).includes(value))
    throw new UsageError(`--purpose is one of ${PURPOSES.join(', ')}, not ${JSON.stringify(value)}.`);
  return value;
}

function nonEmpty(value: string, option: string): string {
  if (value.trim() === '') throw new UsageError(`${option} must not be empty.`);
  return value;
}

if (require.main === module) {
  endQuietlyWhenOutputCloses();
  const io: CliIo = {
    out: (text) => console.log(text),
    err: (text) => console.error(text),
    env: process.env,
    now: () => new Date(),
  };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error('audit: unexpected failure:', error);
      process.exitCode = 1;
    },
  );
}
