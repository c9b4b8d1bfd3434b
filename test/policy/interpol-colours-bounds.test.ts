/**
 * The bound of an INTERPOL_NOTICE clause, both ways (docs/domain.md#interpol-notices): every colour it
 * takes serves one of its purposes, and every purpose is served by a colour it takes. A set that breaks it
 * is refused at load with the file, the line and the bound; kindBoundBreaches says the same on a clause
 * written here, with the path it points at.
 */
import { join } from 'node:path';
import { AgreementSetError, loadAgreementSet, type Clause, type Problem } from '../../policy';
import { kindBoundBreaches } from '../../policy/kindBounds';
import { instrument, MEMBERS, removeSets, writeSet } from './fixtureSet';

afterAll(removeSets);

const FILE = 'instruments/notices.yaml';

/**
 * An INTERPOL_NOTICE clause between KR and KH. instrument() puts `- id:` on line 10, so `purposes` is
 * on line 13 and `noticeColours` on line 19.
 */
function notices(colours: string, purposes: string): string {
  return instrument(
    { id: 'kr-kh-notices', parties: '[KR, KH]' },
    `  - id: c
    citation: art. 1
    basis: INTERPOL_NOTICE
    purposes: ${purposes}
    categories:
      person.location: release
    direction: both
    conditions:
      interpolNotice: true
      noticeColours: ${colours}
    obligations:
      handlingCode: H1
      onwardTransfer: forbidden
      evidentiaryUse: forbidden
      retentionDays: 30
      notifySource: true
`,
  );
}

function problemsOf(text: string): Problem[] {
  const dir = writeSet({ 'members.yaml': MEMBERS, [FILE]: text });
  try {
    loadAgreementSet(dir);
  } catch (error) {
    if (!(error instanceof AgreementSetError)) throw error;
    // What a user sees at start-up names the file and the line.
    expect(error.message).toContain(`${join(dir, FILE)}:19:`);
    return error.problems.map((problem) => ({ ...problem, file: problem.file.slice(dir.length + 1) }));
  }
  return [];
}

describe('INTERPOL_NOTICE clauses: each colour serves a purpose of the clause', () => {
  test('a Black notice (unidentified bodies) in an arrest clause is refused: file, line of the colours, the bound', () => {
    expect(problemsOf(notices('[red, black]', '[arrest_extradition]'))).toEqual([
      {
        file: FILE,
        line: 19,
        message:
          "clause 'c': a black notice serves none of the clause's purposes (arrest_extradition); it serves victim_identification (bound of the kind)",
      },
    ]);
  });

  test('every colour that serves no purpose of the clause is named', () => {
    expect(
      problemsOf(notices('[green, red, purple]', '[arrest_extradition, fugitive_location]')).map(
        (problem) => problem.message,
      ),
    ).toEqual([
      "clause 'c': a green notice serves none of the clause's purposes (arrest_extradition, fugitive_location); it serves border_alert, strategic_analysis (bound of the kind)",
      "clause 'c': a purple notice serves none of the clause's purposes (arrest_extradition, fugitive_location); it serves strategic_analysis, investigation (bound of the kind)",
    ]);
  });

  test('Red and Yellow for an arrest and a rescue load: each colour serves one purpose, each purpose has a colour (the engine then matches them request by request)', () => {
    expect(problemsOf(notices('[red, yellow]', '[arrest_extradition, victim_rescue]'))).toEqual([]);
  });
});

describe('kindBoundBreaches: the path of a colour serving no purpose', () => {
  const clause = (colours: Clause['conditions']['noticeColours'], purposes: Clause['purposes']): Clause => ({
    id: 'c',
    citation: 'art. 1',
    basis: 'INTERPOL_NOTICE',
    purposes,
    categories: { 'person.location': 'release' },
    direction: 'both',
    conditions: { interpolNotice: true, ...(colours !== undefined && { noticeColours: colours }) },
    obligations: {
      handlingCode: 'H1',
      onwardTransfer: 'forbidden',
      evidentiaryUse: 'forbidden',
      retentionDays: 30,
      notifySource: true,
    },
    source: { file: 'x.yaml', line: 1 },
  });

  test('the colour by its index in noticeColours; the purpose no colour serves by its index in purposes', () => {
    expect(kindBoundBreaches(clause(['orange', 'yellow'], ['victim_rescue', 'asset_tracing']))).toEqual([
      {
        path: ['purposes', 1],
        message: 'an orange or yellow notice does not serve the purpose asset_tracing (bound of the kind)',
      },
      {
        path: ['conditions', 'noticeColours', 0],
        message:
          "an orange notice serves none of the clause's purposes (victim_rescue, asset_tracing); it serves border_alert (bound of the kind)",
      },
    ]);
  });

  test('a colour serving one purpose of several is within the bound', () => {
    expect(kindBoundBreaches(clause(['blue', 'black'], ['investigation', 'victim_identification']))).toEqual(
      [],
    );
  });
});
