import { NOTICE_COLOURS, PURPOSES, isPurpose, nearestNames, noticeColourOf } from '../vocabulary';
import { codePointName, readJustification } from './freeText';
import type { RequestContext } from './types';

/**
 * The wire form of a RequestContext: the `Accord-*` HTTP headers an analyst's client sends to the
 * gateway (who asks, and why) and the gateway forwards to every subgraph. Parsing is strict: a header
 * that is present must be well formed, so a typo never silently becomes "no purpose" or "no case".
 */
export const REQUEST_HEADERS = {
  country: 'accord-country',
  analyst: 'accord-analyst',
  roles: 'accord-roles',
  purpose: 'accord-purpose',
  caseReference: 'accord-case',
  requestReference: 'accord-request-ref',
  jointTeam: 'accord-jit',
  /** From the analyst: the id of an emergency registration (`EMG-KR-…`), never a time. */
  emergency: 'accord-emergency',
  /** Gateway → owner only: the registration's instant and justification, resolved by the gateway. */
  emergencyRegisteredAt: 'accord-emergency-registered-at',
  justification: 'accord-justification',
  interpolNotice: 'accord-notice',
  warrantReference: 'accord-warrant',
} as const;

/** A reference (case, request, joint team, notice, warrant): 2 to 64 letters, digits or `. _ : / -`. */
export const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._:/-]{1,63}$/;
/** An analyst id: lower-case letters, digits, `.`, `_`, `-`; 1 to 64, starting with a letter or digit. */
export const ANALYST_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** A role: a short lower-case word (`analyst`, `supervisor`, `duty_officer`). */
export const ROLE = /^[a-z][a-z0-9_-]{0,31}$/;
const COUNTRY = /^[A-Z]{2}$/;
/**
 * An emergency registration's id, as the hub makes it (emergencies/registration.ts): `EMG-`, the country
 * that registered it, ten upper-case hex digits.
 */
export const EMERGENCY_REGISTRATION = /^EMG-[A-Z]{2}-[0-9A-F]{10}$/;
/** A registration may not be dated in the future beyond this clock skew. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** What a header value may hold on the wire: printable ASCII. Anything else travels percent-encoded. */
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;

export type HeaderReader = (name: string) => string | undefined;

/**
 * The context, and from an analyst's headers the emergency registration they name (still to be resolved
 * by the gateway against the hub's registry: gateway/emergencies.ts). From the gateway's forwarded context
 * the emergency is already resolved, in `context.emergency`.
 */
export type ParsedRequestContext =
  | { readonly ok: true; readonly context: RequestContext; readonly emergencyRegistration?: string }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Reads a RequestContext from headers. `identity` supplies the country and analyst when they come from a
 * verified token instead of headers. A joint team the identity provider attests (the token's `jit`) is
 * not a basis by itself (the Accord-JIT header and the team's named members in the agreements are), but a
 * header it contradicts is refused: the analyst's own provider says they act for another team.
 */
export function parseRequestHeaders(
  read: HeaderReader,
  now: number,
  identity?: {
    readonly country: string;
    readonly analyst: string;
    readonly roles: readonly string[];
    readonly jit?: string;
  },
): ParsedRequestContext {
  const problems: string[] = [];
  const header = (name: string): string | undefined => {
    const raw = read(name);
    // Checked before trimming: JavaScript's trim() would silently drop a raw no-break space (byte A0).
    const wrong = raw === undefined ? null : NOT_PRINTABLE_ASCII.exec(raw);
    if (wrong) {
      // Node reads header bytes as Latin-1, so raw UTF-8 arrives as mojibake: refuse it rather than guess.
      problems.push(
        `${name} holds a character that is not printable ASCII (${codePointName(wrong[0])} at character ${wrong.index + 1}): ` +
          'send text other than printable ASCII as percent-encoded UTF-8 (encodeURIComponent).',
      );
      return undefined;
    }
    const value = raw?.trim();
    return value ? value : undefined;
  };
  const reference = (name: string): string | undefined => {
    const value = header(name);
    if (value !== undefined && !REFERENCE.test(value)) {
      problems.push(
        `${name} must be 2 to 64 letters, digits or . _ : / - (got ${JSON.stringify(value.slice(0, 80))}).`,
      );
    }
    return value;
  };

  let country = identity?.country;
  let analyst = identity?.analyst;
  let roles = identity?.roles;
  if (!identity) {
    country = header(REQUEST_HEADERS.country);
    analyst = header(REQUEST_HEADERS.analyst);
    if (!country || !COUNTRY.test(country))
      problems.push(`${REQUEST_HEADERS.country} must be the requester's ISO 3166-1 alpha-2 code (e.g. KR).`);
    if (!analyst || !ANALYST_ID.test(analyst))
      problems.push(
        `${REQUEST_HEADERS.analyst} must be the analyst's id: lower-case letters, digits, . _ - (e.g. kim.j).`,
      );
    roles = (header(REQUEST_HEADERS.roles) ?? 'analyst').split(',').map((role) => role.trim());
    for (const role of roles)
      if (!ROLE.test(role))
        problems.push(`${REQUEST_HEADERS.roles} has a malformed role ${JSON.stringify(role)}.`);
  }

  const purposeText = header(REQUEST_HEADERS.purpose);
  if (purposeText !== undefined && !isPurpose(purposeText)) {
    const near = nearestNames(purposeText, PURPOSES);
    problems.push(
      `${REQUEST_HEADERS.purpose} ${JSON.stringify(purposeText)} is not a purpose${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}; purposes: ${PURPOSES.join(', ')}.`,
    );
  }
  const caseReference = reference(REQUEST_HEADERS.caseReference);
  const requestReference = reference(REQUEST_HEADERS.requestReference);
  const jointTeam = reference(REQUEST_HEADERS.jointTeam);
  if (jointTeam !== undefined && identity?.jit !== undefined && jointTeam !== identity.jit) {
    problems.push(
      `${REQUEST_HEADERS.jointTeam} ${JSON.stringify(jointTeam)} contradicts the joint team your identity token attests (${identity.jit}): send that team, or a token without one.`,
    );
  }
  const interpolNotice = reference(REQUEST_HEADERS.interpolNotice);
  if (
    interpolNotice !== undefined &&
    REFERENCE.test(interpolNotice) &&
    noticeColourOf(interpolNotice) === undefined
  ) {
    // A notice serves one kind of cooperation (vocabulary/interpolNotices.ts): its colour says which.
    problems.push(
      `${REQUEST_HEADERS.interpolNotice} must name the notice's colour and its id, e.g. red:A-1234/5-2026 (colours: ${NOTICE_COLOURS.join(', ')}).`,
    );
  }
  const warrantReference = reference(REQUEST_HEADERS.warrantReference);

  // An emergency is registered once, at the hub (declareEmergency); the analyst names the registration.
  // The gateway resolves it and forwards its instant and justification to the owners, which read them here.
  let emergency: RequestContext['emergency'];
  let emergencyRegistration: string | undefined;
  if (identity) emergencyRegistration = analystEmergency(header, problems);
  else emergency = forwardedEmergency(header, now, country, problems);

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    ...(emergencyRegistration !== undefined ? { emergencyRegistration } : {}),
    context: {
      country: country!,
      analyst: analyst!,
      roles: roles ?? [],
      ...(purposeText !== undefined ? { purpose: purposeText as RequestContext['purpose'] } : {}),
      ...(caseReference ? { caseReference } : {}),
      ...(requestReference ? { requestReference } : {}),
      ...(jointTeam ? { jointTeam } : {}),
      ...(emergency ? { emergency } : {}),
      ...(interpolNotice ? { interpolNotice } : {}),
      ...(warrantReference ? { warrantReference } : {}),
    },
  };
}

/**
 * `Accord-Emergency` from an analyst: the id of a registration. A time (the old way, which let a second
 * declaration restart the window) and `Accord-Justification` (the justification is given once, when
 * registering) are refused with what to do instead.
 */
function analystEmergency(
  header: (name: string) => string | undefined,
  problems: string[],
): string | undefined {
  const named = header(REQUEST_HEADERS.emergency);
  if (header(REQUEST_HEADERS.justification) !== undefined) {
    problems.push(
      `${REQUEST_HEADERS.justification} is no longer sent with requests: give the justification once, to the declareEmergency mutation, and send the registration id it returns in ${REQUEST_HEADERS.emergency}.`,
    );
  }
  if (named === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}/.test(named)) {
    problems.push(
      `${REQUEST_HEADERS.emergency} no longer takes a time: register the emergency with the declareEmergency mutation (caseReference, justification) and send the registration id it returns (e.g. EMG-KR-0123456789).`,
    );
    return undefined;
  }
  if (!EMERGENCY_REGISTRATION.test(named)) {
    problems.push(
      `${REQUEST_HEADERS.emergency} must name an emergency registration, as declareEmergency returns it (EMG-, your country code, 10 hex digits; got ${JSON.stringify(named.slice(0, 80))}).`,
    );
    return undefined;
  }
  return named;
}

/**
 * The emergency in the gateway's forwarded context: the registration id, its instant and its justification,
 * all three or none. The justification is read with the one reading (freeText.ts) again: the owner relies
 * on nothing it did not check.
 */
function forwardedEmergency(
  header: (name: string) => string | undefined,
  now: number,
  country: string | undefined,
  problems: string[],
): RequestContext['emergency'] {
  const id = header(REQUEST_HEADERS.emergency);
  const registeredText = header(REQUEST_HEADERS.emergencyRegisteredAt);
  const before = problems.length;
  const justificationText = decodeText(
    header(REQUEST_HEADERS.justification),
    REQUEST_HEADERS.justification,
    problems,
  );
  if (id === undefined && registeredText === undefined && justificationText === undefined) return undefined;
  if (id === undefined || registeredText === undefined || justificationText === undefined) {
    problems.push(
      `An emergency travels as ${REQUEST_HEADERS.emergency}, ${REQUEST_HEADERS.emergencyRegisteredAt} and ${REQUEST_HEADERS.justification} together.`,
    );
    return undefined;
  }
  if (!EMERGENCY_REGISTRATION.test(id))
    problems.push(`${REQUEST_HEADERS.emergency} must name an emergency registration (EMG-…).`);
  // The gateway resolves only the requester's own country's registrations; anything else is not its context.
  else if (!id.startsWith(`EMG-${country}-`))
    problems.push(
      `${REQUEST_HEADERS.emergency} names a registration of another country than the requester's.`,
    );
  const declaredAt = Date.parse(registeredText);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(registeredText) || Number.isNaN(declaredAt)) {
    problems.push(`${REQUEST_HEADERS.emergencyRegisteredAt} must be an ISO 8601 time.`);
  } else if (declaredAt > now + CLOCK_SKEW_MS) {
    problems.push(`${REQUEST_HEADERS.emergencyRegisteredAt} is in the future.`);
  }
  const read = readJustification(justificationText, REQUEST_HEADERS.justification);
  if (!read.ok) problems.push(read.problem);
  return problems.length > before || !read.ok ? undefined : { id, declaredAt, justification: read.text };
}

/**
 * Free text in a header: HTTP header values are bytes, read as Latin-1, so a justification in Korean or
 * Khmer travels percent-encoded UTF-8 (`encodeURIComponent`). A value with `%` is decoded; one that does not
 * decode is refused rather than guessed at.
 */
function decodeText(value: string | undefined, name: string, problems: string[]): string | undefined {
  if (value === undefined || !value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    problems.push(
      `${name} has a malformed percent-encoding: send UTF-8 text percent-encoded (encodeURIComponent).`,
    );
    return undefined;
  }
}

/** Printable ASCII stays as it is; anything else (and `%`) is percent-encoded UTF-8. */
function encodeText(value: string): string {
  return /^[\x20-\x24\x26-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
}

/** The headers that carry a RequestContext to a subgraph. */
export function requestContextHeaders(context: RequestContext): Record<string, string> {
  const headers: Record<string, string> = {
    [REQUEST_HEADERS.country]: context.country,
    [REQUEST_HEADERS.analyst]: context.analyst,
    [REQUEST_HEADERS.roles]: context.roles.join(','),
  };
  if (context.purpose) headers[REQUEST_HEADERS.purpose] = context.purpose;
  if (context.caseReference) headers[REQUEST_HEADERS.caseReference] = context.caseReference;
  if (context.requestReference) headers[REQUEST_HEADERS.requestReference] = context.requestReference;
  if (context.jointTeam) headers[REQUEST_HEADERS.jointTeam] = context.jointTeam;
  // Only a registered emergency travels: a hypothetical one (no id: legal/ explain) is no declaration.
  if (context.emergency?.id !== undefined) {
    headers[REQUEST_HEADERS.emergency] = context.emergency.id;
    headers[REQUEST_HEADERS.emergencyRegisteredAt] = new Date(context.emergency.declaredAt).toISOString();
    headers[REQUEST_HEADERS.justification] = encodeText(context.emergency.justification);
  }
  if (context.interpolNotice) headers[REQUEST_HEADERS.interpolNotice] = context.interpolNotice;
  if (context.warrantReference) headers[REQUEST_HEADERS.warrantReference] = context.warrantReference;
  return headers;
}
