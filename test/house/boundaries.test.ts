// The part boundaries are enforced by lint (issue 15): each forbidden import the review found passing is
// planted in a real file inside the part, linted with the project's own configuration (eslint.config.js,
// built from parts.js), and must be refused; an allowed import must pass untouched. The planted files
// exist only while they are linted.
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint, type Linter } from 'eslint';
import { MEMBERS } from '../../schema';

const ROOT = join(__dirname, '..', '..');
const BOUNDARY_RULES = new Set([
  'import-x/no-restricted-paths',
  'import-x/no-unresolved',
  'no-restricted-imports',
]);

// One ESLint for the file: type-aware linting builds the project once, then each probe is quick. The
// project's config is passed in, because ESLint's own loader imports it dynamically, which jest refuses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const projectConfig = require('../../eslint.config.js') as Linter.Config[];
const eslint = new ESLint({ cwd: ROOT, overrideConfigFile: true, overrideConfig: projectConfig });

/** Lints `source` as a new file in `folder` (written there for the type-aware rules, then removed). */
async function lintPlanted(folder: string, source: string): Promise<Linter.LintMessage[]> {
  const file = join(ROOT, folder, `lintProbe${randomBytes(4).toString('hex')}.ts`);
  writeFileSync(file, source);
  try {
    const [result] = await eslint.lintText(source, { filePath: file });
    return result!.messages;
  } finally {
    rmSync(file, { force: true });
  }
}

const boundaryErrors = (messages: Linter.LintMessage[]): Linter.LintMessage[] =>
  messages.filter((message) => message.ruleId !== null && BOUNDARY_RULES.has(message.ruleId));

// [where the import is planted, what it imports, what the refusal must say]
const FORBIDDEN: readonly (readonly [string, string, RegExp])[] = [
  // The policy is pure: no legal tools, no audit log, no server plumbing.
  ['policy', '../legal', /policy may import only vocabulary, agreements/],
  ['policy', '../audit', /policy may import only vocabulary, agreements/],
  ['policy', '../lib/logger', /policy may import only vocabulary, agreements/],
  // The schema depends on the shared words only.
  ['schema', '../audit', /schema may import only vocabulary/],
  ['schema', '../trust', /schema may import only vocabulary/],
  // The hub routes to members over the network, never by importing them (every member of the registry).
  ...MEMBERS.map(
    (member) => ['subgraphs/alliance', `../${member.code.toLowerCase()}`, /hub may import only/] as const,
  ),
  // Deep imports across parts: through the part's index, not one of its files.
  ['gateway', '../policy/decide', /import policy through policy\/index\.ts or policy\/core\.ts/],
  ['gateway', '../schema/errors', /import schema through schema\/index\.ts/],
  ['subgraphs/alliance', '../kit/server', /import kit through subgraphs\/kit\/index\.ts/],
];

describe('part boundaries (parts.js through eslint.config.js)', () => {
  it.each(FORBIDDEN)(
    'refuses %s importing %s',
    async (folder, target, message) => {
      const errors = boundaryErrors(await lintPlanted(folder, `import '${target}';\n`));
      expect(errors.map((error) => error.ruleId)).toEqual(['import-x/no-restricted-paths']);
      expect(errors[0]!.severity).toBe(2);
      expect(errors[0]!.message).toMatch(message);
    },
    180_000,
  );

  it('refuses a GraphQL package in the policy', async () => {
    const errors = boundaryErrors(await lintPlanted('policy', "import 'graphql';\n"));
    expect(errors.map((error) => error.ruleId)).toEqual(['no-restricted-imports']);
  }, 180_000);

  it('refuses an import it cannot resolve, which no boundary could check', async () => {
    const errors = boundaryErrors(await lintPlanted('policy', "import './noSuchModule';\n"));
    expect(errors.map((error) => error.ruleId)).toEqual(['import-x/no-unresolved']);
  }, 180_000);

  it.each([
    ['policy', '../vocabulary'],
    ['gateway', '../policy'],
    ['legal', '../policy/core'],
    ['subgraphs/alliance', '../kit'],
    ['gateway', '../lib/logger'],
  ])(
    'lets %s import %s',
    async (folder, target) => {
      expect(await lintPlanted(folder, `import '${target}';\n`)).toEqual([]);
    },
    180_000,
  );
});
