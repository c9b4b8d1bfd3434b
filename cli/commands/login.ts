import { join } from 'node:path';
import { MEMBERS } from '../../schema/members';
import { DEFAULT_ANALYST_AUDIENCE } from '../../trust/analystVerifier';
import { hasDemoIdentityProvider, signDemoAnalystToken } from '../../trust/demoIdentityProviders';
import { TrustConfigError } from '../../trust/TrustError';
import { dataDirHint, noAccordIn } from '../../lib/process';
import { nearestNames } from '../../vocabulary';
import { UsageError } from '../CliError';
import type { CommandSpec, ParsedLine } from '../commandLine';
import { EXIT } from '../exitCodes';
import type { Io } from '../io';
import { removeSession, saveSession, sessionPath, tokenTimes } from '../session';

/**
 * `accord login`: a token of the analyst's national identity provider, cached for the commands after it.
 * Locally that provider is the demo one `npm start` runs for each member (keys in `<data>/idp`, the same
 * as `npm run token`); a deployment's providers are the members' own.
 */
export const LOGIN: CommandSpec = {
  name: 'login',
  summary: 'sign in as an analyst of a member (the demo identity provider) and cache the token',
  usage: `usage: accord login --country CC --analyst ID [--roles R1,R2] [--jit ID] [--ttl SECONDS] [--json]

  --country CC       your member, whose identity provider signs: ${MEMBERS.map((m) => m.code).join(', ')}
  --analyst ID       your analyst id: lower-case letters, digits, . _ - (e.g. kim.j)
  --roles R1,R2      your roles (default analyst); legal opens the gateway's /legal workbench
  --jit ID           the joint team your identity provider attests (e.g. JTF-KR-KH-2025)
  --ttl SECONDS      how long the token lives (default 3600, at most 43200)
  --json             what was cached (not the token), as JSON
  -h, --help         this help

The token is kept in ACCORD_CLI_HOME, else $XDG_CONFIG_HOME/accord, else ~/.config/accord (session.json,
readable by you only). The demo providers' keys are the ones npm start made in <ACCORD_DATA_DIR or data>/idp: give accord the same
ACCORD_DATA_DIR as npm start.`,
  options: {
    country: { type: 'string' },
    analyst: { type: 'string' },
    roles: { type: 'string' },
    jit: { type: 'string' },
    ttl: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
  positionals: { min: 0, max: 0, what: 'no argument' },
};

export async function login({ values }: ParsedLine, io: Io): Promise<number> {
  const given = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const countryText = given('country');
  const analyst = given('analyst');
  if (!countryText) throw new UsageError('accord login needs --country (your member).', 'login');
  if (!analyst) throw new UsageError('accord login needs --analyst (your analyst id).', 'login');
  const codes = MEMBERS.map((member) => member.code);
  const country = countryText.toUpperCase();
  if (!codes.includes(country)) {
    const near = nearestNames(country, codes);
    throw new UsageError(
      `${JSON.stringify(countryText)} is not a member${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}; members: ${codes.join(', ')}.`,
      'login',
    );
  }
  const ttlText = given('ttl');
  if (ttlText !== undefined && !/^\d+$/.test(ttlText))
    throw new UsageError(`--ttl must be a whole number of seconds, not ${JSON.stringify(ttlText)}.`, 'login');
  const roles = given('roles')
    ?.split(',')
    .map((role) => role.trim()) ?? ['analyst'];
  const jit = given('jit');

  let token: string;
  try {
    const dataDir = io.env['ACCORD_DATA_DIR'] || join(io.root, 'data');
    const dir = join(dataDir, 'idp');
    // The keys are the ones `npm start` made and the gateway trusts: keys made here would sign a token the
    // gateway refuses ("Log in again" forever), so a data folder without them is said, not filled.
    if (!hasDemoIdentityProvider(dir, country)) {
      throw new UsageError(
        noAccordIn(
          dataDir,
          `${country}'s demo identity provider (idp/${country.toLowerCase()}/)`,
          dataDirHint(io.env),
        ),
        'login',
      );
    }
    token = await signDemoAnalystToken({
      dir,
      country,
      analyst,
      roles,
      audience: DEFAULT_ANALYST_AUDIENCE,
      now: io.now(),
      ...(jit !== undefined ? { jit } : {}),
      ...(ttlText !== undefined ? { ttlSeconds: Number(ttlText) } : {}),
    });
  } catch (error) {
    // The provider's refusals say what is wrong with the value (an analyst id, a role, the lifetime).
    if (error instanceof TrustConfigError) throw new UsageError(error.message, 'login');
    throw error;
  }
  // The one the token was just signed with: the clock read once, so expiry and the token agree.
  const expiresAt = new Date(tokenTimes(token)!.expiresAt).toISOString();
  const file = saveSession(io.env, { country, analyst, roles, token, expiresAt });
  if (values['json']) io.out(JSON.stringify({ country, analyst, roles, expiresAt, file }));
  else
    io.out(
      `Logged in as ${analyst} (${country}) until ${expiresAt}; the token is cached in ${file}, readable by you only.`,
    );
  return EXIT.OK;
}

export const LOGOUT: CommandSpec = {
  name: 'logout',
  summary: 'forget the cached token',
  usage:
    'usage: accord logout\n\nDeletes the cached token (session.json); the next command needs accord login again.',
  options: { help: { type: 'boolean', short: 'h' } },
  positionals: { min: 0, max: 0, what: 'no argument' },
};

export function logout(_line: ParsedLine, io: Io): Promise<number> {
  io.out(removeSession(io.env) ? `Logged out: ${sessionPath(io.env)} deleted.` : 'You were not logged in.');
  return Promise.resolve(EXIT.OK);
}
