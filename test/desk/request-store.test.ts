import { openRequestStore, type FollowUpFiling } from '../../subgraphs/desk';

const FILING: FollowUpFiling = {
  owner: 'KH',
  requesterCountry: 'KR',
  analyst: 'lee.h',
  authority: 'Korean National Police Agency',
  caseReference: 'KR-CAS-000001',
  offences: ['fraud'],
  facts: 'Victims in Korea paid into accounts controlled from a compound.',
  subjects: ['KH-SUS-000001'],
  categories: ['person.identity'],
  purpose: 'investigation',
  agreement: 'kr-kh-mlat-2021',
  clauses: ['persons-and-records'],
  urgency: 'normal',
  intendedUse: 'intelligence',
  confidentiality: 'do not notify the subject',
};

describe('the owner keeps follow-up requests', () => {
  it('numbers filings per owner and keeps them pending with their history', () => {
    const store = openRequestStore({ owner: 'KH', file: ':memory:' });
    const at = Date.UTC(2026, 11, 5);
    const first = store.file(FILING, at, at + 1000);
    const second = store.file({ ...FILING, analyst: 'kim.j' }, at, at + 1000);
    // Random, never in sequence: a requester learns nothing of other countries' filings from its own ids.
    expect(first.id).toMatch(/^KH-FUR-2026-[0-9a-f]{10}$/);
    expect(second.id).toMatch(/^KH-FUR-2026-[0-9a-f]{10}$/);
    expect(second.id).not.toBe(first.id);
    expect(first).toMatchObject({ state: 'pending', filedAt: at, dueAt: at + 1000, facts: FILING.facts });
    expect(first.events).toEqual([{ at, by: 'KR/lee.h', act: 'filed' }]);
    expect(store.list({ analyst: 'kim.j' }).map((r) => r.id)).toEqual([second.id]);
    store.close();
  });

  it('moves a request only from the state the caller read', () => {
    const store = openRequestStore({ owner: 'KH', file: ':memory:' });
    const request = store.file(FILING, 0, 1);
    const refused = store.transition(
      request.id,
      'pending',
      'refused',
      { at: 2, by: 'KH/desk.sok', act: 'refused', ground: 'x' },
      { ground: 'x' },
    );
    expect(refused.changed).toBe(true);
    expect(refused.request).toMatchObject({ state: 'refused', ground: 'x' });
    const late = store.transition(
      request.id,
      'pending',
      'approved',
      { at: 3, by: 'KH/desk.other', act: 'approved' },
      { grantId: request.id },
    );
    expect(late.changed).toBe(false);
    expect(late.request).toMatchObject({ state: 'refused' });
    expect(late.request!.events.map((e) => e.act)).toEqual(['filed', 'refused']);
    expect(
      store.transition('KH-FUR-2026-999999', 'pending', 'refused', { at: 4, by: 'KH/x', act: 'refused' })
        .request,
    ).toBeUndefined();
    expect(() => store.file({ ...FILING, owner: 'TH' }, 0, 1)).toThrow('cannot be filed with KH');
    store.close();
  });
});
