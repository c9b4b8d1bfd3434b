/**
 * The README's commands as a newcomer pastes them, with `npm start` given another data folder: every audit
 * command's log and keys path, as the shell expands it, lies in ACCORD_DATA_DIR (and in data/ without it),
 * not in data/ whatever the folder. The ports its commands name are npm start's defaults, and the README
 * says so beside the commands, naming each of them.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The path arguments of every `npm run audit` command in the README, as written (quotes included). */
const AUDIT_PATHS = [...README.matchAll(/npm run (?:-s )?audit -- [^\n`]*/g)].flatMap((match) =>
  [...match[0].matchAll(/--(?:log|keys) ("[^"]*"|\S+)/g)].map((arg) => arg[1]!),
);

/** What bash makes of `word` with ACCORD_DATA_DIR set to `folder` (unset when undefined). */
function expand(word: string, folder: string | undefined): string {
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] };
  if (folder !== undefined) env['ACCORD_DATA_DIR'] = folder;
  return execFileSync('bash', ['-c', `printf %s ${word}`], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

describe('README.md, with npm start given another data folder', () => {
  it('has audit commands to check', () => {
    expect(AUDIT_PATHS.length).toBeGreaterThanOrEqual(3);
  });

  it.each(AUDIT_PATHS)('the audit path %s follows ACCORD_DATA_DIR, and is data/ without it', (word) => {
    const folder = '/srv/accord elsewhere';
    expect(expand(word, folder).replace(/^sqlite:/, '')).toMatch(/^\/srv\/accord elsewhere\/audit\//);
    expect(expand(word, undefined).replace(/^sqlite:/, '')).toMatch(/^data\/audit\//);
  });

  it("says its commands use npm start's default ports, naming each port they use", () => {
    const ports = [...new Set([...README.matchAll(/http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => m[1]!))];
    expect(ports.length).toBeGreaterThan(0);
    const start = README.indexOf(
      'The commands in this README are written for `npm start` as it runs by default',
    );
    expect(start).toBeGreaterThanOrEqual(0);
    const paragraph = README.slice(start, README.indexOf('\n\n', start));
    for (const port of ports) expect(paragraph).toContain(`127.0.0.1:${port}`);
    expect(paragraph).toMatch(/ACCORD_DATA_DIR/);
  });
});

describe("README.md's scripts table", () => {
  const scripts = Object.keys(
    (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { scripts: object })
      .scripts,
  );
  const section = README.slice(
    README.indexOf('## Scripts'),
    README.indexOf('\n## ', README.indexOf('## Scripts') + 1),
  );
  /** What `npm test` runs and what npm runs on its own: named in the npm test row, or run by npm ci. */
  const ranByOthers = new Set([
    'lint',
    'format:check',
    'typecheck',
    'jest',
    'postinstall',
    'prepare',
    'format',
  ]);

  it.each(scripts.filter((name) => !ranByOthers.has(name)))('names npm run %s', (name) => {
    const row = name === 'start' || name === 'test' ? `| \`npm ${name}\`` : `\`npm run ${name}\``;
    expect(section).toContain(row);
  });
});
