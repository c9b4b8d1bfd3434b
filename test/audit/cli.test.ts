/**
 * `npm run audit` as people run it: a real process through the npm script. The commands' behaviour is
 * covered in auditLogSuite.ts (in process, on both stores); this checks the door and the keygen → pin flow.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { openAuditLog } from '../../audit';
import { crossing } from './support/records';

const ROOT = resolve(__dirname, '..', '..');
const run = promisify(execFile);

async function audit(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npm', ['run', '-s', 'audit', '--', ...args], {
      cwd: ROOT,
      env: { ...process.env, ACCORD_AUDIT_LOG: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run audit', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'accord-audit-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes a writer key, and verify pins it', async () => {
    const keyFile = join(dir, 'gw-1.key');
    const keygen = await audit('keygen', '--out', keyFile);
    expect(keygen.code).toBe(0);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const publicKey = keygen.stdout.trim().split('\n').at(-1)!;
    expect(publicKey).toMatch(/^MCowBQYDK2VwAyEA[A-Za-z0-9+/]+=*$/);
    expect((await audit('keygen', '--out', keyFile)).stderr).toMatch(/exists: keygen never overwrites a key/);

    const url = `sqlite:${join(dir, 'audit.db')}`;
    const log = await openAuditLog({
      url,
      writer: { instance: 'gw-1', privateKeyPem: readFileSync(keyFile, 'utf8') },
    });
    await log.append(crossing('consultation', 1));
    await log.close();

    const keys = join(dir, 'keys.json');
    writeFileSync(keys, JSON.stringify({ 'gw-1': publicKey }));
    const verified = await audit('verify', '--log', url, '--keys', keys);
    expect(verified).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/VERIFIED — 1 chain\(s\), 2 entries, keys pinned/),
    });

    writeFileSync(keys, JSON.stringify({ 'gw-1': 'not a key' }));
    expect(await audit('verify', '--log', url, '--keys', keys)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/the key for "gw-1" is not an Ed25519 public key/),
    });
  }, 60_000);

  it('prints its usage, and refuses what it does not know', async () => {
    expect(await audit('help')).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^usage: npm run audit -- <command>/),
    });
    expect(await audit('verify')).toMatchObject({ code: 2, stderr: expect.stringMatching(/Which log\?/) });
  }, 60_000);
});
