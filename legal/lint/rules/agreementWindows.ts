import type { Agreement, Clause } from '../../../policy/core';
import { dayStart, DAY_MS, formatInstant } from '../../domain';

/** An agreement's window, and each joint team's window with the clauses that depend on it. */
export interface Window {
  readonly agreement: Agreement;
  /** Undefined for the agreement's own window. */
  readonly team?: { readonly id: string; readonly clauses: readonly Clause[] };
  readonly from: string;
  readonly until?: string;
}

export function windowsOf(agreement: Agreement): Window[] {
  const windows: Window[] = [
    {
      agreement,
      from: agreement.inForce.from,
      ...(agreement.inForce.until !== undefined && { until: agreement.inForce.until }),
    },
  ];
  const teams = new Map<string, Clause[]>();
  for (const clause of agreement.clauses) {
    const team = clause.conditions.jointTeam;
    if (team !== undefined) teams.set(team.id, [...(teams.get(team.id) ?? []), clause]);
  }
  for (const [id, clauses] of teams) {
    const team = clauses[0]!.conditions.jointTeam!;
    windows.push({ agreement, team: { id, clauses }, from: team.validFrom, until: team.validUntil });
  }
  return windows;
}

/** True when the window's last day (inclusive) ended before `at`. */
export const endedBefore = (window: Window, at: number): boolean =>
  window.until !== undefined && dayStart(window.until) + DAY_MS <= at;

/** The day of `at`, as the messages print it. */
export const dayOf = (at: number): string => formatInstant(at - (at % DAY_MS));

/** The clauses a team window governs, by citation, for the messages. */
export const citationsOf = (window: Window): string =>
  (window.team?.clauses ?? []).map((clause) => clause.citation).join(', ');
