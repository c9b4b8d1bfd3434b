/**
 * kindBoundBreaches (policy/kindBounds.ts) on clauses written here, each bound at its edge: the exact
 * breaches (path, key, message), and none for a clause just inside. The loader tests
 * (kind-bounds.test.ts) show the same bounds reported with file and line.
 */
import type { Clause, Conditions, Obligations } from '../../policy';
import { kindBoundBreaches } from '../../policy/kindBounds';

const OBLIGATIONS: Obligations = {
  handlingCode: 'H1',
  onwardTransfer: 'forbidden',
  evidentiaryUse: 'forbidden',
  retentionDays: 30,
  notifySource: true,
  reviewWithinHours: 72,
};

function clause(
  basis: Clause['basis'],
  categories: Clause['categories'],
  conditions: Conditions = {},
  obligations: Partial<Obligations> = {},
  purposes: Clause['purposes'] = ['investigation'],
): Clause {
  return {
    id: 'c',
    citation: 'art. 1',
    basis,
    purposes,
    categories,
    direction: 'both',
    conditions,
    obligations: { ...OBLIGATIONS, ...obligations },
    source: { file: 'x.yaml', line: 1 },
  };
}

describe('categories of the kind', () => {
  test('an emergency clause may cover victim identity and location and person location only', () => {
    expect(
      kindBoundBreaches(
        clause(
          'EMERGENCY',
          { 'victim.identity': 'release', 'victim.location': 'release', 'person.location': 'release' },
          {
            emergency: { maxDurationHours: 24 },
          },
        ),
      ),
    ).toEqual([]);
    expect(
      kindBoundBreaches(
        clause(
          'EMERGENCY',
          { 'person.location': 'release', 'person.criminal_record': 'hit-only', 'person.contact': 'release' },
          {
            emergency: { maxDurationHours: 24 },
          },
        ),
      ),
    ).toEqual([
      {
        path: ['categories', 'person.criminal_record'],
        key: true,
        message:
          'a EMERGENCY clause may cover only victim.identity, victim.location, person.location, not person.criminal_record (bound of the kind)',
      },
      {
        path: ['categories', 'person.contact'],
        key: true,
        message:
          'a EMERGENCY clause may cover only victim.identity, victim.location, person.location, not person.contact (bound of the kind)',
      },
    ]);
  });

  test('an extradition clause: identity, wanted status and biometrics only', () => {
    expect(
      kindBoundBreaches(
        clause(
          'EXTRADITION',
          {
            'person.identity': 'release',
            'person.wanted_status': 'release',
            'person.biometrics': 'hit-only',
          },
          {
            warrantReference: true,
          },
        ),
      ),
    ).toEqual([]);
    expect(
      kindBoundBreaches(clause('EXTRADITION', { 'person.location': 'release' }, { warrantReference: true })),
    ).toEqual([
      {
        path: ['categories', 'person.location'],
        key: true,
        message:
          'a EXTRADITION clause may cover only person.identity, person.wanted_status, person.biometrics, not person.location (bound of the kind)',
      },
    ]);
  });

  test('kinds without a category bound cover any category (message content aside)', () => {
    expect(
      kindBoundBreaches(
        clause('JIT', { 'person.criminal_record': 'release', 'financial.transactions': 'release' }, {}),
      ),
    ).toEqual([]);
  });
});

describe('evidentiary use', () => {
  test('a police clause: at most with the consent of the source', () => {
    expect(
      kindBoundBreaches(
        clause(
          'POLICE_COOPERATION',
          { 'person.identity': 'release' },
          {},
          { evidentiaryUse: 'with_consent' },
        ),
      ),
    ).toEqual([]);
    expect(
      kindBoundBreaches(
        clause('POLICE_COOPERATION', { 'person.identity': 'release' }, {}, { evidentiaryUse: 'allowed' }),
      ),
    ).toEqual([
      {
        path: ['obligations', 'evidentiaryUse'],
        message:
          'a POLICE_COOPERATION clause never allows evidentiary use (at most with_consent) (bound of the kind)',
      },
    ]);
  });

  test('an MLAT clause may allow it', () => {
    expect(
      kindBoundBreaches(
        clause(
          'MLAT',
          { 'person.identity': 'release' },
          { requestReference: true },
          { evidentiaryUse: 'allowed' },
        ),
      ),
    ).toEqual([]);
  });
});

describe('an emergency', () => {
  const location = { 'person.location': 'release' } as const;

  test('lasts at most 24 hours', () => {
    expect(kindBoundBreaches(clause('EMERGENCY', location, { emergency: { maxDurationHours: 24 } }))).toEqual(
      [],
    );
    expect(kindBoundBreaches(clause('EMERGENCY', location, { emergency: { maxDurationHours: 25 } }))).toEqual(
      [
        {
          path: ['conditions', 'emergency', 'maxDurationHours'],
          message: 'a EMERGENCY clause lasts at most 24 h, not 25 (bound of the kind)',
        },
      ],
    );
  });

  const { reviewWithinHours: _review, ...unreviewed } = OBLIGATIONS;
  test.each<[string, Obligations]>([
    ['without notifying the source', { ...OBLIGATIONS, notifySource: false }],
    ['without a review', unreviewed],
    ['with neither', { ...unreviewed, notifySource: false }],
  ])('%s is refused', (_label, obligations) => {
    const breaches = kindBoundBreaches({
      ...clause('EMERGENCY', location, { emergency: { maxDurationHours: 12 } }),
      obligations,
    });
    expect(breaches).toEqual([
      {
        path: ['obligations'],
        message: 'a EMERGENCY clause must notify the source and set reviewWithinHours (bound of the kind)',
      },
    ]);
  });

  test('a review of 0 hours is a review that is set', () => {
    expect(
      kindBoundBreaches(
        clause('EMERGENCY', location, { emergency: { maxDurationHours: 12 } }, { reviewWithinHours: 0 }),
      ),
    ).toEqual([]);
  });
});

describe('INTERPOL notices', () => {
  const wanted = { 'person.wanted_status': 'release' } as const;

  test('a clause names the colours it accepts', () => {
    const expected = [
      {
        path: ['conditions'],
        message:
          'a INTERPOL_NOTICE clause must name the colours of notice it accepts (conditions.noticeColours) (bound of the kind)',
      },
    ];
    expect(kindBoundBreaches(clause('INTERPOL_NOTICE', wanted, { interpolNotice: true }))).toEqual(expected);
    expect(
      kindBoundBreaches(clause('INTERPOL_NOTICE', wanted, { interpolNotice: true, noticeColours: [] })),
    ).toEqual(expected);
  });

  test('each purpose is one a named colour serves; the message names the colours that would', () => {
    expect(
      kindBoundBreaches(
        clause('INTERPOL_NOTICE', wanted, { interpolNotice: true, noticeColours: ['red', 'blue'] }, {}, [
          'arrest_extradition',
          'investigation',
        ]),
      ),
    ).toEqual([]);
    expect(
      kindBoundBreaches(
        clause('INTERPOL_NOTICE', wanted, { interpolNotice: true, noticeColours: ['yellow', 'black'] }, {}, [
          'victim_identification',
          'border_alert',
          'asset_tracing',
        ]),
      ),
    ).toEqual([
      {
        path: ['purposes', 1],
        message:
          'a yellow or black notice does not serve the purpose border_alert (a green or orange notice does) (bound of the kind)',
      },
      {
        path: ['purposes', 2],
        message: 'a yellow or black notice does not serve the purpose asset_tracing (bound of the kind)',
      },
    ]);
  });

  test('other kinds are not asked for colours', () => {
    expect(kindBoundBreaches(clause('MLAT', wanted, { requestReference: true }))).toEqual([]);
  });
});

describe('message content', () => {
  const content = { 'telecom.content': 'release' } as const;
  const breach = {
    path: ['categories', 'telecom.content'],
    key: true,
    message:
      'telecom.content may only be covered by an MLAT clause with both requestReference and warrantReference (a judicial order) conditions (bound of the kind)',
  };

  test('only under an MLAT with a request and a judicial order', () => {
    expect(
      kindBoundBreaches(clause('MLAT', content, { requestReference: true, warrantReference: true })),
    ).toEqual([]);
    expect(kindBoundBreaches(clause('MLAT', content, { requestReference: true }))).toEqual([breach]);
    expect(kindBoundBreaches(clause('MLAT', content, { warrantReference: true }))).toEqual([breach]);
    expect(
      kindBoundBreaches(clause('JIT', content, { requestReference: true, warrantReference: true })),
    ).toEqual([breach]);
  });
});
