/**
 * How a refusal reads (policy/refusal.ts): the code, the sentence and the extensions the gateway and the
 * owners' subgraphs send for a withheld, hit-only or no-basis answer. Decisions are written by hand here,
 * so each wording and each field is pinned by text, not by what the engine happens to decide.
 */
import {
  describeNoBasis,
  describeRefusal,
  type Decision,
  type RequestContext,
  type Route,
} from '../../policy';

const withPurpose: RequestContext = {
  country: 'KH',
  analyst: 'sok.r',
  roles: ['analyst'],
  purpose: 'investigation',
};
const withoutPurpose: RequestContext = { country: 'KH', analyst: 'sok.r', roles: ['analyst'] };

const requestRoute: Route = {
  agreement: 'kr-kh-mlat',
  clause: 'records',
  title: 'KR–KH MLAT',
  citation: 'art. 1',
  effect: 'release',
  needs: { kind: 'requestReference', text: 'needs a request reference' },
  text: 'KR–KH MLAT art. 1: needs a request reference',
};
const teamRoute: Route = {
  agreement: 'kr-kh-jit',
  clause: 'hits',
  title: 'KR–KH JIT',
  citation: 'art. 7',
  effect: 'hit-only',
  needs: { kind: 'jointTeam', team: 'JTF-1', text: 'needs joint team JTF-1' },
  text: 'KR–KH JIT art. 7 (hit only): needs joint team JTF-1',
};

function decision(effect: Decision['effect'], reason: Decision['reason'], routes: Route[]): Decision {
  return { effect, reason, clauses: [], routes, recordDependent: false, revision: 'rev-1' };
}

const requestRouteExtension = {
  agreement: 'kr-kh-mlat',
  clause: 'records',
  title: 'KR–KH MLAT',
  citation: 'art. 1',
  effect: 'release',
  needs: 'requestReference',
  text: 'KR–KH MLAT art. 1: needs a request reference',
};
const teamRouteExtension = {
  agreement: 'kr-kh-jit',
  clause: 'hits',
  title: 'KR–KH JIT',
  citation: 'art. 7',
  effect: 'hit-only',
  needs: 'jointTeam',
  text: 'KR–KH JIT art. 7 (hit only): needs joint team JTF-1',
};

describe('describeRefusal', () => {
  test('a withheld field names owner, category, purpose and reason, then every route', () => {
    const refusal = describeRefusal(
      decision('withhold', 'CONDITION_UNMET', [requestRoute, teamRoute]),
      'KR',
      withPurpose,
      'person.location',
      'Person.location',
    );
    expect(refusal).toEqual({
      code: 'WITHHELD',
      message:
        'Person.location: KR withholds person.location from KH for investigation (CONDITION_UNMET). ' +
        'Could be obtained: KR–KH MLAT art. 1: needs a request reference; ' +
        'KR–KH JIT art. 7 (hit only): needs joint team JTF-1.',
      extensions: {
        owner: 'KR',
        category: 'person.location',
        field: 'Person.location',
        purpose: 'investigation',
        reason: 'CONDITION_UNMET',
        routes: [requestRouteExtension, teamRouteExtension],
        revision: 'rev-1',
      },
    });
  });

  test('a withheld field with no route says that no agreement releases more', () => {
    const refusal = describeRefusal(
      decision('withhold', 'CATEGORY_NOT_COVERED', []),
      'KR',
      withPurpose,
      'person.biometrics',
      'Person.biometrics',
    );
    expect(refusal.code).toBe('WITHHELD');
    expect(refusal.message).toBe(
      'Person.biometrics: KR withholds person.biometrics from KH for investigation (CATEGORY_NOT_COVERED). ' +
        'No agreement between KR and KH releases more.',
    );
    expect(refusal.extensions.routes).toEqual([]);
  });

  test('without a purpose: the way on is to declare one', () => {
    const refusal = describeRefusal(
      decision('withhold', 'PURPOSE_REQUIRED', []),
      'KR',
      withoutPurpose,
      'person.identity',
      'Person.name',
    );
    expect(refusal).toEqual({
      code: 'PURPOSE_REQUIRED',
      message:
        'Person.name: KR releases nothing to KH without a declared purpose. ' +
        'Declare one (Accord-Purpose) to learn what could be obtained.',
      extensions: {
        owner: 'KR',
        category: 'person.identity',
        field: 'Person.name',
        purpose: null,
        reason: 'PURPOSE_REQUIRED',
        routes: [],
        revision: 'rev-1',
      },
    });
  });

  test('a withheld field of a request without a purpose, for another reason, says "an undeclared purpose"', () => {
    const refusal = describeRefusal(
      decision('withhold', 'NO_AGREEMENT', []),
      'KR',
      withoutPurpose,
      'person.identity',
      'Person.name',
    );
    expect(refusal.code).toBe('WITHHELD');
    expect(refusal.message).toBe(
      'Person.name: KR withholds person.identity from KH for an undeclared purpose (NO_AGREEMENT). ' +
        'No agreement between KR and KH releases more.',
    );
    expect(refusal.extensions.purpose).toBeNull();
  });

  test('a hit-only field with a route promises details under another basis', () => {
    const refusal = describeRefusal(
      decision('hit-only', 'HIT_ONLY', [requestRoute]),
      'KR',
      withPurpose,
      'person.identity',
      'Person.name',
    );
    expect(refusal).toEqual({
      code: 'FOLLOW_UP_REQUIRED',
      message:
        'Person.name: KR gives KH a hit only for person.identity: details need a request under another basis. ' +
        'Could be obtained: KR–KH MLAT art. 1: needs a request reference.',
      extensions: {
        owner: 'KR',
        category: 'person.identity',
        field: 'Person.name',
        purpose: 'investigation',
        reason: 'HIT_ONLY',
        routes: [requestRouteExtension],
        revision: 'rev-1',
      },
    });
  });

  test('a hit-only field with no route promises nothing more (issue 14)', () => {
    const refusal = describeRefusal(
      decision('hit-only', 'HIT_ONLY', []),
      'KR',
      withPurpose,
      'person.identity',
      'Person.name',
    );
    expect(refusal.code).toBe('FOLLOW_UP_REQUIRED');
    expect(refusal.message).toBe(
      'Person.name: KR gives KH a hit only for person.identity. No agreement between KR and KH releases more.',
    );
  });
});

describe('describeNoBasis', () => {
  test('one refusal for the owner, under meta.reference, with no field and no routes listed', () => {
    const refusal = describeNoBasis(decision('withhold', 'NO_AGREEMENT', []), 'KR', withPurpose);
    expect(refusal).toEqual({
      code: 'WITHHELD',
      message:
        'KR shares no records with KH for investigation (NO_AGREEMENT). No agreement between KR and KH releases more.',
      extensions: {
        owner: 'KR',
        category: 'meta.reference',
        purpose: 'investigation',
        reason: 'NO_AGREEMENT',
        revision: 'rev-1',
      },
    });
  });

  test('without a purpose: PURPOSE_REQUIRED, and the way on is to declare one', () => {
    const refusal = describeNoBasis(decision('withhold', 'PURPOSE_REQUIRED', []), 'KR', withoutPurpose);
    expect(refusal).toEqual({
      code: 'PURPOSE_REQUIRED',
      message:
        'KR shares no records with KH for an undeclared purpose (PURPOSE_REQUIRED). ' +
        'Declare one (Accord-Purpose) to learn what could be obtained.',
      extensions: {
        owner: 'KR',
        category: 'meta.reference',
        purpose: null,
        reason: 'PURPOSE_REQUIRED',
        revision: 'rev-1',
      },
    });
  });

  test('the routes that could release more are named in the sentence', () => {
    const refusal = describeNoBasis(
      decision('withhold', 'PURPOSE_NOT_COVERED', [requestRoute, teamRoute]),
      'KR',
      withPurpose,
    );
    expect(refusal.code).toBe('WITHHELD');
    expect(refusal.message).toBe(
      'KR shares no records with KH for investigation (PURPOSE_NOT_COVERED). ' +
        'Could be obtained: KR–KH MLAT art. 1: needs a request reference; ' +
        'KR–KH JIT art. 7 (hit only): needs joint team JTF-1.',
    );
  });
});
