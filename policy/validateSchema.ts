/**
 * Validates a parsed file against its JSON Schema (policy/agreementSchemas.ts) and turns ajv's errors into
 * problems a legal reviewer can act on: file, line, what is wrong, and the nearest valid names.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { META_REFERENCE, nearestNames } from '../vocabulary';
import type { Problem } from './AgreementSetError';
import type { PathSegment, YamlSource } from './yamlSource';

type JsonSchema = Readonly<Record<string, unknown>>;

const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
const compiled = new Map<JsonSchema, ValidateFunction>();

export function validateSchema(source: YamlSource, schema: JsonSchema): Problem[] {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(source.value)) return [];
  const errors = validate.errors ?? [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const error of withoutAnyOfDetail(errors)) {
    // A bad property name is reported by the nested error on the name itself, at the name's line.
    if (error.keyword === 'propertyNames') continue;
    const problem = toProblem(source, error);
    const key = `${problem.line}\u0000${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}

/** An `anyOf` that failed reports once, in its own words, not once per alternative. */
function withoutAnyOfDetail(errors: readonly ErrorObject[]): ErrorObject[] {
  const failedAnyOf = errors.filter((error) => error.keyword === 'anyOf').map((error) => error.schemaPath);
  return errors.filter(
    (error) =>
      error.keyword === 'anyOf' || !failedAnyOf.some((path) => error.schemaPath.startsWith(`${path}/`)),
  );
}

function toProblem(source: YamlSource, error: ErrorObject): Problem {
  const objectPath = pointerToPath(error.instancePath);
  const path = error.propertyName === undefined ? objectPath : [...objectPath, error.propertyName];
  const parent = (error.parentSchema ?? {}) as {
    title?: string;
    description?: string;
    properties?: object;
    enum?: unknown[];
  };
  const where = describe(objectPath);
  switch (error.keyword) {
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      return source.problem(path, `${where}: missing required field '${missing}'${titled(parent.title)}`);
    }
    case 'additionalProperties': {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys(parent.properties ?? {});
      if (parent.title === 'categories' && extra === META_REFERENCE) {
        return source.problem(
          [...objectPath, extra],
          `${where}: ${META_REFERENCE} is implied (it goes wherever any category goes) and is not listed`,
          { key: true },
        );
      }
      const what =
        parent.title === 'categories' ? `category '${extra}'` : `field '${extra}'${titled(parent.title)}`;
      return source.problem([...objectPath, extra], `${where}: unknown ${what}${suggest(extra, known)}`, {
        key: true,
      });
    }
    case 'enum': {
      const value = error.propertyName ?? String(error.data);
      const allowed = (parent.enum ?? []).map(String);
      const noun = parent.title ?? 'value';
      const hint = suggest(value, allowed) || ` (one of: ${allowed.join(', ')})`;
      return source.problem(path, `${where}: unknown ${noun} '${value}'${hint}`, {
        key: error.propertyName !== undefined,
      });
    }
    case 'pattern':
      return source.problem(
        path,
        `${where}: '${error.propertyName ?? String(error.data)}' is not a valid ${parent.title ?? 'value'}${parent.description ? ` (${parent.description})` : ''}`,
        { key: error.propertyName !== undefined },
      );
    case 'anyOf':
      return source.problem(
        path,
        `${where}: ${JSON.stringify(error.data)} is not a valid ${parent.title ?? 'value'}. ${parent.description ?? ''}`.trim(),
      );
    case 'type':
      return source.problem(path, `${where}: must be ${article((error.params as { type: string }).type)}`);
    default:
      return source.problem(path, `${where}: ${error.message ?? 'is invalid'}`);
  }
}

/** "/clauses/0/categories" → ['clauses', 0, 'categories'] (JSON Pointer, RFC 6901). */
function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

/** A path as a reviewer reads it: clauses[0].conditions.jointTeam */
export function describe(path: readonly PathSegment[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`))
    .join('');
}

function suggest(word: string, candidates: readonly string[]): string {
  const near = nearestNames(word, candidates);
  return near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : '';
}

function titled(title: string | undefined): string {
  return title !== undefined ? ` in ${title}` : '';
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
