/**
 * How the hub reads the owners' notice keys and opens its alert log from its environment
 * (subgraphs/alliance/alertLog/noticeKeys.ts, openAlertLog.ts; docs/operations.md).
 */
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noticePublicKey } from '../../alerts';
import {
  ALERTS_URL_VARIABLE,
  NOTICE_KEYS_VARIABLE,
  NoticeKeysError,
  alertLogFile,
  folderNoticeKeys,
  noticeKeyFolder,
  noticeKeysFromEnv,
  openAlertLogFromEnv,
  pinnedNoticeKeys,
} from '../../subgraphs/alliance';
import { CODES, OWNER_KEYS } from './support/alertNotices';

const [FIRST, SECOND] = CODES as [string, string];
const spki = (code: string) => noticePublicKey(OWNER_KEYS.get(code)!);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'accord-notice-keys-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe(NOTICE_KEYS_VARIABLE, () => {
  it('pins each member its key, and knows no other owner', () => {
    const keys = pinnedNoticeKeys(JSON.stringify({ [FIRST]: spki(FIRST) }), CODES);
    expect(keys.keyOf(FIRST)).toBe(spki(FIRST));
    expect(keys.keyOf(SECOND)).toBeUndefined();
  });

  it.each([
    ['not JSON', '{', /is not valid JSON/],
    ['a list', '[]', /must be a JSON object, not a list/],
    ['a string', '"x"', /must be a JSON object, not string/],
    ['not a member', JSON.stringify({ ZZ: 'AAAA' }), /"ZZ" is not a member code/],
    [
      'a key that is not one',
      JSON.stringify({ KR: 'not a key' }),
      /the key of KR is not an Ed25519 public key/,
    ],
    [
      'an RSA key',
      JSON.stringify({
        KR: createPublicKey(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey)
          .export({ type: 'spki', format: 'der' })
          .toString('base64'),
      }),
      /the key of KR is not an Ed25519 public key/,
    ],
  ])('stops the hub, naming the variable, for %s', (_what, value, message) => {
    const read = () => pinnedNoticeKeys(value, CODES);
    expect(read).toThrow(NoticeKeysError);
    expect(read).toThrow(new RegExp(NOTICE_KEYS_VARIABLE));
    expect(read).toThrow(message);
  });

  it('says every problem at once, and never a key back', () => {
    const value = JSON.stringify({ ZZ: spki(FIRST), [SECOND]: 'c2VjcmV0' });
    let message = '';
    try {
      pinnedNoticeKeys(value, CODES);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/"ZZ" is not a member code.*the key of/);
    expect(message).not.toContain(spki(FIRST));
    expect(message).not.toContain('c2VjcmV0');
  });
});

describe('the folder members publish their notice keys to', () => {
  it('is read again when an owner without a key is met, in either form a member may write', () => {
    const folder = noticeKeyFolder(dir);
    const keys = folderNoticeKeys(folder, CODES);
    expect(keys.keyOf(FIRST)).toBeUndefined();
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${FIRST}.spki`), `${spki(FIRST)}\n`);
    writeFileSync(join(folder, `${SECOND}.spki`), Buffer.from(spki(SECOND), 'base64'));
    // Neither a member nor a key: ignored.
    writeFileSync(join(folder, 'ZZ.spki'), spki(FIRST));
    writeFileSync(join(folder, `${CODES[2]}.spki`), 'garbage');
    expect(keys.keyOf(FIRST)).toBe(spki(FIRST));
    expect(keys.keyOf(SECOND)).toBe(spki(SECOND));
    expect(keys.keyOf('ZZ')).toBeUndefined();
    expect(keys.keyOf(CODES[2]!)).toBeUndefined();
  });

  it('is used when the variable is unset or blank, and not when it is set', () => {
    const folder = noticeKeyFolder(dir);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${FIRST}.spki`), spki(FIRST));
    expect(noticeKeysFromEnv({}, dir, CODES).keyOf(FIRST)).toBe(spki(FIRST));
    expect(noticeKeysFromEnv({ [NOTICE_KEYS_VARIABLE]: ' ' }, dir, CODES).keyOf(FIRST)).toBe(spki(FIRST));
    const pinned = noticeKeysFromEnv(
      { [NOTICE_KEYS_VARIABLE]: JSON.stringify({ [SECOND]: spki(SECOND) }) },
      dir,
      CODES,
    );
    expect(pinned.keyOf(FIRST)).toBeUndefined();
    expect(pinned.keyOf(SECOND)).toBe(spki(SECOND));
  });
});

describe(ALERTS_URL_VARIABLE, () => {
  it('unset: SQLite in the data folder', async () => {
    const log = await openAlertLogFromEnv({ env: {}, dataDir: dir, members: CODES });
    try {
      expect(log.description).toBe(`SQLite ${alertLogFile(dir)}`);
      expect(alertLogFile(dir)).toBe(join(dir, 'alliance-alerts.sqlite'));
      expect(existsSync(alertLogFile(dir))).toBe(true);
    } finally {
      await log.close();
    }
  });

  it('refuses a URL that is not PostgreSQL, naming the variable and not the value', async () => {
    await expect(
      openAlertLogFromEnv({
        env: { [ALERTS_URL_VARIABLE]: 'mysql://root:hunter2@db/alerts' },
        dataDir: dir,
        members: CODES,
      }),
    ).rejects.toThrow(new RegExp(`^${ALERTS_URL_VARIABLE} must be a PostgreSQL URL`));
    await expect(
      openAlertLogFromEnv({
        env: { [ALERTS_URL_VARIABLE]: 'mysql://root:hunter2@db/alerts' },
        dataDir: dir,
        members: CODES,
      }),
    ).rejects.not.toThrow(/hunter2/);
  });
});
