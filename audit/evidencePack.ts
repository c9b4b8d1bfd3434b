/**
 * Evidence packs: the records of one case or one agreement, with what it takes to check them offline.
 *
 *   manifest.json   what was selected, from which log, the policy revisions, the records' places and
 *                   hashes, and the sha256 of the two files below
 *   records.jsonl   the selected records, whole (consultations, disclosures, reviews, desk acts)
 *   proof.jsonl     per chain, every entry from the first selected record to the checkpoint that seals
 *                   the last one: checkpoints whole, every other entry as its envelope only (seq, kind,
 *                   time, hashes — no body, so no other case's data leaves)
 *
 * Checking a pack: each record's body and envelope hash as stored; each sits in its chain's proof at its
 * place; the proof links entry to entry and ends in a checkpoint whose Ed25519 signature verifies (with a
 * pinned key when one is given); the files match the manifest. A pack proves that what it holds was in
 * the log, unaltered, when the checkpoint was signed. It cannot prove that nothing was left out.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AuditError } from './AuditError';
import { canonicalJson } from './canonicalJson';
import { checkRow, problemOfEntry, refText } from './checkEntry';
import { entryHashOf, linkOf, sha256Hex } from './hashing';
import { verifyStatement } from './keys';
import { citesClause, namesGrant } from './queryRecords';
import type { AuditStore } from './store/AuditStore';
import type { TrustedKeys } from './trustedKeys';
import type {
  CheckpointBody,
  CrossingBody,
  EntryLink,
  ProcedureBody,
  RecordRef,
  ReviewBody,
  StoredEntry,
} from './types';

export const PACK_FORMAT = 'accord-evidence-pack/1';

export interface PackSelection {
  readonly caseReference?: string;
  /** An agreement id, or agreement/clause. */
  readonly agreement?: string;
  /** A grant id: its desk acts and the crossings that named it or were released under it. */
  readonly grant?: string;
  readonly from?: string;
  readonly to?: string;
}

export interface PackManifest {
  readonly format: typeof PACK_FORMAT;
  readonly createdAt: string;
  readonly selection: PackSelection;
  readonly source: string;
  readonly policyRevisions: readonly string[];
  /** `procedures` (desk acts) is absent in packs made before desk acts were recorded. */
  readonly counts: {
    readonly records: number;
    readonly consultations: number;
    readonly disclosures: number;
    readonly reviews: number;
    readonly procedures?: number;
  };
  readonly chains: readonly {
    readonly chain: string;
    readonly fromSeq: number;
    readonly throughSeq: number;
    readonly checkpoint: RecordRef;
    readonly publicKeys: readonly string[];
  }[];
  readonly records: readonly RecordRef[];
  readonly files: { readonly 'records.jsonl': string; readonly 'proof.jsonl': string };
  readonly howToVerify: string;
}

const PAGE = 2000;

/** Writes a pack into `outDir` (which must not exist, or be empty); all or nothing. */
export async function exportEvidencePack(
  store: AuditStore,
  selection: PackSelection,
  outDir: string,
  now: Date = new Date(),
): Promise<PackManifest> {
  const given = (value: string | undefined): boolean => typeof value === 'string' && value.trim() !== '';
  const hasCase = given(selection.caseReference);
  const hasAgreement = given(selection.agreement);
  if ([hasCase, hasAgreement, given(selection.grant)].filter(Boolean).length !== 1) {
    throw new AuditError(
      'BAD_INPUT',
      'An evidence pack is for one case (--case REF), one agreement (--agreement ID[/CLAUSE]) or one grant (--grant ID): give exactly one.',
    );
  }
  const target = resolve(outDir);
  if (existsSync(target) && readdirSync(target).length > 0)
    throw new AuditError(
      'BAD_INPUT',
      `${target} exists and is not empty: an evidence pack goes into a new or empty folder.`,
    );

  const selected = await selectRecords(store, selection);
  if (selected.length === 0) {
    const what = hasCase
      ? `case ${JSON.stringify(selection.caseReference)}`
      : hasAgreement
        ? `agreement ${JSON.stringify(selection.agreement)}`
        : `grant ${JSON.stringify(selection.grant)}`;
    throw new AuditError(
      'NOT_FOUND',
      `No records for ${what}${selection.from || selection.to ? ' in that time range' : ''}: no pack written.`,
    );
  }

  const byChain = new Map<string, StoredEntry[]>();
  for (const entry of selected) byChain.set(entry.chain, [...(byChain.get(entry.chain) ?? []), entry]);
  const proof: (EntryLink | StoredEntry)[] = [];
  const chains: PackManifest['chains'][number][] = [];
  for (const [chain, entries] of [...byChain].sort(([a], [b]) => a.localeCompare(b))) {
    const fromSeq = Math.min(...entries.map((e) => e.seq));
    const lastSeq = Math.max(...entries.map((e) => e.seq));
    const segment = await proofSegment(store, chain, fromSeq, lastSeq);
    proof.push(...segment.entries);
    chains.push({
      chain,
      fromSeq,
      throughSeq: segment.checkpoint.seq,
      checkpoint: segment.checkpoint,
      publicKeys: segment.publicKeys,
    });
  }

  const recordsText = selected.map((entry) => canonicalJson(entry)).join('\n') + '\n';
  const proofText = proof.map((entry) => canonicalJson(entry)).join('\n') + '\n';
  const manifest: PackManifest = {
    format: PACK_FORMAT,
    createdAt: now.toISOString(),
    selection: cleanSelection(selection),
    source: store.description,
    policyRevisions: revisionsOf(selected),
    counts: {
      records: selected.length,
      consultations: selected.filter((e) => e.kind === 'consultation').length,
      disclosures: selected.filter((e) => e.kind === 'disclosure').length,
      reviews: selected.filter((e) => e.kind === 'review').length,
      procedures: selected.filter((e) => e.kind === 'procedure').length,
    },
    chains,
    records: selected.map((e) => ({ chain: e.chain, seq: e.seq, hash: e.hash })),
    files: { 'records.jsonl': sha256Hex(recordsText), 'proof.jsonl': sha256Hex(proofText) },
    howToVerify: 'npm run audit -- verify --pack <this folder> [--keys trusted-keys.json]',
  };

  // Written beside the target, then renamed: a failed export leaves nothing behind.
  mkdirSync(dirname(target), { recursive: true });
  const staging = `${target}.partial-${randomBytes(4).toString('hex')}`;
  try {
    mkdirSync(staging);
    writeFileSync(join(staging, 'records.jsonl'), recordsText);
    writeFileSync(join(staging, 'proof.jsonl'), proofText);
    writeFileSync(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    if (existsSync(target)) rmSync(target, { recursive: true });
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new AuditError(
      'BAD_INPUT',
      `Cannot write the evidence pack to ${target}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return manifest;
}

async function selectRecords(store: AuditStore, selection: PackSelection): Promise<StoredEntry[]> {
  const range = {
    ...(selection.from ? { from: selection.from } : {}),
    ...(selection.to ? { to: selection.to } : {}),
  };
  const picked: StoredEntry[] = [];
  const take = async (filter: Parameters<AuditStore['select']>[0], keep: (entry: StoredEntry) => boolean) => {
    for (let offset = 0; ; offset += PAGE) {
      const rows = await store.select(filter, PAGE, offset);
      for (const row of rows) {
        const check = checkRow(row);
        if (!check.ok)
          throw new AuditError(
            'REFUSED',
            `${refText(row)} fails its hash check (${check.why}): no pack is made from a log that does not verify; run verify.`,
          );
        if (keep(check.entry)) picked.push(check.entry);
      }
      if (rows.length < PAGE) break;
    }
  };
  if (selection.caseReference) {
    await take(
      {
        kinds: ['consultation', 'disclosure', 'review', 'procedure'],
        caseReference: selection.caseReference,
        ...range,
      },
      () => true,
    );
  } else {
    const agreement = selection.agreement;
    const grant = selection.grant;
    if (agreement) {
      const [agreementId, clauseId] = agreement.split('/', 2);
      await take({ kinds: ['consultation', 'disclosure'], ...range }, (entry) =>
        citesClause(entry, agreement),
      );
      // The desk acts under the agreement (or the clause): how the grants it rests on came to be.
      await take({ kinds: ['procedure'], ...range }, (entry) => {
        const body = entry.body as ProcedureBody;
        return (
          body.agreement === agreementId &&
          (clauseId === undefined || (body.clauses ?? []).includes(clauseId))
        );
      });
    } else
      await take({ kinds: ['consultation', 'disclosure', 'procedure'], ...range }, (entry) =>
        namesGrant(entry, grant!),
      );
    const chosen = new Set(picked.map((e) => refText(e)));
    await take({ kinds: ['review'] }, (entry) => chosen.has(refText((entry.body as ReviewBody).target)));
  }
  return picked.sort((a, b) => a.chain.localeCompare(b.chain) || a.seq - b.seq);
}

async function proofSegment(
  store: AuditStore,
  chain: string,
  fromSeq: number,
  lastSeq: number,
): Promise<{ entries: (EntryLink | StoredEntry)[]; checkpoint: RecordRef; publicKeys: string[] }> {
  const entries: (EntryLink | StoredEntry)[] = [];
  const publicKeys = new Set<string>();
  let prev: string | undefined;
  for (let from = fromSeq; ;) {
    const rows = await store.scanChain(chain, from, PAGE);
    for (const row of rows) {
      const check = checkRow(row);
      if (!check.ok)
        throw new AuditError(
          'REFUSED',
          `${refText(row)} fails its hash check (${check.why}): no pack is made from a log that does not verify; run verify.`,
        );
      if (prev !== undefined && row.prev !== prev)
        throw new AuditError(
          'REFUSED',
          `${refText(row)} does not link to the entry before it: no pack is made from a log that does not verify; run verify.`,
        );
      prev = row.hash;
      if (check.entry.kind === 'checkpoint') {
        entries.push(check.entry);
        publicKeys.add((check.entry.body as CheckpointBody).publicKey);
        if (row.seq > lastSeq)
          return {
            entries,
            checkpoint: { chain, seq: row.seq, hash: row.hash },
            publicKeys: [...publicKeys],
          };
      } else entries.push(linkOf(check.entry));
    }
    if (rows.length < PAGE) break;
    from = rows.at(-1)!.seq + 1;
  }
  throw new AuditError(
    'REFUSED',
    `${refText({ chain, seq: lastSeq })} is not sealed by a checkpoint yet (its writer seals within its checkpoint interval, and on closing): try again shortly.`,
  );
}

function revisionsOf(entries: readonly StoredEntry[]): string[] {
  const revisions = new Set<string>();
  for (const entry of entries) {
    if (entry.kind === 'consultation' || entry.kind === 'disclosure')
      revisions.add((entry.body as CrossingBody).policyRevision);
  }
  return [...revisions].sort();
}

function cleanSelection(selection: PackSelection): PackSelection {
  return {
    ...(selection.caseReference ? { caseReference: selection.caseReference } : {}),
    ...(selection.agreement ? { agreement: selection.agreement } : {}),
    ...(selection.grant ? { grant: selection.grant } : {}),
    ...(selection.from ? { from: selection.from } : {}),
    ...(selection.to ? { to: selection.to } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Checking a pack offline

export interface PackReport {
  readonly ok: boolean;
  readonly pack: string;
  readonly records: number;
  readonly chains: readonly string[];
  readonly policyRevisions: readonly string[];
  /** The first problem found, in the order of the checks. */
  readonly problems: readonly { readonly where: string; readonly message: string }[];
  readonly warnings: readonly string[];
}

export function verifyEvidencePack(dir: string, options: { trustedKeys?: TrustedKeys } = {}): PackReport {
  const pack = resolve(dir);
  const problems: { where: string; message: string }[] = [];
  const warnings: string[] = [];
  const result = (extra: Partial<PackReport> = {}): PackReport => ({
    ok: problems.length === 0,
    pack,
    records: 0,
    chains: [],
    policyRevisions: [],
    problems,
    warnings,
    ...extra,
  });
  const fail = (where: string, message: string, extra?: Partial<PackReport>): PackReport => {
    problems.push({ where, message });
    return result(extra);
  };
  if (!existsSync(join(pack, 'manifest.json')))
    throw new AuditError('NOT_FOUND', `${pack} is not an evidence pack (no manifest.json).`);

  let manifest: PackManifest;
  let recordsText: string;
  let proofText: string;
  try {
    manifest = JSON.parse(readFileSync(join(pack, 'manifest.json'), 'utf8')) as PackManifest;
  } catch (error) {
    return fail('manifest.json', `manifest.json is not JSON any more (${(error as Error).message}).`);
  }
  if ((manifest.format as string) !== PACK_FORMAT)
    return fail(
      'manifest.json',
      `manifest.json says format ${JSON.stringify(manifest.format)}, not ${PACK_FORMAT}.`,
    );
  try {
    recordsText = readFileSync(join(pack, 'records.jsonl'), 'utf8');
    proofText = readFileSync(join(pack, 'proof.jsonl'), 'utf8');
  } catch (error) {
    return fail('pack', `A file of the pack is missing: ${(error as Error).message}`);
  }
  for (const [name, text] of [
    ['records.jsonl', recordsText],
    ['proof.jsonl', proofText],
  ] as const) {
    if (sha256Hex(text) !== manifest.files?.[name])
      return fail(name, `${name} does not match the hash the manifest gives for it: the file was altered.`);
  }

  const parse = <T>(name: string, text: string): T[] | string => {
    const out: T[] = [];
    const lines = text.split('\n').filter((line) => line !== '');
    for (let i = 0; i < lines.length; i++) {
      try {
        out.push(JSON.parse(lines[i]!) as T);
      } catch {
        return `${name} line ${i + 1} is not JSON.`;
      }
    }
    return out;
  };
  const records = parse<StoredEntry>('records.jsonl', recordsText);
  if (typeof records === 'string') return fail('records.jsonl', records);
  const proof = parse<EntryLink & { body?: CheckpointBody }>('proof.jsonl', proofText);
  if (typeof proof === 'string') return fail('proof.jsonl', proof);

  // The proof: per chain, contiguous, linked, sealed by a signed checkpoint.
  const proofHashes = new Map<string, string>();
  const sealedThrough = new Map<string, number>();
  let previous: (EntryLink & { body?: CheckpointBody }) | undefined;
  for (const link of proof) {
    const where = `proof.jsonl ${refText(link)}`;
    const envelopeHash = entryHashOf(link);
    if (envelopeHash !== link.hash)
      return fail(where, `${refText(link)}'s envelope does not match its hash: the proof was altered.`);
    if (link.body !== undefined && sha256Hex(canonicalJson(link.body)) !== link.bodyHash)
      return fail(where, `${refText(link)}'s content does not match its body hash: the proof was altered.`);
    if (previous && previous.chain === link.chain) {
      if (link.seq !== previous.seq + 1)
        return fail(where, `the proof skips from ${refText(previous)} to ${refText(link)}.`);
      if (link.prev !== previous.hash)
        return fail(
          where,
          `${refText(link)} does not follow ${refText(previous)} (its previous hash differs): the proof was altered.`,
        );
    } else if (previous && sealedThrough.get(previous.chain) !== previous.seq) {
      return fail(
        `proof.jsonl ${refText(previous)}`,
        `the proof of ${previous.chain} ends at ${refText(previous)} without a checkpoint.`,
      );
    }
    if (link.kind === 'checkpoint') {
      const body = link.body;
      if (!body) return fail(where, `the checkpoint ${refText(link)} has no body.`);
      const statement = {
        chain: link.chain,
        seq: body.seq,
        hash: body.hash,
        at: link.at,
        final: body.final,
        witnessed: body.witnessed,
      };
      if (
        body.seq !== link.seq - 1 ||
        body.hash !== link.prev ||
        !verifyStatement(statement, body.publicKey, body.signature)
      ) {
        return fail(
          where,
          `the signature of the checkpoint ${refText(link)} does not verify over the entries before it: the pack was altered.`,
        );
      }
      const pinned = options.trustedKeys?.get(link.chain);
      if (options.trustedKeys && !pinned?.has(body.publicKey))
        return fail(
          where,
          `the checkpoint ${refText(link)} is signed with a key that is not pinned for ${link.chain}.`,
        );
      sealedThrough.set(link.chain, link.seq);
    }
    proofHashes.set(refText(link), link.hash);
    previous = link;
  }
  if (previous && (sealedThrough.get(previous.chain) ?? -1) < previous.seq) {
    return fail(
      `proof.jsonl ${refText(previous)}`,
      `the proof of ${previous.chain} ends at ${refText(previous)} without a checkpoint.`,
    );
  }

  // The records: intact, and each where the proof says, sealed by a checkpoint after it.
  for (const entry of records) {
    const where = `records.jsonl ${refText(entry)}`;
    const problem = problemOfEntry(entry);
    if (problem) return fail(where, `${refText(entry)} was altered: ${problem}.`);
    if (proofHashes.get(refText(entry)) !== entry.hash)
      return fail(
        where,
        `${refText(entry)} is not the entry the proof has at that place: the records were altered.`,
      );
    if ((sealedThrough.get(entry.chain) ?? -1) < entry.seq)
      return fail(where, `${refText(entry)} is not sealed by a checkpoint in the proof.`);
  }

  // The manifest: it says what the files hold.
  const listed = (manifest.records ?? []).map((r) => `${refText(r)}:${r.hash}`).join(',');
  const held = records.map((r) => `${refText(r)}:${r.hash}`).join(',');
  if (listed !== held)
    return fail(
      'manifest.json',
      "the manifest's list of records does not match records.jsonl: the pack was altered.",
    );
  const revisions = revisionsOf(records);
  if (canonicalJson(revisions) !== canonicalJson(manifest.policyRevisions ?? []))
    return fail(
      'manifest.json',
      "the manifest's policy revisions do not match the records: the pack was altered.",
    );
  if (!options.trustedKeys)
    warnings.push(
      "Checkpoint signatures were checked against the keys in the pack itself; pin the writers' keys (--keys) to rule out a pack forged whole.",
    );
  return result({ records: records.length, chains: [...sealedThrough.keys()], policyRevisions: revisions });
}
