// Every `extensions.code` an end-to-end suite sees is one of the closed set (issue 15, docs/style.md
// rule 5). Loaded before each test file (jest.config.js setupFilesAfterEnv); in test/e2e it wraps the
// global fetch, through which test/support/alliance.ts `post` and every raw request of the suites go,
// reads each JSON answer's `errors`, and fails the file after its tests when a code is missing or not in
// ERROR_CODES. test/e2e/error-codes.test.ts checks that the watch sees what the suites see, so it cannot
// pass by seeing nothing.
import { isErrorCode } from '../../vocabulary';

/** What the watch saw in this test file: each code, and the first request that got it. */
export interface SeenCodes {
  readonly codes: ReadonlyMap<string, string>;
  /** JSON answers read (with or without errors). */
  readonly answers: number;
}

const codes = new Map<string, string>();
let answers = 0;
let installed = false;
/** Answers being read: the watch reads its own copy beside the test, never holding the test's answer back. */
const pending = new Set<Promise<void>>();

/** The codes the watch has seen in this test file once the answers received so far are read (none outside test/e2e). */
export async function seenErrorCodes(): Promise<SeenCodes> {
  await Promise.all(pending);
  return { codes: new Map(codes), answers };
}

/** Whether the watch is on for this file (test/e2e only: other suites talk to fakes on purpose). */
export function errorCodeWatchInstalled(): boolean {
  return installed;
}

const MISSING = '(no code)';

/** The codes of a GraphQL answer's errors; an error without one is recorded as MISSING. */
export function errorCodesOf(body: unknown): string[] {
  if (body === null || typeof body !== 'object' || !('errors' in body) || !Array.isArray(body.errors))
    return [];
  return (body.errors as unknown[]).map((error) => {
    const extensions =
      error !== null && typeof error === 'object' && 'extensions' in error ? error.extensions : undefined;
    const code =
      extensions !== null &&
      typeof extensions === 'object' &&
      extensions !== undefined &&
      'code' in extensions
        ? extensions.code
        : undefined;
    return typeof code === 'string' ? code : MISSING;
  });
}

async function record(copy: Response, where: string): Promise<void> {
  let body: unknown;
  try {
    body = JSON.parse(await copy.text()) as unknown;
  } catch {
    return; // Not JSON after all, or the connection closed: nothing a GraphQL client would read codes from.
  }
  answers += 1;
  for (const code of errorCodesOf(body)) if (!codes.has(code)) codes.set(code, where);
}

function install(): void {
  const original = globalThis.fetch;
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const response = await original(input, init);
    if (/json/i.test(response.headers.get('content-type') ?? '')) {
      const url = new URL(input instanceof Request ? input.url : String(input));
      // A copy, taken before the test reads the answer, which it gets untouched and at once.
      const reading = record(
        response.clone(),
        `${init?.method ?? (input instanceof Request ? input.method : 'GET')} ${url.pathname} (HTTP ${response.status})`,
      ).finally(() => pending.delete(reading));
      pending.add(reading);
    }
    return response;
  };
  installed = true;
  afterAll(async () => {
    await Promise.all(pending);
    const outside = [...codes].filter(([code]) => !isErrorCode(code));
    if (outside.length > 0) {
      throw new Error(
        `Codes outside the closed set (vocabulary/errorCodes.ts) reached a client: ${outside.map(([code, where]) => `${code} at ${where}`).join('; ')}.`,
      );
    }
  });
}

const testPath = expect.getState().testPath ?? '';
if (/[\\/]test[\\/]e2e[\\/]/.test(testPath)) install();
