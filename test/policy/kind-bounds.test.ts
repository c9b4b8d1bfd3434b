/**
 * Kinds of legal basis are bounded (docs/domain.md#kinds-of-legal-basis): a set whose clause goes beyond
 * what its kind may ever do is refused at load with the file, the line and the bound. The expected lines
 * are counted in the YAML written here (instrument() puts the first clause's `- id:` on line 10).
 */
import { join } from 'node:path';
import { AgreementSetError, loadAgreementSet, type Problem } from '../../policy';
import { instrument, MEMBERS, removeSets, writeSet } from './fixtureSet';

afterAll(removeSets);

const FILE = 'instruments/x.yaml';

/** A clause with its kind, purpose, one category, conditions and obligations, in an instrument between KR and KH. */
function clause(
  basis: string,
  category: string,
  conditions: string,
  obligations: { evidentiaryUse?: string; notify?: boolean; review?: boolean } = {},
  purposes = '[investigation]',
): string {
  return instrument(
    { id: 'kr-kh-x', parties: '[KR, KH]' },
    `  - id: c
    citation: art. 1
    basis: ${basis}
    purposes: ${purposes}
    categories:
      ${category}: release
    direction: both
    conditions:
${conditions}    obligations:
      handlingCode: H1
      onwardTransfer: forbidden
      evidentiaryUse: ${obligations.evidentiaryUse ?? 'forbidden'}
      retentionDays: 30
      notifySource: ${obligations.notify ?? true}
${obligations.review === false ? '' : '      reviewWithinHours: 72\n'}`,
  );
}

function problemsOf(text: string): Problem[] {
  const dir = writeSet({ 'members.yaml': MEMBERS, [FILE]: text });
  try {
    loadAgreementSet(dir);
  } catch (error) {
    if (!(error instanceof AgreementSetError)) throw error;
    // The message a user sees names the file and the line.
    expect(error.message).toContain(`${join(dir, FILE)}:`);
    return error.problems.map((problem) => ({ ...problem, file: problem.file.slice(dir.length + 1) }));
  }
  return [];
}

describe('kinds of legal basis: bounds checked at load', () => {
  test('an emergency clause that releases criminal records is refused: file, line of the category, the bound', () => {
    expect(
      problemsOf(
        clause('EMERGENCY', 'person.criminal_record', '      emergency: { maxDurationHours: 24 }\n'),
      ),
    ).toEqual([
      {
        file: FILE,
        line: 15,
        message:
          "clause 'c': a EMERGENCY clause may cover only victim.identity, victim.location, person.location, not person.criminal_record (bound of the kind)",
      },
    ]);
  });

  test('an extradition clause that releases bank accounts is refused', () => {
    expect(problemsOf(clause('EXTRADITION', 'financial.accounts', '      warrantReference: true\n'))).toEqual(
      [
        {
          file: FILE,
          line: 15,
          message:
            "clause 'c': a EXTRADITION clause may cover only person.identity, person.wanted_status, person.biometrics, not financial.accounts (bound of the kind)",
        },
      ],
    );
  });

  test('a police-cooperation clause that allows evidentiary use is refused', () => {
    expect(
      problemsOf(
        clause('POLICE_COOPERATION', 'person.identity', '      caseReference: true\n', {
          evidentiaryUse: 'allowed',
        }),
      ),
    ).toEqual([
      {
        file: FILE,
        line: 22,
        message:
          "clause 'c': a POLICE_COOPERATION clause never allows evidentiary use (at most with_consent) (bound of the kind)",
      },
    ]);
  });

  test('message content on a request reference alone, without a judicial order, is refused', () => {
    expect(problemsOf(clause('MLAT', 'telecom.content', '      requestReference: true\n'))).toEqual([
      {
        file: FILE,
        line: 15,
        message:
          "clause 'c': telecom.content may only be covered by an MLAT clause with both requestReference and warrantReference (a judicial order) conditions (bound of the kind)",
      },
    ]);
    expect(
      problemsOf(
        clause('MLAT', 'telecom.content', '      requestReference: true\n      warrantReference: true\n'),
      ),
    ).toEqual([]);
  });

  test('an emergency clause without a review is refused', () => {
    expect(
      problemsOf(
        clause('EMERGENCY', 'victim.location', '      emergency: { maxDurationHours: 24 }\n', {
          review: false,
        }),
      ),
    ).toEqual([
      {
        file: FILE,
        line: 20,
        message:
          "clause 'c': a EMERGENCY clause must notify the source and set reviewWithinHours (bound of the kind)",
      },
    ]);
  });

  test('within the bounds, each of these kinds loads', () => {
    expect(
      problemsOf(clause('EMERGENCY', 'victim.location', '      emergency: { maxDurationHours: 24 }\n')),
    ).toEqual([]);
    expect(
      problemsOf(clause('EXTRADITION', 'person.wanted_status', '      warrantReference: true\n')),
    ).toEqual([]);
    expect(
      problemsOf(
        clause('POLICE_COOPERATION', 'person.identity', '      caseReference: true\n', {
          evidentiaryUse: 'with_consent',
        }),
      ),
    ).toEqual([]);
  });

  describe('INTERPOL notices, by colour', () => {
    const notice = (colours: string | undefined, purposes: string): Problem[] =>
      problemsOf(
        clause(
          'INTERPOL_NOTICE',
          'person.wanted_status',
          `      interpolNotice: true\n${colours === undefined ? '' : `      noticeColours: ${colours}\n`}`,
          {},
          purposes,
        ),
      );

    test('a notice clause must name the colours it takes: the line of its conditions, the bound', () => {
      expect(notice(undefined, '[arrest_extradition]')).toEqual([
        {
          file: FILE,
          line: 18,
          message:
            "clause 'c': a INTERPOL_NOTICE clause must name the colours of notice it accepts (conditions.noticeColours) (bound of the kind)",
        },
      ]);
    });

    test('a Blue notice does not serve an arrest: the purposes line names the colour that does', () => {
      expect(notice('[blue]', '[investigation, arrest_extradition]')).toEqual([
        {
          file: FILE,
          line: 13,
          message:
            "clause 'c': a blue notice does not serve the purpose arrest_extradition (a red notice does) (bound of the kind)",
        },
      ]);
    });

    test('a Yellow notice serves victim rescue, not strategic analysis', () => {
      expect(notice('[yellow]', '[victim_rescue]')).toEqual([]);
      expect(notice('[yellow]', '[border_alert]').map((p) => p.message)).toEqual([
        "clause 'c': a yellow notice does not serve the purpose border_alert (a green or orange notice does) (bound of the kind)",
        // And the other way: the colour serves none of the clause's purposes.
        "clause 'c': a yellow notice serves none of the clause's purposes (border_alert); it serves victim_rescue, victim_identification (bound of the kind)",
      ]);
    });

    test('within the bounds: a Red notice for arrest and fugitive location', () => {
      expect(notice('[red]', '[arrest_extradition, fugitive_location]')).toEqual([]);
    });

    test('colours say which notices meet the notice condition: without it they are refused', () => {
      const problems = problemsOf(
        clause('MLAT', 'person.identity', '      requestReference: true\n      noticeColours: [red]\n'),
      );
      expect(problems.map((p) => p.message)).toEqual([
        "clause 'c': noticeColours says which notices meet the interpolNotice condition: set interpolNotice: true as well",
      ]);
    });

    test('an unknown colour is refused by the schema', () => {
      expect(
        notice('[pink]', '[arrest_extradition]')
          .map((p) => p.message)
          .join('\n'),
      ).toMatch(/pink/);
    });
  });
});
