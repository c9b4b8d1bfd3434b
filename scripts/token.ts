/**
 * `npm run token -- --country KR --analyst kim.j [--roles analyst,supervisor] [--jit <id>] [--ttl 3600]`,
 * or `npm run token -- --desk --country KH --officer desk.sok` for a desk officer (role `desk`, audience
 * `accord-desk`: it opens that member's own /desk and nothing at the gateway):
 * prints an analyst token signed by the member's demo identity provider (trust/demoIdentityProviders.ts),
 * whose keys `npm start` made under `<data>/idp` — `data/` unless ACCORD_DATA_DIR says otherwise. A folder
 * without them is refused, not filled: keys made here would sign tokens the running gateway and desks
 * refuse (the same rule as `accord login`). Only the token goes to stdout, so
 * `TOKEN=$(npm run -s token -- --country KR --analyst kim.j)` works. Exit codes: 0 printed, 2 bad input.
 */
import { join } from 'node:path';
import { UsageError, parseCommandLine } from '../lib/cliArgs';
import { endQuietlyWhenOutputCloses } from '../lib/closedOutput';
import { dataDirHint, noAccordIn } from '../lib/process';
import { MEMBERS } from '../schema';
import {
  DEFAULT_ANALYST_AUDIENCE,
  DESK_AUDIENCE,
  DESK_ROLE,
  TrustConfigError,
  hasDemoIdentityProvider,
  signDemoAnalystToken,
} from '../trust';
import { nearestNames } from '../vocabulary';

export const USAGE = `usage: npm run token -- --country CC --analyst ID [--roles R1,R2] [--jit ID] [--ttl SECONDS] [--audience AUD]
       npm run token -- --desk --country CC --officer ID [--ttl SECONDS]

  --country   the member whose identity provider signs: ${MEMBERS.map((m) => m.code).join(', ')}
  --analyst   the analyst id: lower-case letters, digits, . _ - (e.g. kim.j)
  --roles     comma-separated (default analyst); legal opens the gateway's /legal workbench
  --jit       the joint team the identity provider attests (e.g. JTF-KR-KH-2025): the gateway then
              refuses an Accord-JIT header naming any other team
  --ttl       lifetime in seconds (default 3600, at most 43200: the gateway's maximum token age)
  --audience  the gateway's audience (default ${DEFAULT_ANALYST_AUDIENCE})
  --desk      a desk officer's token for the member's own desk (/desk on its server): role ${DESK_ROLE},
              audience ${DESK_AUDIENCE}; the gateway refuses it
  --officer   the desk officer's id (with --desk; same shape as an analyst id, e.g. desk.sok)

Keys: <ACCORD_DATA_DIR or data>/idp/<cc>/, made by npm start: give the data folder npm start uses.`;

export interface TokenIo {
  out(text: string): void;
  err(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The repository root (default data folder: <root>/data). */
  readonly root: string;
}

/** The demo identity providers' folder: `<ACCORD_DATA_DIR or <root>/data>/idp`. */
export function demoIdentityProviderDir(
  env: Readonly<Record<string, string | undefined>>,
  root: string,
): string {
  return join(dataFolder(env, root), 'idp');
}

/** `ACCORD_DATA_DIR`, or `<root>/data`: the folder `npm start` keeps its keys and stores in. */
function dataFolder(env: Readonly<Record<string, string | undefined>>, root: string): string {
  return env['ACCORD_DATA_DIR'] || join(root, 'data');
}

export async function tokenCommand(argv: readonly string[], io: TokenIo): Promise<number> {
  const usage = (message: string): number => {
    io.err(`${message}\n\n${USAGE}`);
    return 2;
  };
  /** A value that is wrong: the message says what is expected; the whole usage would bury it. */
  const refuse = (message: string): number => {
    io.err(`${message}\n(npm run token -- --help for every option)`);
    return 2;
  };
  let values;
  try {
    ({ values } = parseCommandLine(argv, {
      options: {
        country: { type: 'string' },
        analyst: { type: 'string' },
        roles: { type: 'string' },
        jit: { type: 'string' },
        ttl: { type: 'string' },
        audience: { type: 'string' },
        desk: { type: 'boolean' },
        officer: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    throw error;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (!values.country) return usage('--country is required.');
  if (values.desk) {
    // A desk token is for the desk only: its audience and role are fixed, never the gateway's.
    if (values.audience !== undefined || values.roles !== undefined || values.jit !== undefined)
      return usage('--desk fixes the audience and the role: leave out --audience, --roles and --jit.');
    if (values.analyst !== undefined && values.officer !== undefined)
      return usage('give the officer once: --officer (or --analyst).');
  } else if (values.officer !== undefined)
    return usage('--officer is for desk tokens: add --desk (or use --analyst for an analyst).');
  const subject = values.officer ?? values.analyst;
  if (!subject) return usage(values.desk ? '--officer is required.' : '--analyst is required.');
  const codes = MEMBERS.map((member) => member.code);
  const country = values.country.toUpperCase();
  if (!codes.includes(country)) {
    const near = nearestNames(country, codes);
    return refuse(
      `${JSON.stringify(values.country)} is not a member${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}; members: ${codes.join(', ')}.`,
    );
  }
  let ttlSeconds: number | undefined;
  if (values.ttl !== undefined) {
    if (!/^\d+$/.test(values.ttl))
      return refuse(`--ttl must be a whole number of seconds, not ${JSON.stringify(values.ttl)}.`);
    ttlSeconds = Number(values.ttl);
  }
  const roles = values.desk
    ? [DESK_ROLE]
    : values.roles === undefined
      ? undefined
      : values.roles.split(',').map((role) => role.trim());

  try {
    const dir = demoIdentityProviderDir(io.env, io.root);
    if (!hasDemoIdentityProvider(dir, country))
      return refuse(
        noAccordIn(
          dataFolder(io.env, io.root),
          `${country}'s demo identity provider (idp/${country.toLowerCase()}/)`,
          dataDirHint(io.env),
        ),
      );
    const token = await signDemoAnalystToken({
      dir,
      country,
      analyst: subject,
      audience: values.desk ? DESK_AUDIENCE : (values.audience ?? DEFAULT_ANALYST_AUDIENCE),
      ...(roles !== undefined ? { roles } : {}),
      ...(values.jit !== undefined ? { jit: values.jit } : {}),
      ...(ttlSeconds !== undefined ? { ttlSeconds } : {}),
    });
    io.out(token);
    return 0;
  } catch (error) {
    if (error instanceof TrustConfigError) return refuse(error.message);
    throw error;
  }
}

if (require.main === module) {
  endQuietlyWhenOutputCloses();
  tokenCommand(process.argv.slice(2), {
    out: (text) => console.log(text),
    err: (text) => console.error(text),
    env: process.env,
    root: join(__dirname, '..'),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
