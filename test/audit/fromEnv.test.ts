/** A service's audit log from its environment (audit/fromEnv.ts): defaults, keys made once and pinned, bad values refused. */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditLogFromEnv, openAuditReader, readTrustedKeys } from '../../audit';

describe('openAuditLogFromEnv', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'accord-audit-env-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('opens <data>/audit/<instance>.db, makes the writer key once and pins it for verify --keys', async () => {
    const first = await openAuditLogFromEnv({
      instance: 'kr',
      dataDir,
      env: { ACCORD_AUDIT_RETENTION_DAYS: '1825' },
    });
    expect(first.retentionDays).toBe(1825);
    expect(first.summary).toContain('kr');
    const publicKey = first.log!.publicKey;
    await first.log!.close();
    const keyFile = join(dataDir, 'audit', 'keys', 'kr.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);

    const again = await openAuditLogFromEnv({ instance: 'kr', dataDir, env: {} });
    expect(again.log!.publicKey).toBe(publicKey); // the same key on every start
    await again.log!.close();
    const other = await openAuditLogFromEnv({ instance: 'gateway-1', dataDir, env: {} });
    await other.log!.close();

    const trusted = readTrustedKeys(join(dataDir, 'audit', 'keys', 'trusted.json'));
    expect([...trusted.keys()].sort()).toEqual(['gateway-1', 'kr']);
    const reader = await openAuditReader(`sqlite:${join(dataDir, 'audit', 'kr.db')}`);
    const report = await reader.verify({ trustedKeys: trusted });
    await reader.close();
    expect(report.problems).toEqual([]);
  });

  it('opens nothing with ACCORD_AUDIT=off, and says so', async () => {
    const off = await openAuditLogFromEnv({ instance: 'gateway-1', dataDir, env: { ACCORD_AUDIT: 'off' } });
    expect(off.log).toBeUndefined();
    expect(off.summary).toMatch(/OFF/);
    expect(existsSync(join(dataDir, 'audit'))).toBe(false);
  });

  it.each([
    [
      { ACCORD_AUDIT_RETENTION_DAYS: 'forever' },
      /ACCORD_AUDIT_RETENTION_DAYS must be a whole number of days ≥ 1, not "forever"/,
    ],
    [{ ACCORD_AUDIT_RETENTION_DAYS: '0' }, /ACCORD_AUDIT_RETENTION_DAYS/],
    [{ ACCORD_AUDIT: 'perhaps' }, /ACCORD_AUDIT is a switch: .*Not "perhaps"/],
    [{ ACCORD_AUDIT_URL: 'mysql://x' }, /sqlite:\/path\/file.db/],
  ])('refuses %j before writing anything', async (env, message) => {
    await expect(openAuditLogFromEnv({ instance: 'kr', dataDir, env })).rejects.toThrow(message);
    expect(existsSync(join(dataDir, 'audit'))).toBe(false);
  });

  it('refuses an instance name that is no writer instance', async () => {
    await expect(openAuditLogFromEnv({ instance: '../kr', dataDir, env: {} })).rejects.toThrow(
      /writer instance/,
    );
  });
});

describe('the trusted keys file', () => {
  it('is valid JSON after several writers pinned their keys', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'accord-audit-env-'));
    try {
      const opened = await Promise.all(
        ['kr', 'kh', 'th', 'ph', 'vn', 'gateway-1'].map((instance) =>
          openAuditLogFromEnv({ instance, dataDir, env: {} }),
        ),
      );
      await Promise.all(opened.map((o) => o.log!.close()));
      const pinned = JSON.parse(
        readFileSync(join(dataDir, 'audit', 'keys', 'trusted.json'), 'utf8'),
      ) as Record<string, string>;
      expect(Object.keys(pinned).sort()).toEqual(['gateway-1', 'kh', 'kr', 'ph', 'th', 'vn']);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
