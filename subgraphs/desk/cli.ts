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
 */
import { parseArgs } from 'node:util';
import { loadDefaultPolicy } from '../../policy';
import { dataDir } from '../../lib/process';
import { checkApproval } from './approval';
import { deskFile, ensureGrantKey, grantKeyFile, openGrantStore } from './grantStore';

const USAGE = 'usage: npm run desk -- list|approve|revoke --country CC [--officer ID] [options]; see subgraphs/desk/cli.ts';

function main(argv: readonly string[]): number {
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
        const grant = store.issue(checked.grant, [values.officer]);
        console.log(`approved: grant ${grant.id} valid until ${new Date(grant.validUntil).toISOString()}`);
        return 0;
      }
      case 'revoke': {
        if (!values.officer || !values.id) return fail('revoke needs --officer and --id');
        if (!store.revoke(values.id, Date.now(), values.officer)) return fail(`no valid grant ${values.id} to revoke; nothing changed`);
        console.log(`revoked: grant ${values.id}, from the next request on`);
        return 0;
      }
      default:
        return fail(USAGE);
    }
  } finally {
    store.close();
  }
}

function fail(message: string): number {
  console.error(message);
  return 1;
}

process.exitCode = main(process.argv.slice(2));
