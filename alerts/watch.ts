import { randomUUID } from 'node:crypto';
import Ajv, { type ErrorObject } from 'ajv';
import { REFERENCE, readFreeText, JUSTIFICATION_MAX_CHARACTERS, JUSTIFICATION_MIN_LETTERS } from '../policy';
import { PURPOSES, nearestNames, type Purpose } from '../vocabulary';
import {
  IDENTIFIER_KINDS,
  identifierKey,
  whyNoKey,
  type Identifier,
  type IdentifierKey,
} from './identifiers';
import { WatchError } from './WatchError';

/**
 * A watch: the watcher's request to be told when a member's record with one of these identifiers changes
 * (issue 11). It is the watcher's data: what of it goes to which member is the watcher's decision
 * (alerts/distribute.ts), and the owner only ever answers with a reference-only notice (alerts/match.ts).
 */
export interface Watch {
  /** `<watcher>-WCH-<uuid>`. */
  readonly id: string;
  /** The member whose analyst registered it. */
  readonly watcher: string;
  readonly analyst: string;
  readonly caseReference: string;
  readonly purpose: Purpose;
  readonly identifiers: readonly Identifier[];
  /** Why: free text, read as every declared text is (policy/freeText.ts). Stays with the watcher. */
  readonly justification: string;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms: the registration or the last renewal, when the justification was given. */
  readonly justifiedAt: number;
  /** Epoch ms, exclusive; at most MAX_WATCH_DAYS after `justifiedAt`. */
  readonly expiresAt: number;
}

/** A watch lives at most this long; renewing it re-justifies it for at most as long again. */
export const MAX_WATCH_DAYS = 30;
export const MAX_WATCH_MS = MAX_WATCH_DAYS * 86_400_000;
/** How many identifiers one watch may name. */
export const MAX_WATCH_IDENTIFIERS = 20;

/** What an analyst registers: the watch without its id and times, and how long it should run. */
export interface WatchRequest {
  readonly caseReference: string;
  readonly purpose: Purpose;
  readonly identifiers: readonly Identifier[];
  readonly justification: string;
  /** 1..MAX_WATCH_DAYS. */
  readonly days: number;
}

const COUNTRY = { type: 'string', pattern: '^[A-Z]{2}$' };
const TEXT = { type: 'string', minLength: 1, maxLength: 200 };

const IDENTIFIER_SCHEMAS: Record<Identifier['kind'], object> = {
  passport: { number: TEXT, issuingCountry: COUNTRY },
  document: { number: TEXT, issuingCountry: COUNTRY },
  phone: { number: TEXT, country: COUNTRY },
  account: { number: TEXT },
  messenger: { app: TEXT, handle: TEXT },
  record: { id: TEXT },
};
const OPTIONAL: Partial<Record<Identifier['kind'], readonly string[]>> = { phone: ['country'] };

/** The JSON Schema of a watch's identifiers: 1..MAX_WATCH_IDENTIFIERS, each of one kind. */
export const IDENTIFIERS_SCHEMA = {
  type: 'array',
  minItems: 1,
  maxItems: MAX_WATCH_IDENTIFIERS,
  items: {
    type: 'object',
    required: ['kind'],
    properties: { kind: { type: 'string' } },
    discriminator: { propertyName: 'kind' },
    oneOf: IDENTIFIER_KINDS.map((kind) => ({
      type: 'object',
      additionalProperties: false,
      required: [
        'kind',
        ...Object.keys(IDENTIFIER_SCHEMAS[kind]).filter((key) => !OPTIONAL[kind]?.includes(key)),
      ],
      properties: { kind: { const: kind }, ...IDENTIFIER_SCHEMAS[kind] },
    })),
  },
} as const;

/** The JSON Schema of a watch request (ajv, as the agreement set's files are validated). */
export const WATCH_REQUEST_SCHEMA = {
  title: 'watch request',
  type: 'object',
  additionalProperties: false,
  required: ['caseReference', 'purpose', 'identifiers', 'justification', 'days'],
  properties: {
    // The grammar of a case reference everywhere (the Accord-Case header, the hub's register): one pattern.
    caseReference: { type: 'string', pattern: REFERENCE.source },
    purpose: { type: 'string', enum: [...PURPOSES] },
    identifiers: IDENTIFIERS_SCHEMA,
    justification: { type: 'string', minLength: 1, maxLength: 2_000 },
    days: { type: 'integer', minimum: 1, maximum: MAX_WATCH_DAYS },
  },
} as const;

export const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, discriminator: true });
const validateRequest = ajv.compile<WatchRequest>(WATCH_REQUEST_SCHEMA);

/** Who registers: the verified analyst and their member (from the token, never from the request). */
export interface Watcher {
  readonly country: string;
  readonly analyst: string;
}

/**
 * A new watch from an analyst's request, or a WatchError listing every problem (nothing is created).
 * `now` is the registration instant (epoch ms).
 */
export function createWatch(input: unknown, watcher: Watcher, now: number, id?: string): Watch {
  const { request, justification } = readWatchRequest(input);
  return Object.freeze({
    id: id ?? `${watcher.country}-WCH-${randomUUID()}`,
    watcher: watcher.country,
    analyst: watcher.analyst,
    caseReference: request.caseReference,
    purpose: request.purpose,
    identifiers: Object.freeze(request.identifiers.map((identifier) => Object.freeze({ ...identifier }))),
    justification,
    createdAt: now,
    justifiedAt: now,
    expiresAt: now + request.days * 86_400_000,
  });
}

/**
 * The watch renewed from `now` for `days` more (1..MAX_WATCH_DAYS), with a new justification: a watch
 * never runs on a reason given more than MAX_WATCH_DAYS ago. Refuses an expired watch (register anew).
 */
export function renewWatch(watch: Watch, justification: unknown, days: unknown, now: number): Watch {
  const problems: string[] = [];
  if (now >= watch.expiresAt) problems.push(`the watch ${watch.id} has expired; register a new one`);
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_WATCH_DAYS)
    problems.push(`days: must be a whole number from 1 to ${MAX_WATCH_DAYS}, not ${JSON.stringify(days)}`);
  let text = '';
  if (typeof justification !== 'string') problems.push('justification: a renewal must be justified again');
  else {
    const read = readWatchJustification(justification, 'justification');
    if (read.ok) text = read.text;
    else problems.push(read.problem);
  }
  if (problems.length > 0) throw new WatchError(problems);
  return Object.freeze({
    ...watch,
    justification: text,
    justifiedAt: now,
    expiresAt: now + (days as number) * 86_400_000,
  });
}

/** The keys a watch's identifiers are matched by, one per identifier, in order. */
export function watchKeys(watch: Pick<Watch, 'identifiers'>): IdentifierKey[] {
  return watch.identifiers.map((identifier) => identifierKey(identifier)!);
}

/** The request and its justification as read, or a WatchError with every problem of both. */
function readWatchRequest(input: unknown): { request: WatchRequest; justification: string } {
  const problems: string[] = [];
  const valid = validateRequest(input);
  if (!valid) problems.push(...describeErrors(validateRequest.errors ?? []));
  else problems.push(...identifierProblems(input.identifiers));
  // The justification is read even when the rest is wrong, so that one answer lists every problem.
  const text = (input as { justification?: unknown } | null)?.justification;
  const justification = typeof text === 'string' ? readWatchJustification(text, 'justification') : undefined;
  if (justification !== undefined && !justification.ok) problems.push(justification.problem);
  if (problems.length > 0 || !valid || justification === undefined || !justification.ok)
    throw new WatchError(problems);
  return { request: input, justification: justification.text };
}

/** Every identifier has a key, and no two the same: else a WatchError listing each problem. */
export function checkIdentifiers(identifiers: readonly Identifier[]): void {
  const problems = identifierProblems(identifiers);
  if (problems.length > 0) throw new WatchError(problems);
}

function identifierProblems(identifiers: readonly Identifier[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  identifiers.forEach((identifier, i) => {
    const key = identifierKey(identifier);
    if (key === undefined) problems.push(`identifiers[${i}] (${identifier.kind}) ${whyNoKey(identifier)}`);
    else if (seen.has(key))
      problems.push(`identifiers[${i}] is the same ${identifier.kind} as identifiers[${seen.get(key)}]`);
    else seen.set(key, i);
  });
  return problems;
}

/** The justification read as declared free text is (policy/freeText.ts), with at least as many letters. */
function readWatchJustification(
  value: string,
  what: string,
): { ok: true; text: string } | { ok: false; problem: string } {
  const read = readFreeText(value, what);
  if (!read.ok) return read;
  const letters = read.text.match(/\p{L}/gu)?.length ?? 0;
  if (letters < JUSTIFICATION_MIN_LETTERS)
    return {
      ok: false,
      problem: `${what}: must say why the watch is needed, in at least ${JUSTIFICATION_MIN_LETTERS} letters (it has ${letters})`,
    };
  // The bound every declared justification keeps (policy/freeText.ts), so the watcher's audit log takes it.
  const length = [...read.text].length;
  if (length > JUSTIFICATION_MAX_CHARACTERS)
    return {
      ok: false,
      problem: `${what}: must be at most ${JUSTIFICATION_MAX_CHARACTERS} characters (it has ${length})`,
    };
  return read;
}

export function describeErrors(errors: readonly ErrorObject[]): string[] {
  const out = new Set<string>();
  for (const error of errors) {
    const where =
      error.instancePath
        .replace(/^\//, '')
        .replace(/\/(\d+)/g, '[$1]')
        .replace(/\//g, '.') || 'the watch';
    switch (error.keyword) {
      case 'required':
        out.add(
          `${where}: missing required field '${(error.params as { missingProperty: string }).missingProperty}'`,
        );
        break;
      case 'additionalProperties':
        out.add(
          `${where}: unknown field '${(error.params as { additionalProperty: string }).additionalProperty}'`,
        );
        break;
      case 'enum': {
        const data = (error as { data?: unknown }).data;
        const value = typeof data === 'string' ? data : '';
        const near = nearestNames(value, PURPOSES);
        out.add(
          `${where}: must be one of ${PURPOSES.join(', ')}${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`,
        );
        break;
      }
      case 'minimum':
      case 'maximum':
      case 'type':
        if (where === 'days') {
          out.add(`days: must be a whole number of days from 1 to ${MAX_WATCH_DAYS}`);
          break;
        }
        out.add(`${where}: ${error.message ?? 'is not valid'}`);
        break;
      case 'discriminator':
        out.add(`${where}.kind: must be one of ${IDENTIFIER_KINDS.join(', ')}`);
        break;
      // In the words the gateway's headers and the other forms use, not the validator's.
      case 'pattern':
        if (where === 'caseReference') {
          const data = (error as { data?: unknown }).data;
          out.add(
            `caseReference: must be 2 to 64 letters, digits or . _ : / - (got ${JSON.stringify(String(data).slice(0, 80))})`,
          );
          break;
        }
        out.add(`${where}: ${error.message ?? 'is not valid'}`);
        break;
      case 'minItems':
      case 'maxItems':
        if (where === 'identifiers') {
          const data = (error as { data?: unknown }).data;
          const count = Array.isArray(data) ? data.length : 0;
          out.add(`identifiers: a watch names 1 to ${MAX_WATCH_IDENTIFIERS} identifiers (it has ${count})`);
          break;
        }
        out.add(`${where}: ${error.message ?? 'is not valid'}`);
        break;
      case 'minLength':
        // An empty justification: its own check says how many letters it needs (readWatchJustification).
        if (where === 'justification') break;
        out.add(`${where}: ${error.message ?? 'is not valid'}`);
        break;
      default:
        out.add(`${where}: ${error.message ?? 'is not valid'}`);
    }
  }
  return [...out];
}
