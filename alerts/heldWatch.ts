import { PURPOSES } from '../vocabulary';
import { REFERENCE } from '../policy';
import type { HeldWatch } from './distribute';
import { IDENTIFIERS_SCHEMA, ajv, checkIdentifiers, describeErrors } from './watch';
import { WatchError } from './WatchError';

/** The JSON Schema of what a member receives of a watch (alerts/distribute.ts `HeldWatch`). */
export const HELD_WATCH_SCHEMA = {
  title: 'held watch',
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'watcher',
    'analyst',
    'caseReference',
    'purpose',
    'identifiers',
    'createdAt',
    'justifiedAt',
    'expiresAt',
  ],
  properties: {
    id: { type: 'string', pattern: '^[A-Z]{2}-WCH-[0-9a-f-]{36}$' },
    watcher: { type: 'string', pattern: '^[A-Z]{2}$' },
    analyst: { type: 'string', minLength: 1, maxLength: 200 },
    // The grammar of a case reference everywhere (the Accord-Case header, the hub's register): one pattern.
    caseReference: { type: 'string', pattern: REFERENCE.source },
    purpose: { type: 'string', enum: [...PURPOSES] },
    identifiers: IDENTIFIERS_SCHEMA,
    createdAt: { type: 'integer', minimum: 0 },
    justifiedAt: { type: 'integer', minimum: 0 },
    expiresAt: { type: 'integer', minimum: 0 },
  },
} as const;

const validateHeld = ajv.compile<HeldWatch>(HELD_WATCH_SCHEMA);

/**
 * A watch another member sent, read before it is held: its shape, its identifiers (each normalisable,
 * none twice), its id naming its watcher, and a lifetime no longer than a watch may run. A WatchError
 * lists every problem; nothing is held.
 */
export function readHeldWatch(input: unknown, maxLifetimeMs: number): HeldWatch {
  if (!validateHeld(input)) throw new WatchError(describeErrors(validateHeld.errors ?? []));
  checkIdentifiers(input.identifiers);
  const problems: string[] = [];
  if (!input.id.startsWith(`${input.watcher}-`))
    problems.push(`id: ${input.id} is not a watch of ${input.watcher}`);
  if (input.justifiedAt < input.createdAt)
    problems.push('justifiedAt: a watch is justified when it is created or later');
  if (input.expiresAt <= input.justifiedAt || input.expiresAt - input.justifiedAt > maxLifetimeMs)
    problems.push(
      `expiresAt: a watch runs after its (re)justification for at most ${maxLifetimeMs / 86_400_000} days`,
    );
  if (problems.length > 0) throw new WatchError(problems);
  return Object.freeze({
    ...input,
    identifiers: Object.freeze(input.identifiers.map((i) => Object.freeze({ ...i }))),
  });
}
