/**
 * Reading an Accord answer for the analyst: each withheld field with the reason and the routes the
 * gateway gave (errors' extensions: gateway/formatError.ts lets `owner`, `category`, `reason`, `routes`
 * through), and the obligations attached per owner (`extensions.obligations`).
 */
export interface Route {
  readonly text?: string;
  readonly title?: string;
  readonly citation?: string;
  readonly needs?: string;
}

export interface Withheld {
  readonly path: readonly (string | number)[];
  readonly code: string;
  readonly owner?: string;
  readonly category?: string;
  readonly reason?: string;
  readonly routes: readonly Route[];
  readonly message: string;
}

export interface OtherError {
  readonly code?: string;
  readonly message: string;
  readonly path?: readonly (string | number)[];
}

export interface OwnerObligations {
  readonly owner: string;
  readonly releases: readonly {
    readonly title?: string;
    readonly citation?: string;
    readonly categories?: readonly string[];
    readonly obligations?: Readonly<Record<string, unknown>>;
  }[];
}

interface RawError {
  readonly message?: unknown;
  readonly path?: unknown;
  readonly extensions?: Record<string, unknown>;
}

/** A refusal of a field is an error with a path whose extensions say why (a reason, or routes). */
function isWithheld(error: RawError): boolean {
  const extensions = error.extensions ?? {};
  return (
    Array.isArray(error.path) &&
    (typeof extensions['reason'] === 'string' || Array.isArray(extensions['routes']))
  );
}

export function readAnswer(body: unknown): {
  withheld: Withheld[];
  errors: OtherError[];
  obligations: OwnerObligations[];
} {
  const answer = (body ?? {}) as { errors?: unknown; extensions?: Record<string, unknown> };
  const rawErrors = Array.isArray(answer.errors) ? (answer.errors as RawError[]) : [];
  const withheld: Withheld[] = [];
  const errors: OtherError[] = [];
  for (const error of rawErrors) {
    const extensions = error.extensions ?? {};
    const code = typeof extensions['code'] === 'string' ? extensions['code'] : undefined;
    const message = typeof error.message === 'string' ? error.message : '';
    if (isWithheld(error)) {
      withheld.push({
        path: error.path as (string | number)[],
        code: code ?? 'WITHHELD',
        owner: typeof extensions['owner'] === 'string' ? extensions['owner'] : undefined,
        category: typeof extensions['category'] === 'string' ? extensions['category'] : undefined,
        reason: typeof extensions['reason'] === 'string' ? extensions['reason'] : undefined,
        routes: Array.isArray(extensions['routes']) ? (extensions['routes'] as Route[]) : [],
        message,
      });
    } else {
      errors.push({
        code,
        message,
        ...(Array.isArray(error.path) ? { path: error.path as (string | number)[] } : {}),
      });
    }
  }
  const byOwner = answer.extensions?.['obligations'];
  const obligations: OwnerObligations[] =
    byOwner && typeof byOwner === 'object'
      ? Object.entries(byOwner as Record<string, { releases?: OwnerObligations['releases'] }>).map(
          ([owner, entry]) => ({ owner, releases: Array.isArray(entry?.releases) ? entry.releases : [] }),
        )
      : [];
  return { withheld, errors, obligations };
}

/** `["search", 1, "suspects", 0, "fullName"]` → `search[1].suspects[0].fullName`. */
export function pathText(path: readonly (string | number)[]): string {
  return path
    .map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`))
    .join('');
}

/** One line on why a field is withheld and how it could be released: the routes, or that there is none. */
export function withheldSummary(item: Withheld): string {
  const why = item.reason ?? item.code;
  const routes = item.routes
    .map((route) => route.text ?? [route.title, route.citation].filter(Boolean).join(' '))
    .filter(Boolean);
  return routes.length ? `${why}; routes: ${routes.join(' | ')}` : `${why}; no route releases more`;
}

/**
 * The line (1-based) where `path`'s key stands in `text`, an answer formatted as GraphiQL formats it
 * (JSON.stringify with two spaces: every member of a non-empty object or array on its own line). The line
 * is checked to hold the key; undefined when the text is formatted otherwise.
 */
export function lineOf(text: string, path: readonly (string | number)[]): number | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const target = ['data', ...path].join('\0');
  let found: number | undefined;
  // Returns the line after the value that starts on `line`.
  const walk = (value: unknown, at: readonly (string | number)[], line: number): number => {
    if (at.join('\0') === target) found = line;
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((item, i) => [i, item] as [number, unknown])
      : value !== null && typeof value === 'object'
        ? Object.entries(value)
        : [];
    if (entries.length === 0) return line + 1;
    let next = line + 1;
    for (const [key, child] of entries) next = walk(child, [...at, key], next);
    return next + 1;
  };
  walk(parsed, [], 1);
  const last = path[path.length - 1];
  if (found === undefined || typeof last !== 'string') return found;
  return text
    .split('\n')
    [found - 1]?.trimStart()
    .startsWith(`${JSON.stringify(last)}:`)
    ? found
    : undefined;
}
