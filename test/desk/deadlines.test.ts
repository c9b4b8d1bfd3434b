/**
 * Due times of follow-up requests (issue 9 item 4): Directive (EU) 2023/977 art. 5(1) by default (8 hours
 * urgent with direct access, 3 days urgent, 7 days otherwise), and an agreement's own `requestDeadlines`
 * where it sets them, validated when the agreement set loads.
 */
import { AgreementSetError, loadAgreementSet } from '../../policy';
import { dueAt } from '../../subgraphs/desk';
import { MEMBERS, MLAT, removeSets, writeSet } from '../policy/fixtureSet';

afterAll(removeSets);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FILED = Date.parse('2026-06-15T09:00:00Z');

/** The fixture MLAT with `requestDeadlines` (YAML lines) added at its top level. */
function withDeadlines(yaml: string): string {
  return `${MLAT}requestDeadlines:\n${yaml}`;
}

describe("the directive's times, when the agreement sets none", () => {
  test.each([
    ['urgent-direct', 8 * HOUR],
    ['urgent', 3 * DAY],
    ['normal', 7 * DAY],
  ] as const)('%s: due %d ms after filing', (urgency, after) => {
    expect(dueAt(urgency, FILED)).toBe(FILED + after);
    expect(dueAt(urgency, FILED, {})).toBe(FILED + after);
  });
});

describe("an agreement's own times", () => {
  test("override the directive's, each on its own", () => {
    const agreement = loadAgreementSet(
      writeSet({
        'members.yaml': MEMBERS,
        'instruments/a.yaml': withDeadlines('  urgentDirectHours: 4\n  normalDays: 30\n'),
      }),
    ).agreements[0]!;
    expect(agreement.requestDeadlines).toEqual({ urgentDirectHours: 4, normalDays: 30 });
    expect(dueAt('urgent-direct', FILED, agreement)).toBe(FILED + 4 * HOUR);
    expect(dueAt('normal', FILED, agreement)).toBe(FILED + 30 * DAY);
    // Not set by the agreement: the directive's.
    expect(dueAt('urgent', FILED, agreement)).toBe(FILED + 3 * DAY);
  });

  test.each([
    ['zero hours', '  urgentDirectHours: 0\n'],
    ['a fraction of a day', '  urgentDays: 1.5\n'],
    ['words', '  normalDays: a week\n'],
    ['an unknown time', '  urgentWeeks: 1\n'],
    ['nothing at all', '  {}\n'],
    ['a year', '  normalDays: 365\n'],
  ])('are refused when the agreement set loads: %s', (_name, yaml) => {
    expect(() =>
      loadAgreementSet(writeSet({ 'members.yaml': MEMBERS, 'instruments/a.yaml': withDeadlines(yaml) })),
    ).toThrow(AgreementSetError);
  });
});
