import { createWatch, distributeWatch, type Identifier } from '../../alerts';
import { loadDefaultPolicy } from '../../policy';
import { MEMBERS } from '../../schema';
import { PURPOSES, type Purpose } from '../../vocabulary';
import { TEST_NOW } from '../support/alliance';
import { modelSends } from './modelDistribution';

/**
 * The watcher's decision on where a watch goes (alerts/distribute.ts), against the reference model
 * (legal/model): an identifier goes to a member exactly when the watcher's agreements release its category
 * to that member for the watch's purpose; nothing else goes, and a member with nothing to receive gets
 * nothing. Members, pairs and purposes come from the registry and the vocabulary; what is allowed, from the
 * agreements.
 */
const policy = loadDefaultPolicy();
const members = MEMBERS.map((member) => member.code);

/** One identifier of every kind, each well formed. */
const EVERY_KIND: readonly Identifier[] = [
  { kind: 'passport', number: 'M55503183', issuingCountry: 'KR' },
  { kind: 'document', number: 'TD1234567', issuingCountry: 'KR' },
  { kind: 'phone', number: '+82 10-5552-3318' },
  { kind: 'account', number: '110-234-567890' },
  { kind: 'messenger', app: 'telegram', handle: '@tiger_dgm' },
  { kind: 'record', id: 'KH-SUS-000001' },
];

/** The model's answer (test/alerts/modelDistribution.ts): may this identifier go to `member`? */
function released(watcher: string, member: string, purpose: Purpose, identifier: Identifier): boolean {
  return modelSends(watcher, member, purpose, identifier, { caseReference: 'X-CAS-1', at: TEST_NOW });
}

const cases = members.flatMap((watcher) => PURPOSES.map((purpose) => [watcher, purpose] as const));

describe("a watch goes only where the watcher's agreements release its identifiers", () => {
  let sent = 0;
  let kept = 0;
  afterAll(() => {
    // Not vacuous: the agreements both send some identifiers and keep some back.
    expect(sent).toBeGreaterThan(0);
    expect(kept).toBeGreaterThan(0);
  });

  it.each(cases)('%s, %s', (watcher, purpose) => {
    const watch = createWatch(
      {
        caseReference: 'X-CAS-1',
        purpose,
        identifiers: EVERY_KIND,
        justification: 'A watch on every kind of identifier, for the test.',
        days: 10,
      },
      { country: watcher, analyst: 'analyst.one' },
      TEST_NOW,
    );
    const recipients = distributeWatch(policy, watch, members, TEST_NOW);
    for (const member of members) {
      const expected =
        member === watcher ? [] : EVERY_KIND.filter((i) => released(watcher, member, purpose, i));
      sent += expected.length;
      kept += member === watcher ? 0 : EVERY_KIND.length - expected.length;
      const received = recipients.find((recipient) => recipient.member === member);
      // A member with nothing it may receive is not sent the watch at all.
      if (expected.length === 0) expect([member, received]).toEqual([member, undefined]);
      else expect([member, received?.watch.identifiers]).toEqual([member, expected]);
    }
    // What goes carries the watch's references and nothing of the watcher's justification.
    for (const { watch: held } of recipients) {
      expect(held).not.toHaveProperty('justification');
      expect(held).toMatchObject({ id: watch.id, watcher, purpose, expiresAt: watch.expiresAt });
    }
  });

  it('a watch whose every identifier a member may not receive is not sent to it', () => {
    let checked = 0;
    for (const [watcher, purpose] of cases)
      for (const member of members) {
        if (member === watcher) continue;
        const withheld = EVERY_KIND.filter((i) => !released(watcher, member, purpose, i));
        if (withheld.length === 0) continue;
        const watch = createWatch(
          {
            caseReference: 'X-CAS-1',
            purpose,
            identifiers: withheld,
            justification: 'Only identifiers this member may not receive.',
            days: 1,
          },
          { country: watcher, analyst: 'analyst.one' },
          TEST_NOW,
        );
        expect(distributeWatch(policy, watch, members, TEST_NOW).map((r) => r.member)).not.toContain(member);
        checked++;
      }
    expect(checked).toBeGreaterThan(0);
  });

  it('an expired watch goes nowhere', () => {
    const watch = createWatch(
      {
        caseReference: 'X-CAS-1',
        purpose: 'investigation',
        identifiers: EVERY_KIND,
        justification: 'Expired by the time it is sent.',
        days: 1,
      },
      { country: members[0]!, analyst: 'analyst.one' },
      TEST_NOW,
    );
    expect(distributeWatch(policy, watch, members, watch.expiresAt)).toEqual([]);
  });
});
