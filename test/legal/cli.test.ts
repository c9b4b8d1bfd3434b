/**
 * The command as people run it: `npm run policy -- …` and the `accord-policy` bin, in a child process
 * (the other tests call the same main() in-process).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

const root = join(__dirname, '..', '..');

test('package.json wires `npm run policy` and the accord-policy bin to legal/cli.ts', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  expect(pkg.scripts.policy).toBe('tsx legal/cli.ts');
  expect(pkg.bin['accord-policy']).toBe('legal/bin/accord-policy');
});

test('the bin runs a command and exits with its status', () => {
  const ok = spawnSync(
    process.execPath,
    [
      join(root, 'legal', 'bin', 'accord-policy'),
      'explain',
      '--requester',
      'KR',
      '--purpose',
      'investigation',
      '--field',
      'KHSuspect.fullName',
      '--at',
      '2026-06-01',
    ],
    { cwd: root, encoding: 'utf8' },
  );
  expect(ok.status).toBe(0);
  expect(ok.stdout).toContain('## Decision: HIT-ONLY');
  const bad = spawnSync(
    process.execPath,
    [join(root, 'legal', 'bin', 'accord-policy'), 'matrix', '--requester', 'XX'],
    { cwd: root, encoding: 'utf8' },
  );
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain("unknown requester country 'XX'");
  expect(
    execFileSync(process.execPath, [join(root, 'legal', 'bin', 'accord-policy'), 'help'], {
      encoding: 'utf8',
    }),
  ).toContain('usage: npm run policy -- <command>');
}, 30_000);
