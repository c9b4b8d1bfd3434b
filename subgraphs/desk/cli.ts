/**
 * The owner's desk on the member's own machine (issue 9): the grants it approved, kept in its store next
 * to its records. Not composed into the supergraph and not reachable over the network.
 *
 *   npm run desk -- list    --country KH
 *   npm run desk -- approve --country KH --officer desk.kh --id MLA-2026-0042 --requester KR --analyst lee.h \
 *                           --case KR-CAS-000001 --purpose investigation --agreement kr-kh-mlat-2021 \
 *                           --clause persons-and-records --clause proceeds --subject KH-SUS-000001 \
 *                           --category person.identity --category financial.accounts --days 30 [--no-evidence]
 *   npm run desk -- revoke  --country KH --officer desk.kh --id MLA-2026-0042
 *
 * ACCORD_DATA_DIR selects the data folder (default data/), as for the services.
 *
 * Approvals and revocations are desk acts: each is recorded in the owner's audit log (a `procedure` entry,
 * audit/recordProcedure.ts), opened from the environment as the services open theirs (ACCORD_AUDIT_URL,
 * default the owner's `<data>/audit/<cc>.db`), written as the desk's own chain `<cc>-desk`. A grant whose
 * issue cannot be recorded is withdrawn at once: no grant opens data that nobody could account for.
 */
import { parseArgs } from 'node:util';
import { openAuditLogFromEnv, recordProcedure, type AuditLog, type ProcedureRecord } from '../../audit';
import { loadDefaultPolicy, type Grant } from '../../policy';
import { dataDir } from '../../lib/process';
import { checkApproval } from './approval';
import { deskFile, ensureGrantKey, grantKeyFile, openGrantStore } from './grantStore';

const USAGE = 'usage: npm run desk -- list|approve|revoke --country CC [--officer ID] [options]; see subgraphs/desk/cli.ts';

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        country: { type: 'string' },
        officer: { type: 'string' },
        id: { type: 'string' },
        requester: { type: 'string' },
        analyst: { type: 'string', multiple: true },
        case: { type: 'string' },
        purpose: { type: 'string' },
        agreement: { type: 'string' },
        clause: { type: 'string', multiple: true },
        subject: { type: 'string', multiple: true },
        category: { type: 'string', multiple: true },
        days: { type: 'string' },
        'no-evidence': { type: 'boolean' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const country = values.country?.toUpperCase();
  const policy = loadDefaultPolicy();
  if (!country || !policy.set.members.some((m) => m.code === country)) {
    console.error(`--country must be a member (${policy.set.members.map((m) => m.code).join(', ')})\n${USAGE}`);
    return 2;
  }
  const dir = dataDir();
  const store = openGrantStore({ owner: country, file: deskFile(country, dir), key: ensureGrantKey(grantKeyFile(country, dir)) });
  try {
    switch (command) {
      case 'list': {
        const now = Date.now();
        for (const grant of store.list()) {
          const state = grant.revokedAt !== undefined && grant.revokedAt <= now ? 'revoked' : now >= grant.validUntil ? 'expired' : 'valid';
          // JSON.stringify escapes control characters: free text cannot forge lines here.
          console.log(JSON.stringify({ state, ...grant, validFrom: new Date(grant.validFrom).toISOString(), validUntil: new Date(grant.validUntil).toISOString() }));
        }
        return 0;
      }
      case 'approve': {
        if (!values.officer || !values.id) return fail('approve needs --officer and --id');
        const checked = checkApproval(policy, {
          id: values.id,
          owner: country,
          requesterCountry: (values.requester ?? '').toUpperCase(),
          analysts: values.analyst ?? [],
          caseReference: values.case ?? '',
          purpose: values.purpose ?? '',
          agreement: values.agreement ?? '',
          clauses: values.clause ?? [],
          subjects: values.subject ?? [],
          categories: values.category ?? [],
          validFrom: Date.now(),
          validDays: Number(values.days ?? '30'),
          evidentiaryUse: values['no-evidence'] !== true,
          approvers: [`${country}/${values.officer}`],
        });
        if (!checked.ok) return fail(`not approved, nothing changed:\n  - ${checked.problems.join('\n  - ')}`);
        if (store.get(values.id) !== undefined) return fail(`a grant ${values.id} exists already; nothing changed`);
        const officer = values.officer;
        return await withDeskLog(country, dir, async (log) => {
          const grant = store.issue(checked.grant, [officer]);
          try {
            if (log) await recordProcedure(log, { act: 'grant.issued', at: grant.validFrom, actor: { id: officer, country, role: 'officer' }, ...grantTerms(grant) });
          } catch (error) {
            // Withdrawn from the instant it was issued: it never covered a request.
            store.revoke(grant.id, grant.validFrom, officer);
            return fail(`not approved: the grant could not be recorded in ${country}'s audit log (${(error as Error).message}); it was withdrawn and opens nothing`);
          }
          console.log(`approved: grant ${grant.id} valid until ${new Date(grant.validUntil).toISOString()}`);
          return 0;
        });
      }
      case 'revoke': {
        if (!values.officer || !values.id) return fail('revoke needs --officer and --id');
        const grant = store.get(values.id);
        if (grant === undefined || grant.revokedAt !== undefined) return fail(`no valid grant ${values.id} to revoke; nothing changed`);
        const officer = values.officer;
        return await withDeskLog(country, dir, async (log) => {
          const at = Date.now();
          if (!store.revoke(grant.id, at, officer)) return fail(`no valid grant ${grant.id} to revoke; nothing changed`);
          try {
            if (log) await recordProcedure(log, { act: 'grant.revoked', at, actor: { id: officer, country, role: 'officer' }, ...grantTerms(grant) });
          } catch (error) {
            // A revocation only narrows: it stands, unrecorded, and says so.
            return fail(`revoked: grant ${grant.id}, from the next request on; BUT the revocation could not be recorded in ${country}'s audit log (${(error as Error).message})`);
          }
          console.log(`revoked: grant ${grant.id}, from the next request on`);
          return 0;
        });
      }
      default:
        return fail(USAGE);
    }
  } finally {
    store.close();
  }
}

/**
 * Opens the owner's audit log for one desk act, runs it, and closes the log (sealing the desk's chain).
 * A log that cannot be opened stops the act before anything changes. With ACCORD_AUDIT=off (development
 * only) the act is done unrecorded, and the desk says so.
 */
async function withDeskLog(country: string, dir: string, act: (log: AuditLog | undefined) => Promise<number>): Promise<number> {
  let opened;
  try {
    opened = await openAuditLogFromEnv({ instance: `${country.toLowerCase()}-desk`, logOf: country.toLowerCase(), dataDir: dir, env: process.env });
  } catch (error) {
    return fail(`${country}'s audit log cannot be opened (${(error as Error).message}); nothing changed`);
  }
  if (!opened.log) console.error(`note: ${opened.summary}; this desk act is not recorded`);
  try {
    return await act(opened.log);
  } finally {
    await opened.log?.close();
  }
}

/** What a grant covers, in the terms of a desk act. */
function grantTerms(grant: Grant): Omit<ProcedureRecord, 'act' | 'at' | 'actor'> {
  return {
    owner: grant.owner,
    grantId: grant.id,
    requester: { country: grant.requesterCountry, analysts: grant.analysts },
    caseReference: grant.caseReference,
    purpose: grant.purpose,
    agreement: grant.agreement,
    clauses: grant.clauses,
    subjects: grant.subjects,
    categories: grant.categories,
    validFrom: grant.validFrom,
    validUntil: grant.validUntil,
    evidentiaryUse: grant.evidentiaryUse,
  };
}

function fail(message: string): number {
  console.error(message);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('desk: unexpected failure:', error);
    process.exitCode = 1;
  },
);
