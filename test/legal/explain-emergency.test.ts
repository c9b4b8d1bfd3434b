/**
 * `npm run policy -- explain` with an emergency (issue 9, item 5): live requests name a registration the
 * hub made; the workbench still takes a declared time, as a hypothetical, and says so.
 */
import { cli } from './support';

describe('npm run policy -- explain --emergency', () => {
  test('takes a declared time as a hypothetical registration, labelled, and decides on it', () => {
    const asked = [
      'explain',
      '--requester',
      'KH',
      '--owner',
      'KR',
      '--category',
      'victim.location',
      '--purpose',
      'victim_rescue',
      '--at',
      '2026-06-01T12:00Z',
    ];
    const inside = cli([
      ...asked,
      '--emergency',
      'Victims confined in the compound tonight',
      '--emergency-at',
      '2026-06-01T10:00Z',
    ]);
    expect(inside).toMatchObject({ status: 0, err: '' });
    expect(inside.out).toContain(
      '- Carrying: HYPOTHETICAL emergency (as if registered then; live requests name a registration) declared 2 h before',
    );
    expect(inside.out).toContain('## Decision: RELEASE');
    // Past the clause's 24 h from that time: the refusal says the window ran from the registration and ended.
    const after = cli([
      ...asked,
      '--emergency',
      'Victims confined in the compound tonight',
      '--emergency-at',
      '2026-05-31T11:00Z',
    ]);
    expect(after.out).toContain('## Decision: WITHHOLD');
    expect(after.out).toContain(
      'this window runs from the registration and has ended or not begun; declaring again does not restart it',
    );
  });
});
