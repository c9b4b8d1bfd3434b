// `npx tsx scripts/sixth-member.ts`: admits a synthetic sixth member to a temporary copy of this work tree,
// following CONTRIBUTING.md "Add a member country" step by step, then runs the checks there. It proves that
// adding a member is the documented steps and nothing else: a test that hard-codes the shipped members, a
// pair count or a port fails here. The work tree itself is never touched.
//
//   npx tsx scripts/sixth-member.ts                  the member, then tsc, policy lint, jest (every test)
//   npx tsx scripts/sixth-member.ts -- test/schema   … jest with these arguments instead
//   npx tsx scripts/sixth-member.ts --keep           … and leave the copy in place (its path is printed)
//   npx tsx scripts/sixth-member.ts --build-only     the member only: print the copy's path and stop
//
// .ci/run runs it once, after `npm test` under Node 20 (CONTRIBUTING.md, "Add a member country").
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MEMBERS } from '../schema';
import { UsageError, parseCommandLine } from '../lib/cliArgs';
import { endQuietlyWhenOutputCloses } from '../lib/closedOutput';

const ROOT = join(__dirname, '..');

/**
 * The synthetic member: the first of these real codes the registry does not hold yet, so the script keeps
 * working after one of them is admitted for real. Laos is CONTRIBUTING.md's example.
 */
const CANDIDATES = [
  {
    code: 'LA',
    name: "Lao People's Democratic Republic",
    authority: 'Lao Police (synthetic, for the sixth-member check)',
  },
  {
    code: 'MM',
    name: 'Republic of the Union of Myanmar',
    authority: 'Myanmar Police Force (synthetic, for the sixth-member check)',
  },
  {
    code: 'MY',
    name: 'Malaysia',
    authority: 'Royal Malaysia Police (synthetic, for the sixth-member check)',
  },
] as const;

/** The existing member the synthetic one signs its agreement with: the first of the registry. */
const PARTNER = MEMBERS[0]!.code;

function usage(): string {
  return 'usage: npx tsx scripts/sixth-member.ts [--keep] [--build-only] [-- <jest arguments>]';
}

function run(cwd: string, command: string, args: readonly string[]): void {
  console.log(`\n$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', env: { ...process.env, CI: 'true' } });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}) in ${cwd}`);
  }
}

/** Copies what git would commit (tracked and new, unignored files): the copy is this tree, not HEAD. */
function copyWorkTree(into: string): void {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0')) {
    // A tracked file deleted in the work tree is listed but absent; node_modules may be a (committed-by-mistake) symlink.
    if (!file || file === 'node_modules' || !existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(into, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(into, file));
  }
  // The installed packages are shared, not copied (hundreds of MB): nothing here writes to them.
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(into, 'node_modules'), 'dir');
  // A repository of its own, the tree committed as it is: the member's files are then a contributor's
  // uncommitted change, and the tests that read git (`policy diff HEAD .`) find a HEAD.
  const git = (...args: string[]): void => {
    const result = spawnSync(
      'git',
      ['-c', 'user.name=Accord sixth-member check', '-c', 'user.email=sixth-member@accord.invalid', ...args],
      { cwd: into, encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${into}: ${result.stderr}`);
  };
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '--no-verify', '-m', 'the work tree, before the sixth member');
}

function edit(file: string, change: (text: string) => string): void {
  const before = readFileSync(file, 'utf8');
  const after = change(before);
  if (after === before)
    throw new Error(`${file}: the edit found nothing to change (has its layout changed?)`);
  writeFileSync(file, after);
}

/** CONTRIBUTING.md "Add a member country", steps 1–5, in the copy. */
function admitMember(copy: string): { code: string; port: number } {
  const member = CANDIDATES.find(
    (candidate) => !MEMBERS.some((existing) => existing.code === candidate.code),
  );
  if (!member) throw new Error('every candidate code is already a member: add another to CANDIDATES');
  const { code, name, authority } = member;
  const lower = code.toLowerCase();
  const port = Math.max(...MEMBERS.map((existing) => existing.defaultPort)) + 1;
  console.log(`admitting ${code} (${name}) on port ${port}, with an agreement with ${PARTNER}, in ${copy}`);

  // 1. Registry: schema/members.ts and agreements/members.yaml.
  edit(join(copy, 'schema/members.ts'), (text) =>
    text.replace(
      /(export const MEMBERS: readonly Member\[\] = \[[\s\S]*?)\n\];/,
      (_all, entries: string) =>
        `${entries}\n  { code: '${code}', name: ${JSON.stringify(name)}, authority: ${JSON.stringify(authority)}, defaultPort: ${port} },\n];`,
    ),
  );
  edit(
    join(copy, 'agreements/members.yaml'),
    (text) =>
      `${text.trimEnd()}\n  - code: ${code}\n    name: ${JSON.stringify(name)}\n    domesticGate: optional\n`,
  );

  // 2. National-only fields: one, so the national path (SDL, resolver, category) is exercised too.
  writeFileSync(
    join(copy, `schema/national/${code}.graphql`),
    `# National-only fields of the synthetic member ${code} (scripts/sixth-member.ts).\ntype Suspect {\n  "Family book (household registration) number."\n  familyBookNumber: String @category(name: "person.identity")\n}\n`,
  );

  // 3. Generate: every subgraph's SDL and schema/supergraph.graphql.
  run(copy, 'npx', ['tsx', 'schema/cli.ts']);

  // 4. Its subgraph: a copy of the first member's folder, with its own country and national resolver.
  const template = MEMBERS[0]!.code.toLowerCase();
  mkdirSync(join(copy, 'subgraphs', lower), { recursive: true });
  for (const file of readdirSync(join(copy, 'subgraphs', template))) {
    copyFileSync(join(copy, 'subgraphs', template, file), join(copy, 'subgraphs', lower, file));
  }
  writeFileSync(
    join(copy, 'subgraphs', lower, 'index.ts'),
    `import type { NationalSystem } from '../kit';
import type { ReferenceRecords } from '../reference/resolvers';
import { createReferenceSystem, nationalField, type NationalSystemOptions } from '../reference';

/** ${authority}: a synthetic member added by scripts/sixth-member.ts; its records borrow a neighbour's profile. */
export const COUNTRY = '${code}';

export function createSystem(options: NationalSystemOptions): NationalSystem<ReferenceRecords> {
  return createReferenceSystem({
    country: COUNTRY,
    store: options.store,
    nationalResolvers: {
      ${code}Suspect: { familyBookNumber: nationalField('familyBookNumber') },
    },
  });
}
`,
  );

  // 5. Agreements: a bilateral police MoU with the first member, so something of the new member crosses.
  writeFileSync(
    join(copy, `agreements/instruments/${PARTNER.toLowerCase()}-${lower}-synthetic-mou.yaml`),
    `# yaml-language-server: $schema=../agreement.schema.json
#
# ILLUSTRATIVE — NOT LEGAL ADVICE. Synthetic: written by scripts/sixth-member.ts to check that a sixth
# member keeps the suite green; no such instrument exists.
id: ${PARTNER.toLowerCase()}-${lower}-synthetic-mou
title: ${PARTNER}–${code} synthetic police MoU
disclaimer: "ILLUSTRATIVE: a synthetic test instrument, not a real agreement and not legal advice."
kind: bilateral
parties: [${PARTNER}, ${code}]
instrument:
  citation: Synthetic Memorandum of Understanding between ${PARTNER} and ${code} on Police Cooperation
  signed: 2024-01-15
  basedOn: [UNTOC art. 27]
inForce:
  from: 2024-01-15

clauses:
  - id: information-exchange
    citation: art. 2(1)
    summary: Identity, wanted status and case summaries; biometrics only as hits. Intelligence only.
    basis: POLICE_COOPERATION
    purposes: [investigation, fugitive_location]
    categories:
      person.identity: release
      person.wanted_status: release
      case.summary: release
      person.biometrics: hit-only
    direction: both
    conditions:
      caseReference: true
    obligations:
      handlingCode: H1
      onwardTransfer: forbidden
      evidentiaryUse: forbidden
      retentionDays: 730
      notifySource: false
`,
  );
  run(copy, 'npx', ['tsx', 'policy/cli.ts', 'check', 'agreements']);
  return { code, port };
}

function main(): void {
  const argv = process.argv.slice(2);
  const dashes = argv.indexOf('--');
  const own = dashes < 0 ? argv : argv.slice(0, dashes);
  const jestArgs = dashes < 0 ? [] : argv.slice(dashes + 1);
  let values;
  try {
    ({ values } = parseCommandLine(own, {
      options: {
        keep: { type: 'boolean' },
        'build-only': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${usage()}`);
    process.exitCode = error.exitCode;
    return;
  }
  if (values['help'] === true) {
    console.log(usage());
    return;
  }
  const buildOnly = values['build-only'] === true;
  const keep = values['keep'] === true || buildOnly;

  const started = Date.now();
  const copy = mkdtempSync(join(tmpdir(), 'accord-sixth-member-'));
  let ok = false;
  try {
    copyWorkTree(copy);
    const { code } = admitMember(copy);
    if (buildOnly) {
      ok = true;
      console.log(`\n${code} admitted in ${copy}`);
      return;
    }
    // What npm ci's prepare step builds in a clone (the accord bundle, the explorer, the compiled services
    // with the new member's): build/, cli/dist/ and dist/ are not in git, so the copy has none of them.
    run(copy, 'npm', ['run', '-s', 'prepare']);
    // The type check covers the new subgraph folder; the legal lint checks agreements against the registry.
    run(copy, 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
    run(copy, 'npx', ['tsx', 'legal/cli.ts', 'lint']);
    run(copy, 'npx', ['jest', ...jestArgs]);
    ok = true;
    console.log(
      `\nwith ${code} as a sixth member, every check passed (${Math.round((Date.now() - started) / 1000)} s)`,
    );
  } catch (error) {
    console.error(`\nsixth member: ${(error as Error).message}`);
    process.exitCode = 1;
  } finally {
    if (keep || !ok) console.log(`the copy is kept in ${copy}`);
    else rmSync(copy, { recursive: true, force: true });
  }
}

endQuietlyWhenOutputCloses();
main();
