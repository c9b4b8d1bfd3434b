/**
 * Whether a decision reads nothing of a record but its id (policy/recordDecidedById.ts): false exactly
 * when a clause that could apply has a minimum source grade, or the joint team the request names; true
 * for every answer decide() gives before it looks at a clause.
 */
import type { Category, Purpose } from '../../vocabulary';
import type { RequestContext } from '../../policy';
import { AT, KR_TEAM, TEAM, corePolicy } from './coreSet';
import { removeSets } from './fixtureSet';

afterAll(removeSets);

function byId(
  category: string,
  purpose: string | undefined,
  requester: Partial<RequestContext> = {},
  owner = 'KR',
): boolean {
  return corePolicy().recordDecidedById({
    requester: {
      country: 'KH',
      analyst: 'sok.r',
      roles: [],
      ...(purpose !== undefined && { purpose: purpose as Purpose }),
      ...requester,
    },
    owner,
    category: category as Category,
    at: AT,
  });
}

describe('decided by the id alone', () => {
  test.each<[string, string, string]>([
    ['a clause with a minimum source grade (extradition)', 'person.wanted_status', 'arrest_extradition'],
    [
      'a clause with a minimum source grade (mutual legal assistance)',
      'person.identity',
      'judicial_evidence',
    ],
    ['a clause with a minimum source grade (police)', 'case.summary', 'investigation'],
  ])('no: %s reads the grade', (_label, category, purpose) => {
    expect(byId(category, purpose)).toBe(false);
  });

  test("no: the joint team's clause, when the request names that team, reads the operations", () => {
    expect(byId('compound.intel', 'asset_tracing', { jointTeam: KR_TEAM })).toBe(false);
  });

  test.each<[string, Partial<RequestContext>]>([
    ['names no team', {}],
    ['names another team', { jointTeam: TEAM }],
  ])("yes: the joint team's clause, when the request %s, fails before the record", (_label, requester) => {
    expect(byId('compound.intel', 'asset_tracing', requester)).toBe(true);
  });

  test('yes: a clause without grade or team, even for a request naming a team', () => {
    expect(byId('victim.identity', 'victim_rescue', { jointTeam: TEAM })).toBe(true);
  });

  test('yes: a cell no clause covers', () => {
    expect(byId('person.biometrics', 'border_alert')).toBe(true);
  });

  test.each<[string, string, string | undefined, string]>([
    ['domestic data', 'person.identity', 'judicial_evidence', 'KH'],
    ['no purpose', 'person.identity', undefined, 'KR'],
    ['an unknown purpose', 'person.identity', 'curiosity', 'KR'],
    ['an unknown category', 'person.shoe_size', 'judicial_evidence', 'KR'],
  ])('yes, before any clause: %s', (_label, category, purpose, owner) => {
    expect(byId(category, purpose, {}, owner)).toBe(true);
  });

  test('yes: no agreement between the two, and an owner party to no agreement at all', () => {
    expect(byId('person.identity', 'judicial_evidence', { country: 'TH' })).toBe(true);
    expect(byId('person.identity', 'judicial_evidence', {}, 'TH')).toBe(true);
  });
});
